"""Reminders for tasks due tomorrow: each owner hears once a day of their open tasks due the
next day (messaging's daily job "tasks.remind", wired in tasks.apps). The reminder names no
patient: the e-mail says only that there is something to do, with a link to "Mine oppgaver"
(or, for the patient, their own tasks page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ettervern.tasks.models import Task


@dataclass(frozen=True)
class Reminder:
    owner_id: int
    count: int
    is_patient: bool


def due_tomorrow(today: dt.date) -> list[Reminder]:
    """One reminder per owner with open tasks due the day after `today` on open pathways, in
    one query."""
    tomorrow = today + dt.timedelta(days=1)
    counts: dict[tuple[int, bool], int] = {}
    rows = (Task.objects.filter(status=Task.Status.OPEN, due_on=tomorrow,
                                pathway__closed_at__isnull=True)
            .values_list("owner_id", "service"))
    for owner_id, service in rows:
        key = (owner_id, service == "patient")
        counts[key] = counts.get(key, 0) + 1
    return [Reminder(owner_id=owner, count=n, is_patient=patient)
            for (owner, patient), n in sorted(counts.items())]
