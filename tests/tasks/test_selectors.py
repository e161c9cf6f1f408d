"""The reads: "Mine oppgaver" (overdue first, marked, 25 a page, one query plus a count),
a pathway's tasks (the patient reads their own), the team overview's tasks per service, and
the reminders for tasks due tomorrow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.tasks import reminders, selectors
from ettervern.tasks.models import Service, Task
from tests import factories
from tests.pathways.helpers import act
from tests.tasks.conftest import make_task

pytestmark = pytest.mark.django_db


def _overdue(task: Task, days: int) -> None:
    Task.objects.filter(pk=task.pk).update(due_on=clock.today() - dt.timedelta(days=days))


def test_my_tasks_lists_overdue_first_and_marks_them(pathway, coordinator, municipal) -> None:  # type: ignore[no-untyped-def]
    later = make_task(pathway, coordinator, coordinator, "Senere", days=9)
    soon = make_task(pathway, coordinator, coordinator, "Snart", days=1)
    late = make_task(pathway, coordinator, coordinator, "Forsinket", days=1)
    _overdue(late, 3)
    make_task(pathway, coordinator, municipal, "Kommunens")  # someone else's
    done = make_task(pathway, coordinator, coordinator, "Ferdig")
    Task.objects.filter(pk=done.pk).update(status="done", done_at=clock.now(),
                                           done_by=coordinator.user)
    page, rows = selectors.my_tasks(act(coordinator))
    assert [r.task.pk for r in rows] == [late.pk, soon.pk, later.pk]
    assert [r.overdue for r in rows] == [True, False, False]
    assert page.paginator.count == 3
    assert rows[0].days_overdue == 3
    # Each patient named is an audited read, on the basis of owning the task.
    assert AuditEvent.objects.filter(action="task.list", basis="task:owner").count() == 3


def test_my_tasks_is_one_query_and_a_count_whatever_the_page(coordinator, clinic) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        other = factories.open_pathway(coordinator)
        make_task(other, coordinator, coordinator, f"Oppgave {n}", days=n % 7)
    actor = act(coordinator)
    with CaptureQueriesContext(connection) as queries:
        page, rows = selectors.my_tasks(actor, 1)
        names = [r.task.pathway.patient.full_name for r in rows]
        titles = [r.task.display_title for r in rows]
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(rows) == 25 and len(names) == len(titles) == 25
    assert len(selects) == 2, selects  # the count and the page
    assert page.paginator.num_pages == 2
    _page2, rest = selectors.my_tasks(actor, 2)
    assert len(rest) == 5


def test_my_tasks_leaves_out_closed_pathways_and_patients_who_blocked_me(
        pathway, coordinator, gp, patient_user) -> None:  # type: ignore[no-untyped-def]
    from ettervern.rights.models import Block

    make_task(pathway, coordinator, gp, "Epikrise")
    assert len(selectors.my_tasks(act(gp))[1]) == 1
    Block.objects.create(patient_id=pathway.patient_id, staff=gp, created_by=patient_user)
    assert selectors.my_tasks(act(gp))[1] == []
    assert len(selectors.my_tasks(act(coordinator))[1]) == 0  # none of the coordinator's
    make_task(pathway, coordinator, coordinator)
    type(pathway).objects.filter(pk=pathway.pk).update(closed_at=clock.now(), phase="closed")
    assert selectors.my_tasks(act(coordinator))[1] == []


def test_the_patient_reads_only_their_own_tasks_of_the_pathway(pathway, coordinator,
                                                               patient_user) -> None:  # type: ignore[no-untyped-def]
    own = make_task(pathway, coordinator, "patient", "Møt opp på NAV")
    make_task(pathway, coordinator, coordinator, "Ring fastlegen")
    theirs = selectors.pathway_tasks(actor=act(patient_user), public_id=pathway.public_id)
    assert [r.task.pk for r in theirs.rows] == [own.pk]
    assert not theirs.reads_all
    staff = selectors.pathway_tasks(actor=act(coordinator), public_id=pathway.public_id)
    assert len(staff.rows) == 2 and staff.reads_all


def test_open_tasks_by_service(pathway, coordinator, municipal, nav, patient_user) -> None:  # type: ignore[no-untyped-def]
    a = make_task(pathway, coordinator, municipal, "Bolig", days=5)
    b = make_task(pathway, coordinator, municipal, "Bostøtte", days=2)
    c = make_task(pathway, coordinator, nav, "Økonomi")
    d = make_task(pathway, coordinator, "patient", "Møt opp")
    done = make_task(pathway, coordinator, coordinator, "Ferdig")
    Task.objects.filter(pk=done.pk).update(status="done", done_at=clock.now(),
                                           done_by=coordinator.user)
    grouped = selectors.open_tasks_by_service(pathway)
    assert set(grouped) == set(Service)
    assert [t.pk for t in grouped[Service.MUNICIPALITY]] == [b.pk, a.pk]
    assert [t.pk for t in grouped[Service.NAV]] == [c.pk]
    assert [t.pk for t in grouped[Service.PATIENT]] == [d.pk]
    assert grouped[Service.OUTPATIENT] == [] and grouped[Service.GP] == []
    assert selectors.owner_name(grouped[Service.NAV][0]) == nav.name


def test_reminders_for_tasks_due_tomorrow(pathway, coordinator, municipal, patient_user) -> None:  # type: ignore[no-untyped-def]
    make_task(pathway, coordinator, municipal, "A", days=1)
    make_task(pathway, coordinator, municipal, "B", days=1)
    make_task(pathway, coordinator, municipal, "C", days=2)
    make_task(pathway, coordinator, "patient", "D", days=1)
    closed = make_task(pathway, coordinator, coordinator, "E", days=1)
    Task.objects.filter(pk=closed.pk).update(status="cancelled", done_at=clock.now(),
                                             done_by=coordinator.user)
    found = reminders.due_tomorrow(clock.today())
    assert {(r.owner_id, r.count, r.is_patient) for r in found} == {
        (municipal.user_id, 2, False), (patient_user.pk, 1, True)}
    assert reminders.due_tomorrow(clock.today() + dt.timedelta(days=1)) == [
        reminders.Reminder(owner_id=municipal.user_id, count=1, is_patient=False)]
