"""Reads for the portal: the patient's current pathway, and what has been shared with a next
of kin or trust person. Both pass the access policy (audited)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.consent_kinds import BY_CODE, ConsentKind
from ettervern.access.policy import Actor
from ettervern.catalogue.models import Level, Offer
from ettervern.catalogue.selectors import offers_for
from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.pathways.models import Pathway
from ettervern.pathways.selectors import PathwayDetail, pathway_detail
from ettervern.pathways.team import CONSENT_ROLES, accessible_pathways, bases_by_pathway
from ettervern.patients.models import Consent

MAX_OFFERS = 20
# People share with a few people; a next of kin of more patients than this sees the latest.
MAX_SHARED = 20


def portal_pathway(*, actor: Actor) -> PathwayDetail:
    """The signed-in patient's current pathway: the open one opened last, else the last one."""
    found = (Pathway.objects.filter(patient__user_id=actor.user_pk)
             .order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-id")
             .values_list("public_id", flat=True).first())
    if found is None:
        raise NotFound(_("You have no pathway in Ettervern yet."))
    return pathway_detail(actor=actor, public_id=found)


@dataclass
class Shared:
    pathway: Pathway
    kinds: list[ConsentKind]
    offers: list[Offer] = field(default_factory=list)

    @property
    def pathway_shared(self) -> bool:
        return any(kind.code == "pathway" for kind in self.kinds)


def shared_with_me(*, actor: Actor) -> list[Shared]:
    """Per patient who shares something with the actor today: the kinds shared. Each patient
    listed is one audit record ("pathway.list", on the consent that reaches it), as for every
    list. Only the patient's name is shown besides what each kind opens."""
    user: Any = actor.user
    reached = (accessible_pathways(user, roles=CONSENT_ROLES).select_related("patient")
               .order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-id")
               [:MAX_SHARED])
    pathways: list[Pathway] = []
    for pathway in reached:  # the current pathway of each patient
        if all(p.patient_id != pathway.patient_id for p in pathways):
            pathways.append(pathway)
    bases = bases_by_pathway(user, pathways)
    audit.record_many(
        audit.build(actor, action="pathway.list", patient_id=p.patient_id, obj=p, pathway=p,
                    basis=bases.get(p.pk))
        for p in pathways)
    today = clock.today()
    kinds: dict[int, set[str]] = {}
    consents = Consent.objects.filter(next_of_kin__user_id=actor.user_pk,
                                      withdrawn_at__isnull=True, valid_from__lte=today)
    for consent in consents.only("patient_id", "kind", "valid_until", "valid_from",
                                 "withdrawn_at"):
        if consent.is_active_on(today):
            kinds.setdefault(consent.patient_id, set()).add(consent.kind)
    return [Shared(pathway=p, kinds=[kind for code, kind in BY_CODE.items()
                                     if code in kinds.get(p.patient_id, set())])
            for p in pathways]


def offers_for_next_of_kin(pathway: Any) -> list[Offer]:
    """The catalogue is not patient data (catalogue.selectors.offers_for)."""
    return list(offers_for(pathway, level=Level.NEXT_OF_KIN)[:MAX_OFFERS])
