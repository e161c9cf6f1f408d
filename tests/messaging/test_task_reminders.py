"""Tasks due tomorrow: the daily job reminds each owner once, in the app, and by e-mail for
those who chose it; the patient gets a plain sentence; e-mails name nobody."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from ettervern.core import clock
from ettervern.messaging import jobs
from ettervern.messaging.models import DailyRun, Notification, NotificationPreference
from ettervern.tasks import reminders
from ettervern.tasks.models import Service, Task

pytestmark = pytest.mark.django_db


def task(pathway, owner, due: dt.date, title: str = "Planlegg botilbud") -> Task:  # type: ignore[no-untyped-def]
    return Task.objects.create(pathway=pathway, owner=owner, service=Service.MUNICIPALITY,
                               title=title, due_on=due, created_by=owner)


def test_owners_of_tasks_due_tomorrow_are_reminded_once(pathway, municipal, patient_user):  # type: ignore[no-untyped-def]
    morning = timezone.make_aware(dt.datetime(2026, 5, 11, 7, 0))
    today = timezone.localdate(morning)
    tomorrow = today + dt.timedelta(days=1)
    task(pathway, municipal.user, tomorrow)
    task(pathway, municipal.user, tomorrow + dt.timedelta(days=1), "Ikke ennå")
    task(pathway, patient_user, tomorrow, "Ta med legitimasjon")
    municipal.user.email = "kommune@example.no"
    municipal.user.save()
    NotificationPreference.objects.create(user=municipal.user, kind="task", email=True)
    assert reminders.KEY in jobs.daily_keys()
    with clock.frozen(morning):
        jobs.Worker(worker_id="w").maintain()
        jobs.run_pending()
        jobs.Worker(worker_id="w2").maintain()  # a second look, or a second worker
        jobs.run_pending()
    assert DailyRun.objects.filter(key=reminders.KEY, day=today).count() == 1
    staff = list(Notification.objects.filter(user=municipal.user).values_list("text", flat=True))
    assert staff == [f"Frist i morgen: Planlegg botilbud – {pathway.patient.full_name}"]
    own = Notification.objects.get(user=patient_user)
    assert own.text == "Du har en oppgave med frist i morgen."
    assert own.link == "/meg/oppgaver/"
    assert [m.to for m in mail.outbox] == [["kommune@example.no"]]
    assert pathway.patient.family_name not in mail.outbox[0].body
    assert "botilbud" not in mail.outbox[0].body
