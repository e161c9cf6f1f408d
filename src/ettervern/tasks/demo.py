"""The demo's tasks on the pasient's pathway: the standard tasks its transitions made (for the
kommune, nav, fastlege and koordinator), and a few by hand: one of the koordinator's overdue,
one for the pasient, and one done. Made through the services as the team would, then dated
back where the demo needs a past (an overdue task, one done last week)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from ettervern.access.policy import Actor
from ettervern.pathways.models import Pathway
from ettervern.tasks import services
from ettervern.tasks.models import Task


def demo_tasks(pathway: Pathway, *, koordinator: Any, kommune: Any, patient_user: Any,
               today: dt.date) -> list[Task]:
    """Demo mode only (demo.logins calls it). `koordinator` and `kommune` are Staff."""
    by = Actor(user=koordinator.user, channel="cli")
    with transaction.atomic():
        overdue = services.task_create(
            actor=by, pathway=pathway, owner=koordinator,
            title="Ring pasienten og avtal tid for gjennomgang av kriseplanen",
            working_days=1, note="Pasienten ba om å bli ringt etter kl. 12.")
        Task.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=3))
        own = services.task_create(
            actor=by, pathway=pathway, owner="patient",
            title="Ta med husleiekontrakten til møtet med NAV", working_days=4,
            checkpoint="economy")
        first = services.task_create(
            actor=by, pathway=pathway, owner="patient",
            title="Les gjennom planen og si fra om noe bør endres", working_days=2)
        services.task_complete(actor=Actor(user=patient_user, channel="cli"), task=first)
        visit = services.task_create(
            actor=by, pathway=pathway, owner=kommune,
            title="Hjemmebesøk sammen med pasienten før utskriving", working_days=8,
            checkpoint="housing")
        done = services.task_create(
            actor=by, pathway=pathway, owner=koordinator,
            title="Send oppdatert plan til fastlegen", working_days=1)
        done = services.task_complete(actor=by, task=done)
        assert done.done_at is not None
        Task.objects.filter(pk=done.pk).update(done_at=done.done_at - dt.timedelta(days=6))
    return [overdue, own, first, visit, done]
