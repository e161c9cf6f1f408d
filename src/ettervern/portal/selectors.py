"""Reads for the portal: the patient's current pathway, and what has been shared with a next
of kin or trust person. Both pass the access policy (audited)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ettervern.access.consent_kinds import BY_CODE, ConsentKind
from ettervern.access.policy import Actor
from ettervern.catalogue.models import Level, Offer
from ettervern.catalogue.selectors import offers_for
from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.pathways.models import Pathway
from ettervern.pathways.selectors import PathwayDetail, pathway_detail, pathway_worklist
from ettervern.patients.models import Consent

MAX_OFFERS = 20


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
    """Per patient who shares something with the actor: the kinds shared today, and the
    catalogue's offers for next of kin where the patient lives. The pathways come from the
    worklist (one audit record each, as for every list)."""
    worklist = pathway_worklist(actor=actor, scope="mine", page_size=10)
    today = clock.today()
    kinds: dict[int, list[str]] = {}
    consents = Consent.objects.filter(next_of_kin__user_id=actor.user_pk,
                                      withdrawn_at__isnull=True, valid_from__lte=today)
    for consent in consents.only("patient_id", "kind", "valid_until", "valid_from",
                                 "withdrawn_at"):
        if consent.is_active_on(today) and consent.kind in BY_CODE:
            kinds.setdefault(consent.patient_id, []).append(consent.kind)
    result = []
    for row in worklist.rows:
        pathway = row.pathway
        codes = kinds.get(pathway.patient_id, [])
        result.append(Shared(pathway=pathway,
                             kinds=[kind for code, kind in BY_CODE.items() if code in codes]))
    return result


def offers_for_next_of_kin(pathway: Any) -> list[Offer]:
    """The catalogue is not patient data (catalogue.selectors.offers_for)."""
    return list(offers_for(pathway, level=Level.NEXT_OF_KIN)[:MAX_OFFERS])
