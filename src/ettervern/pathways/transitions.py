"""The transitions of a pathway that others must hear of, read off its timeline events.

Transitions are where people fall through, so a few events are more than a line on the
timeline: the care team is notified (messaging) and standard tasks are created (tasks). Both
read the same six transitions from here, and subscribe with `listen` in their
AppConfig.ready(); pathways imports nothing from above.

A listener runs inside the service's transaction, right after the event row is written, so
what it writes commits or rolls back with the change itself. What must happen only once the
transaction has committed (an e-mail) it defers with `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Transition(models.TextChoices):
    ADMISSION_DATE_SET = "admission_date_set", _("Admission date set")
    DISCHARGE_DATE_SET = "discharge_date_set", _("Discharge date set")
    DISCHARGED = "discharged", _("Discharge")
    HANDOVER = "handover", _("Coordinator hand-over")
    STAY_CANCELLED = "stay_cancelled", _("Stay cancelled")
    USER_CONTROLLED_STARTED = "user_controlled_started", _("User-controlled stay started")


def transitions_of(kind: str, data: dict[str, Any]) -> list[Transition]:
    """The transitions a timeline event (kind and data, as pathways.events writes them) is."""
    changed = set(filter(None, str(data.get("changed", "")).split(",")))
    found: list[Transition] = []
    if kind == "stay.planned":
        found.append(Transition.ADMISSION_DATE_SET)
        if data.get("until"):
            found.append(Transition.DISCHARGE_DATE_SET)
    elif kind == "stay.updated":
        if "start" in changed:
            found.append(Transition.ADMISSION_DATE_SET)
        if "end" in changed and data.get("until"):
            found.append(Transition.DISCHARGE_DATE_SET)
    elif kind == "stay.discharged":
        found.append(Transition.DISCHARGED)
    elif kind == "coordinator.handover":
        found.append(Transition.HANDOVER)
    elif kind == "stay.cancelled":
        found.append(Transition.STAY_CANCELLED)
    elif kind == "stay.user_controlled_started":
        found.append(Transition.USER_CONTROLLED_STARTED)
    return found


# handler(event, transition, actor): event is the PathwayEvent just written.
Listener = Callable[[Any, Transition, Any], None]
_LISTENERS: list[Listener] = []


def listen(handler: Listener) -> None:
    if handler not in _LISTENERS:
        _LISTENERS.append(handler)


def dispatch(event: Any, actor: Any) -> None:
    """Called by pathways.events.record_event for every event it writes."""
    if not _LISTENERS:
        return
    for transition in transitions_of(event.kind, event.data):
        for handler in _LISTENERS:
            handler(event, transition, actor)
