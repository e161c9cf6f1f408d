"""Transitions create the standard tasks of the table (data): for whoever holds the role then,
skipping a role no one holds, once per stay while open (a database constraint)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ettervern.core import clock, workdays
from ettervern.pathways import services as pathway_services
from ettervern.pathways.phases import Phase
from ettervern.pathways.transitions import Transition
from ettervern.tasks.models import Service, StandardTask, Task, Whom
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay

pytestmark = pytest.mark.django_db


def _titles(pathway) -> set[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    return {(t.checkpoint or t.standard.title_en, t.service, t.owner_id)
            for t in Task.objects.filter(pathway=pathway, status="open")
            .select_related("standard")}


def test_a_planned_stay_with_both_dates_makes_the_admission_and_discharge_tasks(
        pathway, coordinator, residential_unit, municipal, nav, gp) -> None:  # type: ignore[no-untyped-def]
    today = clock.today()
    stay = plan_stay(pathway, coordinator, residential_unit, today + dt.timedelta(days=7),
                     today + dt.timedelta(days=40))
    tasks = {t.checkpoint + ":" + t.service: t for t in Task.objects.filter(pathway=pathway)}
    assert set(tasks) == {"housing:municipality", "economy:nav",
                          "after_meeting_booked:outpatient", "before_meeting_held:outpatient",
                          "gp_informed:outpatient", "gp_informed:gp"}
    housing = tasks["housing:municipality"]
    assert housing.owner_id == municipal.user_id
    assert housing.title == "Planlegg oppfølging av bolig etter utskriving"
    assert housing.stay_id == stay.pk
    assert housing.source == "standard:admission_date_set"
    assert housing.due_on == workdays.add_working_days(today, 10)
    assert tasks["economy:nav"].owner_id == nav.user_id
    assert tasks["gp_informed:gp"].owner_id == gp.user_id
    assert tasks["after_meeting_booked:outpatient"].owner_id == coordinator.user_id
    assert housing.created_by_id == coordinator.user_id


def test_a_role_no_one_holds_is_skipped(pathway, coordinator, residential_unit) -> None:  # type: ignore[no-untyped-def]
    plan_stay(pathway, coordinator, residential_unit, clock.today() + dt.timedelta(days=7))
    # No end date: only the admission date is set, and no one holds the municipal or NAV role.
    assert not Task.objects.filter(pathway=pathway).exists()


def test_moving_a_date_again_does_not_pile_up_tasks(pathway, coordinator, residential_unit,
                                                    municipal) -> None:  # type: ignore[no-untyped-def]
    today = clock.today()
    stay = plan_stay(pathway, coordinator, residential_unit, today + dt.timedelta(days=7))
    for shift in (8, 9):
        stay.refresh_from_db()
        pathway_services.stay_update(actor=act(coordinator), stay=stay,
                                     expected_version=stay.version, unit=residential_unit,
                                     planned_start=today + dt.timedelta(days=shift),
                                     planned_end=None)
    assert Task.objects.filter(pathway=pathway, checkpoint="housing").count() == 1
    # Done, and the date moves again: a new one is made, since none is open.
    task = Task.objects.get(pathway=pathway, checkpoint="housing")
    Task.objects.filter(pk=task.pk).update(status="done", done_at=clock.now(),
                                           done_by=coordinator.user)
    stay.refresh_from_db()
    pathway_services.stay_update(actor=act(coordinator), stay=stay, expected_version=stay.version,
                                 unit=residential_unit, planned_start=today + dt.timedelta(days=12),
                                 planned_end=None)
    assert Task.objects.filter(pathway=pathway, checkpoint="housing").count() == 2


def test_the_database_refuses_a_second_open_standard_task_for_the_stay(
        pathway, coordinator, residential_unit, municipal) -> None:  # type: ignore[no-untyped-def]
    plan_stay(pathway, coordinator, residential_unit, clock.today() + dt.timedelta(days=7))
    task = Task.objects.get(pathway=pathway, checkpoint="housing")
    task.pk, task.public_id = None, None
    import uuid

    task.public_id = uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def _admitted(pathway, coordinator, residential_unit):  # type: ignore[no-untyped-def]
    pathway_services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                        to_phase=Phase.PRE_ADMISSION, on=days_ago(20))
    pathway.refresh_from_db()
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(10), days_ago(1))
    return pathway_services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(10))


def test_a_discharge_asks_the_municipality_to_follow_up_within_a_week(
        pathway, coordinator, residential_unit, municipal) -> None:  # type: ignore[no-untyped-def]
    stay = _admitted(pathway, coordinator, residential_unit)
    pathway_services.stay_discharge(actor=act(coordinator), stay=stay, on=days_ago(2),
                                    reason="Pasienten ønsket å reise hjem.")
    follow_up = Task.objects.get(pathway=pathway, source="standard:discharged")
    assert follow_up.owner_id == municipal.user_id
    assert follow_up.service == Service.MUNICIPALITY
    assert follow_up.stay_id == stay.pk
    # Counted from the discharge, not from the day it was recorded.
    assert follow_up.due_on == workdays.add_working_days(days_ago(2), 5)


def test_a_handover_asks_the_new_coordinator_to_read_the_plan(pathway, coordinator,
                                                              clinic) -> None:  # type: ignore[no-untyped-def]
    new = factories.staff(units=[clinic], username="ny_koordinator")
    pathway_services.coordinator_handover(actor=act(coordinator), pathway=pathway, to_staff=new,
                                          expected_version=pathway.version,
                                          reason="Permisjon")
    task = Task.objects.get(pathway=pathway, source="standard:handover")
    assert task.owner_id == new.user_id
    assert task.stay_id is None
    assert task.service == Service.OUTPATIENT


def test_a_cancelled_stay_asks_the_coordinator_what_happens_instead(
        pathway, coordinator, residential_unit) -> None:  # type: ignore[no-untyped-def]
    stay = plan_stay(pathway, coordinator, residential_unit, clock.today() + dt.timedelta(days=7))
    pathway_services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=stay.version,
                                 reason="Pasienten ønsker det ikke nå")
    task = Task.objects.get(pathway=pathway, source="standard:stay_cancelled")
    assert (task.owner_id, task.stay_id) == (coordinator.user_id, stay.pk)


def test_a_retired_row_makes_no_task_and_a_new_row_does(pathway, coordinator, residential_unit,
                                                        municipal, patient_user) -> None:  # type: ignore[no-untyped-def]
    StandardTask.objects.filter(checkpoint="housing").update(active=False)
    StandardTask.objects.create(transition=Transition.ADMISSION_DATE_SET, whom=Whom.PATIENT,
                                title_nb="Si fra til utleier", title_en="Tell the landlord",
                                working_days=2)
    plan_stay(pathway, coordinator, residential_unit, clock.today() + dt.timedelta(days=7))
    assert not Task.objects.filter(pathway=pathway, checkpoint="housing").exists()
    mine = Task.objects.get(pathway=pathway, owner=patient_user)
    assert (mine.title, mine.service) == ("Si fra til utleier", Service.PATIENT)


def test_a_change_that_fails_after_the_tasks_leaves_no_task(
        pathway, coordinator, residential_unit, municipal, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The listener runs in the service's transaction: when something after it fails, the
    change and its tasks roll back together."""
    from ettervern.pathways import transitions

    def fail(event, transition, actor):  # type: ignore[no-untyped-def]
        assert Task.objects.filter(pathway=pathway).exists()  # made by then
        raise RuntimeError("later listener failed")

    monkeypatch.setattr(transitions, "_LISTENERS", [*transitions._LISTENERS, fail])
    with pytest.raises(RuntimeError):
        plan_stay(pathway, coordinator, residential_unit, clock.today() + dt.timedelta(days=7))
    assert not Task.objects.filter(pathway=pathway).exists()
    assert not pathway.stays.exists()


def test_only_superusers_keep_the_table_in_the_admin(coordinator) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client

    url = "/admin/tasks/standardtask/"
    staff_user = coordinator.user
    staff_user.is_staff = True
    staff_user.save()
    client = Client()
    client.force_login(staff_user)
    assert client.get(url).status_code == 403
    root = get_user_model().objects.create_superuser(username="rot", password=None)
    client.force_login(root)
    page = client.get(url)
    assert page.status_code == 200
    assert "Planlegg oppfølging av bolig etter utskriving" in page.content.decode()
    row = StandardTask.objects.get(checkpoint="housing")
    assert client.get(f"{url}{row.pk}/delete/").status_code == 403
