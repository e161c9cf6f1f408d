"""Timeline events: written by services, rendered in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.pathways.models import Pathway, PathwayEvent

# kind -> sentence; placeholders come from PathwayEvent.data.
SENTENCES: dict[str, Any] = {
    "pathway.opened": _("Pathway opened at %(unit)s"),
    "pathway.updated": _("Pathway details updated"),
    "pathway.reopened": _("Pathway reopened in the phase %(to_phase)s"),
    "phase.changed": _("Phase changed from %(from_phase)s to %(to_phase)s (effective %(on)s)"),
    "stay.planned": _("Stay planned at %(unit)s from %(start)s"),
    "stay.updated": _("Planned stay at %(unit)s changed"),
    "stay.admitted": _("Admitted to %(unit)s on %(on)s"),
    "stay.discharged": _("Discharged from %(unit)s on %(on)s"),
    "stay.cancelled": _("Planned stay at %(unit)s cancelled"),
    # User-controlled beds (beds/): the agreement is read with the beds; the stays with the
    # pathway.
    "beds.agreement_made": _("Agreement on a user-controlled bed at %(unit)s from %(start)s to "
                             "%(until)s"),
    "beds.booked": _("User-controlled stay booked at %(unit)s from %(start)s to %(until)s"),
    "beds.cancelled": _("User-controlled stay at %(unit)s from %(start)s cancelled"),
    "beds.refused": _("User-controlled stay at %(unit)s from %(start)s turned down by the unit"),
    "stay.user_controlled_started": _("User-controlled stay at %(unit)s from %(on)s to "
                                      "%(until)s"),
    "stay.user_controlled_ended": _("User-controlled stay at %(unit)s ended on %(on)s"),
    "team.added": _("%(name)s joined the care team as %(role)s"),
    "team.ended": _("%(name)s left the care team (%(role)s)"),
    "coordinator.handover": _("Coordinator role handed over from %(from_name)s to %(to_name)s"),
    # The individual plan (planning/plan): each save is a version of the plan.
    "plan.created": _("Individual plan created"),
    "plan.updated": _("Individual plan changed (version %(version)s)"),
    "plan.section_updated": _("Individual plan changed (version %(version)s)"),
    "plan.measure_added": _("Measure added to the individual plan (version %(version)s)"),
    "plan.measure_updated": _("Measure in the individual plan changed (version %(version)s)"),
    "plan.commented": _("The patient commented on the individual plan"),
    "plan.agreed": _("The patient has read the individual plan and agrees (version %(version)s)"),
    # The rest of planning: the checklist, the crisis plan and the mapping.
    "checklist.updated": _("Checklist: “%(item)s” updated"),
    "checklist.clarified": _("Checklist: “%(item)s” clarified"),
    "checklist.not_relevant": _("Checklist: “%(item)s” marked as not relevant"),
    "checklist.not_started": _("Checklist: “%(item)s” set back to not started"),
    "crisisplan.saved": _("Crisis plan saved (version %(version)s)"),
    "mapping.started": _("Mapping of %(on)s started"),
    "mapping.clinician": _("The clinician's ratings in the mapping of %(on)s saved"),
    "mapping.patient": _("The patient's own assessment in the mapping of %(on)s saved"),
}

# Events about planning (the plan, the checklist, the crisis plan, the mapping) are shown only
# to those who may read the plan: a next of kin who follows the pathway learns nothing of it
# from the timeline either.
PLANNING_KINDS = ("plan.", "checklist.", "crisisplan.", "mapping.")
# Events about user-controlled bed agreements, shown only to those who may read them (a next of
# kin needs the patient's consent to "beds").
BEDS_KINDS = ("beds.",)
# The read each group of events needs beside the pathway's: (action, kinds). Capabilities
# above pathways add theirs in their AppConfig.ready().
HIDDEN_WITHOUT: list[tuple[str, tuple[str, ...]]] = [
    ("plan.view", PLANNING_KINDS), ("beds.view", BEDS_KINDS)]


# Codes an event's data may hold whose label follows the reader's language, registered by the
# capability that owns them (beds: the reason a unit turned a stay down): data key -> {code:
# label}. The label is shown as the event's reason.
REASON_LABELS: dict[str, dict[str, Any]] = {}


def record_event(pathway: Pathway, actor: Actor, kind: str, **data: Any) -> PathwayEvent:
    """Write the event, then let those who listen for transitions act on it (transitions.py),
    in the same transaction."""
    from ettervern.pathways.transitions import dispatch

    event = PathwayEvent.objects.create(
        pathway=pathway,
        at=clock.now(),
        actor_id=actor.user_pk,
        actor_name=actor.identity[0],
        actor_unit=actor.unit_name,
        kind=kind,
        data={key: str(value) for key, value in data.items()},
    )
    dispatch(event, actor)
    return event


def _local_date(value: str) -> str:
    """ISO dates in the data read as the pages write dates (25.11.2026)."""
    try:
        return display_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def render(event: PathwayEvent, *, with_reason: bool = True) -> str:
    """The event as a sentence in the reader's language. Staff's free-text reasons follow it
    only for staff (`with_reason`): they are written for colleagues, not for the patient."""
    from ettervern.pathways.phases import Phase

    data = dict(event.data)
    for key in ("from_phase", "to_phase"):
        if key in data and data[key] in Phase.values:
            data[key] = str(Phase(data[key]).label)
    if "role" in data:
        from ettervern.pathways.models import CareTeamMember

        if data["role"] in CareTeamMember.Role.values:
            data["role"] = str(CareTeamMember.Role(data["role"]).label)
    for key, labels in REASON_LABELS.items():
        if data.get(key) in labels:
            data["reason"] = str(labels[data[key]])
    for key in ("on", "start", "until"):
        if key in data:
            data[key] = _local_date(data[key])
    sentence = SENTENCES.get(event.kind)
    if sentence is None:
        return event.kind
    try:
        text = str(sentence) % data
    except (KeyError, TypeError, ValueError):
        return event.kind
    # A reason (closing, cancelling, hand-over, reopening) follows the sentence.
    return f"{text}: {data['reason']}" if with_reason and data.get("reason") else text
