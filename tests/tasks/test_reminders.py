"""Owners hear of their tasks: when one is given to them, and the day before it is due (the
daily job "tasks.remind" on messaging's queue). The texts name no patient; the e-mail is
messaging's neutral one."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core import clock
from ettervern.messaging import jobs
from ettervern.messaging.models import Notification, NotificationPreference
from tests.tasks.conftest import make_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_daily_job_reminds_each_owner_of_tasks_due_tomorrow(
        pathway, coordinator, municipal, patient_user, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from tests.tasks.conftest import ensure_standard_tasks

    ensure_standard_tasks()
    municipal.user.email = "kommune@example.no"
    municipal.user.save()
    NotificationPreference.objects.create(user=municipal.user, kind="task", email=True)
    make_task(pathway, coordinator, municipal, "Planlegg bolig", days=1)
    make_task(pathway, coordinator, municipal, "Søk bostøtte", days=1)
    make_task(pathway, coordinator, "patient", "Møt opp", days=1)
    make_task(pathway, coordinator, coordinator, "Senere", days=5)
    jobs.run_pending()  # the e-mails of the assignments
    Notification.objects.all().delete()
    mailoutbox.clear()
    assert "tasks.remind" in jobs.daily_keys()
    assert "tasks.remind" in jobs.enqueue_dailies(today=clock.today())
    jobs.run_pending()
    reminders = {n.user_id: n for n in Notification.objects.filter(kind="task")}
    assert set(reminders) == {municipal.user_id, patient_user.pk}
    assert reminders[municipal.user_id].text == "Du har 2 oppgaver med frist i morgen."
    assert reminders[municipal.user_id].link == "/oppgaver/"
    assert reminders[patient_user.pk].link == "/meg/oppgaver/"
    name = pathway.patient.full_name
    assert all(name not in n.text for n in reminders.values())
    # The e-mail, to the one who chose it: neutral, with a link.
    sent = [m for m in mailoutbox if "kommune@example.no" in m.to]
    assert len(sent) == 1
    assert name not in sent[0].body and "Planlegg bolig" not in sent[0].body
    assert "/oppgaver/" in sent[0].body
    # Once a day: the next run the same day enqueues nothing.
    assert jobs.enqueue_dailies(today=clock.today()) == []


def test_an_owner_hears_of_a_task_given_to_them(pathway, coordinator, municipal) -> None:  # type: ignore[no-untyped-def]
    make_task(pathway, coordinator, municipal, "Planlegg bolig", days=3)
    make_task(pathway, coordinator, coordinator, "Egen oppgave", days=3)
    notes = list(Notification.objects.filter(kind="task"))
    assert [(n.user_id, n.text) for n in notes] == [(municipal.user_id,
                                                    "Ny oppgave: Planlegg bolig")]
    assert notes[0].link == "/oppgaver/"


def test_standard_tasks_add_no_notification_to_the_transitions_own(
        pathway, coordinator, residential_unit, municipal, nav) -> None:  # type: ignore[no-untyped-def]
    """The team hears of the transition (messaging); the owner finds the task in "Mine
    oppgaver" and is reminded the day before it is due."""
    from ettervern.tasks.models import Task
    from tests.pathways.helpers import plan_stay
    from tests.tasks.conftest import ensure_standard_tasks

    ensure_standard_tasks()
    plan_stay(pathway, coordinator, residential_unit, clock.today() + dt.timedelta(days=7))
    assert Task.objects.filter(owner=municipal.user).exists()
    assert not Notification.objects.filter(kind="task").exists()
    assert Notification.objects.filter(user=municipal.user, kind="admission_date_set").exists()
