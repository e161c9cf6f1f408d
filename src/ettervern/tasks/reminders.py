"""The daily reminder of tasks due tomorrow: a background job (messaging.jobs.daily) that
notifies each owner once per day, in the app and by e-mail for those who chose e-mail for
tasks. Staff are told the task and the patient in the app; a patient is told only that a task
of theirs is due; the e-mail names nothing (messaging.notify)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from ettervern.messaging.notify import notify
from ettervern.tasks.models import Task

KEY = "tasks.due-tomorrow"


def remind_due_tomorrow(day: dt.date) -> None:
    """Notify the owner of every open task due the day after `day`, in one
    transaction: a retry after a failure does not notify twice."""
    due = day + dt.timedelta(days=1)
    tasks = (Task.objects.filter(status=Task.Status.OPEN, due_on=due)
             .select_related("owner__patient", "pathway__patient", "standard")
             .order_by("owner_id", "id"))
    by_owner: dict[int, list[Task]] = defaultdict(list)
    owners: dict[int, Any] = {}
    for task in tasks:
        by_owner[task.owner_id].append(task)
        owners[task.owner_id] = task.owner
    with transaction.atomic(), override("nb"):
        for owner_id, own in by_owner.items():
            owner = owners[owner_id]
            patient = getattr(owner, "patient", None)
            if patient is not None and all(t.pathway.patient_id == patient.pk for t in own):
                notify(users=[owner], kind="task", link=reverse("tasks:portal"),
                       text=ngettext("You have a task due tomorrow.",
                                     "You have %(n)d tasks due tomorrow.", len(own))
                       % {"n": len(own)})
                continue
            for task in own:
                notify(users=[owner], kind="task", link=reverse("tasks:mine"),
                       pathway=task.pathway,
                       text=_("Due tomorrow: %(task)s – %(patient)s")
                       % {"task": task.display_title, "patient": task.pathway.patient.full_name})
