"""Reminders for tasks due tomorrow: each owner hears once a day of their open tasks due the
next day (messaging's daily job "tasks.remind", wired in tasks.apps). The reminder names no
patient: the e-mail says only that there is something to do, with a link to "Mine oppgaver"
(or, for the patient, their own tasks page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from ettervern.tasks.models import Service, Task


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


def _link(is_patient: bool) -> str:
    return reverse("tasks:portal") if is_patient else reverse("tasks:mine")


def remind(day: dt.date) -> None:
    """The daily job "tasks.remind": each owner of open tasks due the day after `day` is
    notified (kind "task": in the app, and by e-mail to those who chose it; the e-mail is
    messaging's neutral one). The text names no patient."""
    from django.contrib.auth import get_user_model

    from ettervern.messaging.notify import notify

    found = due_tomorrow(day)
    users = get_user_model().objects.in_bulk([r.owner_id for r in found])
    with transaction.atomic():
        for reminder in found:
            user = users.get(reminder.owner_id)
            if user is None:
                continue
            with override("nb"):
                text = ngettext("You have %(n)d task due tomorrow.",
                                "You have %(n)d tasks due tomorrow.",
                                reminder.count) % {"n": reminder.count}
            notify(users=[user], kind="task", text=text, link=_link(reminder.is_patient))


def assigned(tasks: list[Task], *, by_user_id: int) -> None:
    """Tell each owner (but the one who made it) that they have a new task, in the caller's
    transaction. The text names the task, not the patient."""
    from django.contrib.auth import get_user_model

    from ettervern.messaging.notify import notify

    owners: dict[int, list[Task]] = {}
    for task in tasks:
        if task.owner_id != by_user_id:
            owners.setdefault(task.owner_id, []).append(task)
    if not owners:
        return
    users = get_user_model().objects.in_bulk(list(owners))
    for owner_id, theirs in owners.items():
        user = users.get(owner_id)
        if user is None:
            continue
        with override("nb"):
            if len(theirs) == 1:
                text = _("New task: %(title)s") % {"title": theirs[0].title}
            else:
                text = _("You have %(n)d new tasks.") % {"n": len(theirs)}
        notify(users=[user], kind="task", text=text, pathway=theirs[0].pathway,
               link=_link(theirs[0].service == Service.PATIENT))
