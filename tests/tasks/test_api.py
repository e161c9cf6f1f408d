"""The tasks endpoints: what they answer, and that everyone without the right is refused
(404 for what they may not see) with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core import clock
from ettervern.tasks.models import Task
from tests.tasks.conftest import api_client, make_task

pytestmark = pytest.mark.django_db


def test_create_list_complete_reopen_cancel(pathway, coordinator, municipal) -> None:  # type: ignore[no-untyped-def]
    api = api_client(coordinator)
    response = api.post(f"/api/pathways/{pathway.public_id}/tasks", {
        "owner": str(municipal.public_id), "title": "Planlegg bolig", "working_days": 3,
        "note": "Husleie skyldes"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["service"], body["status"], body["owner_name"]) == (
        "municipality", "open", municipal.name)
    task_id = body["id"]
    listed = api.get(f"/api/pathways/{pathway.public_id}/tasks").json()
    assert [t["id"] for t in listed["items"]] == [task_id]
    mine = api_client(municipal).get("/api/tasks/mine").json()
    assert mine["total"] == 1
    assert mine["items"][0]["patient_name"] == pathway.patient.full_name
    assert mine["items"][0]["page_url"] == f"/forlop/{pathway.public_id}/oppgaver/"
    done = api_client(municipal).post(f"/api/tasks/{task_id}/complete")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api.post(f"/api/tasks/{task_id}/reopen").json()["status"] == "open"
    assert api.post(f"/api/tasks/{task_id}/cancel").json()["status"] == "cancelled"


def test_update(pathway, coordinator, nav) -> None:  # type: ignore[no-untyped-def]
    task = make_task(pathway, coordinator, coordinator)
    due = (clock.today() + dt.timedelta(days=20)).isoformat()
    response = api_client(coordinator).patch(f"/api/tasks/{task.public_id}", {
        "version": 1, "title": "Avklar økonomi", "due_on": due, "owner": str(nav.public_id)})
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["service"], response.json()["due_on"]) == (
        "Avklar økonomi", "nav", due)
    stale = api_client(coordinator).patch(f"/api/tasks/{task.public_id}",
                                          {"version": 1, "title": "X"})
    assert stale.status_code == 409


@pytest.mark.parametrize(("body", "field"), [
    ({"owner": "patient", "title": "Møt opp"}, "due_on"),
    ({"owner": "nobody", "title": "Møt opp", "working_days": 2}, "owner"),
    ({"owner": "patient", "title": "", "working_days": 2}, "title"),
    ({"owner": "patient", "title": "Møt opp", "due_on": "2020-01-01"}, "due_on"),
])
def test_bad_input_answers_422_in_norwegian_and_stores_nothing(pathway, coordinator,
                                                               patient_user, body, field) -> None:  # type: ignore[no-untyped-def]
    response = api_client(coordinator).post(f"/api/pathways/{pathway.public_id}/tasks", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Task.objects.exists()


def test_the_patient_completes_their_own_over_the_api(pathway, coordinator,
                                                      patient_user) -> None:  # type: ignore[no-untyped-def]
    own = make_task(pathway, coordinator, "patient", "Møt opp")
    other = make_task(pathway, coordinator, coordinator)
    api = api_client(patient_user)
    assert [t["id"] for t in api.get(f"/api/pathways/{pathway.public_id}/tasks").json()[
        "items"]] == [str(own.public_id)]
    assert api.post(f"/api/tasks/{own.public_id}/complete").status_code == 200
    assert api.post(f"/api/tasks/{other.public_id}/complete").status_code == 404
    assert api.post(f"/api/tasks/{own.public_id}/cancel").status_code == 403


ENDPOINTS = [
    ("get", "/api/pathways/{p}/tasks", None),
    ("post", "/api/pathways/{p}/tasks", {"owner": "patient", "title": "X", "working_days": 1}),
    ("patch", "/api/tasks/{t}", {"version": 1, "title": "X"}),
    ("post", "/api/tasks/{t}/complete", None),
    ("post", "/api/tasks/{t}/reopen", None),
    ("post", "/api/tasks/{t}/cancel", None),
]


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
@pytest.mark.parametrize("who", ["outsider", "kin_user", "emergency_clinician"])
def test_who_has_no_right_is_told_not_found(method, url, body, who, request, pathway,
                                            coordinator, patient_user) -> None:  # type: ignore[no-untyped-def]
    task = make_task(pathway, coordinator, coordinator)
    if url.endswith("reopen"):
        Task.objects.filter(pk=task.pk).update(status="done", done_at=clock.now(),
                                               done_by=coordinator.user)
    before = list(Task.objects.values_list("pk", "version", "status"))
    api = api_client(request.getfixturevalue(who))
    path = url.format(p=pathway.public_id, t=task.public_id)
    response = api.get(path) if method == "get" else getattr(api, method)(path, body)
    assert response.status_code == 404, (who, path, response.content)
    assert list(Task.objects.values_list("pk", "version", "status")) == before


def test_my_tasks_needs_a_sign_in(db) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    assert Client().get("/api/tasks/mine").status_code == 401
