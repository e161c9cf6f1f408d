"""Reading the crisis plan: the page, the PDF, the offline copy and the API share this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ettervern.access.policy import (
    CRISIS_EDIT,
    CRISIS_VIEW,
    Actor,
    Basis,
    allowed_actions,
    require_all,
)
from ettervern.pathways.models import Pathway
from ettervern.pathways.selectors import pathway_lookup
from ettervern.planning.crisis.models import CrisisContact, CrisisPlan


@dataclass
class CrisisPlanView:
    pathway: Pathway
    plan: CrisisPlan | None
    contacts: list[CrisisContact]
    can_edit: bool
    # What the read was allowed on (pages choose the plain layout for the patient and kin).
    basis: Basis | None = None

    @property
    def version(self) -> int:
        return self.plan.version if self.plan is not None else 0

    @property
    def bed_agreements(self) -> list[Any]:
        """The current agreements on a user-controlled bed that are anchored in this crisis
        plan (beds.Agreement.in_crisis_plan): whoever may read the plan reads them with it."""
        from ettervern.beds.selectors import crisis_plan_agreements

        return crisis_plan_agreements(self.pathway)

    @property
    def is_empty(self) -> bool:
        plan = self.plan
        return plan is None or not (plan.warning_signs or plan.own_actions
                                    or plan.others_actions or plan.bed or self.contacts)


def crisisplan_get(*, actor: Actor, public_id: Any) -> CrisisPlanView:
    """The pathway's crisis plan (None before one is written), if the actor may read the plan
    (audited either way); a next of kin without the patient's sharing sees nothing (404)."""
    pathway = pathway_lookup(public_id)
    basis, bases = require_all(actor, pathway, CRISIS_VIEW)
    plan = CrisisPlan.objects.filter(pathway=pathway).first()
    contacts = list(plan.contacts.all()) if plan is not None else []
    return CrisisPlanView(pathway=pathway, plan=plan, contacts=contacts,
                          can_edit=pathway.is_open and CRISIS_EDIT in allowed_actions(bases),
                          basis=basis)
