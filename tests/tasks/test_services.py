"""The task services: who may do what, the owner's service, input a person can act on, and
nothing stored when refused."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, StaleVersion
from ettervern.tasks import checkpoints, services
from ettervern.tasks.models import Service, Task
from tests.pathways.helpers import act
from tests.tasks.conftest import make_task

pytestmark = pytest.mark.django_db


def test_the_owners_service_follows_their_role(pathway, coordinator, municipal, nav, gp,
                                               patient_user, specialist,
                                               treating_clinician) -> None:  # type: ignore[no-untyped-def]
    expected = {coordinator: Service.OUTPATIENT, municipal: Service.MUNICIPALITY,
                nav: Service.NAV, gp: Service.GP, specialist: Service.OUTPATIENT,
                treating_clinician: Service.RESIDENTIAL, "patient": Service.PATIENT}
    for owner, service in expected.items():
        task = make_task(pathway, coordinator, owner)
        assert task.service == service, owner
    assert Task.objects.get(service=Service.PATIENT).owner_id == patient_user.pk


def test_an_owner_off_the_team_is_refused(pathway, coordinator, outsider) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        make_task(pathway, coordinator, outsider)
    assert refused.value.field == "owner"
    assert "må være med i teamet rundt pasienten" in str(refused.value)
    with pytest.raises(InvalidInput):
        make_task(pathway, coordinator, "patient")  # the patient has no user account
    assert not Task.objects.exists()


@pytest.mark.parametrize(("field", "kwargs"), [
    ("title", {"title": "   "}),
    ("title", {"title": "x" * 201}),
    ("note", {"note": "x" * 2001}),
    ("due_on", {"days": -1}),
    ("due_on", {"days": 800}),
    ("checkpoint", {"checkpoint": "ikke en slug!"}),
    ("measure", {"measure": "00000000-0000-0000-0000-000000000000"}),
])
def test_bad_input_is_refused_with_a_message(pathway, coordinator, field, kwargs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        make_task(pathway, coordinator, coordinator, **kwargs)
    assert refused.value.field == field
    assert refused.value.status == 422
    assert not Task.objects.exists()


def test_a_registered_checkpoint_list_is_enforced(pathway, coordinator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(checkpoints, "_KNOWN", {"housing": "Bolig er avklart"})
    assert make_task(pathway, coordinator, coordinator, checkpoint="housing").checkpoint == (
        "housing")
    with pytest.raises(InvalidInput):
        make_task(pathway, coordinator, coordinator, checkpoint="economy")


def test_a_measure_of_the_plan_can_be_named(pathway, coordinator, plan) -> None:  # type: ignore[no-untyped-def]
    from ettervern.planning.plan import services as plan_services

    measure = plan_services.measure_add(actor=act(coordinator), plan=plan, expected_version=1,
                                        section="housing", description="Bolig",
                                        responsible=coordinator)
    task = make_task(pathway, coordinator, coordinator, measure=measure.public_id)
    assert task.measure_id == measure.pk


def test_who_may_not_manage_is_refused_and_audited(pathway, coordinator, outsider, kin_user,
                                                   patient_user) -> None:  # type: ignore[no-untyped-def]
    for person in (outsider, kin_user):
        with pytest.raises(NotFound):
            make_task(pathway, person, coordinator)
    with pytest.raises(Forbidden):  # the patient reads tasks, but does not set them
        make_task(pathway, patient_user, "patient")
    assert not Task.objects.exists()
    assert AuditEvent.objects.filter(action="task.manage", outcome="denied").count() == 3


def test_the_patient_completes_their_own_task_and_only_that(pathway, coordinator,
                                                            patient_user) -> None:  # type: ignore[no-untyped-def]
    own = make_task(pathway, coordinator, "patient", "Ta med legeerklæring")
    other = make_task(pathway, coordinator, coordinator)
    done = services.task_complete(actor=act(patient_user), task=own)
    assert (done.status, done.done_by_id) == ("done", patient_user.pk)
    assert AuditEvent.objects.filter(action="task.view", actor_id=str(patient_user.pk),
                                     outcome="allowed", object_id=str(own.public_id)).exists()
    with pytest.raises(NotFound):  # not theirs: as if it did not exist
        services.task_complete(actor=act(patient_user), task=other)
    with pytest.raises(Forbidden):  # cancelling is the team's, even of their own
        services.task_cancel(actor=act(patient_user), task=own)
    # Done by mistake: they open it again.
    assert services.task_reopen(actor=act(patient_user), task=own).status == "open"
    other.refresh_from_db()
    assert other.status == "open"


def test_complete_reopen_cancel(pathway, coordinator, municipal) -> None:  # type: ignore[no-untyped-def]
    task = make_task(pathway, coordinator, municipal)
    done = services.task_complete(actor=act(municipal), task=task)
    assert done.done_at == clock.now() or done.done_at is not None
    with pytest.raises(RuleViolation):
        services.task_complete(actor=act(coordinator), task=task)
    services.task_reopen(actor=act(coordinator), task=task)
    cancelled = services.task_cancel(actor=act(coordinator), task=task)
    assert (cancelled.status, cancelled.done_by_id) == ("cancelled", coordinator.user_id)
    task.refresh_from_db()
    assert task.version == 4


def test_update_changes_owner_and_service_and_refuses_a_stale_version(
        pathway, coordinator, municipal, nav) -> None:  # type: ignore[no-untyped-def]
    task = make_task(pathway, coordinator, municipal)
    due = clock.today() + dt.timedelta(days=10)
    changed = services.task_update(actor=act(coordinator), task=task, expected_version=1,
                                   title="Avklar bostøtte", due_on=due, note="Søknad sendt",
                                   owner=nav.public_id)
    assert (changed.title, changed.owner_id, changed.service, changed.due_on) == (
        "Avklar bostøtte", nav.user_id, Service.NAV, due)
    with pytest.raises(StaleVersion):
        services.task_update(actor=act(coordinator), task=task, expected_version=1,
                             title="Noe annet", due_on=due)
    task.refresh_from_db()
    assert task.title == "Avklar bostøtte"


def test_a_closed_pathway_takes_no_new_task(pathway, coordinator) -> None:  # type: ignore[no-untyped-def]
    from ettervern.pathways.phases import Phase

    Task.objects.all().delete()
    type(pathway).objects.filter(pk=pathway.pk).update(closed_at=clock.now(), phase=Phase.CLOSED)
    pathway.refresh_from_db()
    with pytest.raises((RuleViolation, NotFound, Forbidden)):
        make_task(pathway, coordinator, coordinator)
    assert not Task.objects.exists()
