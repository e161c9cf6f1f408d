"""Reads of the discharge app, shared by its pages and its API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.utils.translation import gettext as _

from ettervern.access import audit
from ettervern.access.policy import (
    DISCHARGE_VIEW,
    Actor,
    allowed_actions,
    permitted,
    require_all,
)
from ettervern.core.errors import NotAuthenticated
from ettervern.discharge import checkpoints
from ettervern.discharge.models import DischargeOverride
from ettervern.pathways.models import Pathway, Stay
from ettervern.pathways.notices import Notice
from ettervern.pathways.selectors import stay_lookup
from ettervern.pathways.team import (
    NOT_LISTED_ROLES,
    OPEN_ROLES,
    accessible_pathways,
    bases_by_pathway,
)

# The roles whose worklists list pathways to staff (not the patient's or next of kin's).
STAFF_ROLES = [role for role in OPEN_ROLES if role not in NOT_LISTED_ROLES]


@dataclass
class StayCheckpoints:
    stay: Stay
    states: list[checkpoints.State]
    allowed: frozenset[str]
    override: DischargeOverride | None

    @property
    def open(self) -> list[checkpoints.State]:
        return [state for state in self.states if not state.done]

    @property
    def done_count(self) -> int:
        return len(self.states) - len(self.open)


def stay_checkpoints(*, actor: Actor, stay_id: Any) -> StayCheckpoints:
    """The checkpoints of a residential stay as they stand now (audited read)."""
    stay = stay_lookup(stay_id)
    _basis, bases = require_all(actor, stay, DISCHARGE_VIEW)
    if stay.kind != Stay.Kind.RESIDENTIAL:
        states: list[checkpoints.State] = []
    else:
        states = checkpoints.states_for([stay])[stay.pk]
    override = DischargeOverride.objects.filter(stay=stay).first()
    return StayCheckpoints(stay=stay, states=states, allowed=allowed_actions(bases),
                           override=override)


def pathway_notices(actor: Actor, pathway: Pathway, allowed: frozenset[str]) -> list[Notice]:
    """The pathway page shows each discharge made with open checkpoints: when, by whom, what
    was open and why (one query; for those who read the checkpoints)."""
    if DISCHARGE_VIEW not in allowed:
        return []
    found = []
    for override in (DischargeOverride.objects.filter(stay__pathway=pathway)
                     .select_related("stay__unit").order_by("at")):
        stay = override.stay
        found.append(Notice(
            title=_("Discharged from %(unit)s on %(on)s with open checkpoints")
            % {"unit": stay.unit.name, "on": stay.discharged_on.strftime("%d.%m.%Y")
               if stay.discharged_on else ""},
            lines=(_("Open: %(items)s") % {"items": ", ".join(override.open_titles)},
                   _("Reason from %(name)s: %(reason)s") % {"name": override.by_name,
                                                             "reason": override.reason}),
            level="warning"))
    return found


# --- the discharges ahead: my pathways' ongoing residential stays --------------------------

PAGE_SIZE = 25


@dataclass
class DischargeRow:
    stay: Stay
    states: list[checkpoints.State]

    @property
    def open_count(self) -> int:
        return sum(1 for state in self.states if not state.done)

    @property
    def met_count(self) -> int:
        return len(self.states) - self.open_count


def discharges_ahead(*, actor: Actor, page: Any = 1) -> tuple[Page[Stay], list[DischargeRow]]:
    """The ongoing residential stays on the pathways the actor works on (as their worklist
    reaches them), the soonest expected discharge first, a page at a time, each with its
    checkpoints. Each patient named is an audited list read."""
    user = actor.user
    if not user.is_authenticated:
        raise NotAuthenticated(_("Please sign in."))
    reached = accessible_pathways(user, roles=STAFF_ROLES)
    stays = (Stay.objects.filter(pathway__in=reached, status=Stay.Status.ONGOING,
                                 kind=Stay.Kind.RESIDENTIAL)
             .select_related("pathway__patient", "unit")
             .order_by(F("planned_end").asc(nulls_last=True), "id"))
    found = Paginator(stays, PAGE_SIZE).get_page(page)
    listed = list(found)
    bases = bases_by_pathway(user, [stay.pathway for stay in listed])
    listed = [stay for stay in listed
              if permitted([bases[stay.pathway_id]] if stay.pathway_id in bases else [],
                           DISCHARGE_VIEW)]
    audit.record_many(audit.build(actor, action="discharge.list",
                                  patient_id=stay.pathway.patient_id, obj=stay,
                                  pathway_id=stay.pathway_id, basis=bases[stay.pathway_id])
                      for stay in listed)
    states = checkpoints.states_for(listed)
    return found, [DischargeRow(stay=stay, states=states[stay.pk]) for stay in listed]
