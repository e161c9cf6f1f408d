"""Reads of the discharge app, shared by its pages and its API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ettervern.access.policy import DISCHARGE_VIEW, Actor, allowed_actions, require_all
from ettervern.discharge import checkpoints
from ettervern.discharge.models import DischargeOverride
from ettervern.pathways.models import Pathway, Stay
from ettervern.pathways.notices import Notice
from ettervern.pathways.selectors import stay_lookup


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
