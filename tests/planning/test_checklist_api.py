"""The checklist's endpoints: the list and an item's update, with every documented error and
a refusal for each role that may not."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.pathways import services as pathway_services
from ettervern.pathways.phases import Phase
from ettervern.planning.checklist import services
from ettervern.planning.checklist.models import ChecklistItem
from tests.api.conftest import ApiClient
from tests.pathways.helpers import act
from tests.planning.conftest import item

pytestmark = pytest.mark.django_db


def list_url(pathway) -> str:  # type: ignore[no-untyped-def]
    return f"/api/pathways/{pathway.public_id}/checklist"


def item_url(it) -> str:  # type: ignore[no-untyped-def]
    return f"/api/checklist-items/{it.public_id}"


def test_the_list_gives_items_in_order_with_progress(api_for, waiting, coordinator):  # type: ignore[no-untyped-def]
    response = api_for(coordinator).get(list_url(waiting))
    assert response.status_code == 200
    body = response.json()
    assert (body["done"], body["total"], body["page"], body["pages"]) == (0, 12, 1, 1)
    first = body["items"][0]
    assert first["key"] == "care-duties-children" and first["status"] == "not_started"
    assert first["name"] == "Omsorgsoppgaver: barn" and first["version"] == 1
    assert AuditEvent.objects.filter(actor_id=coordinator.user_id, action="checklist.view",
                                     channel="api").count() == 1


def test_the_name_follows_the_language_asked_for(waiting, coordinator):  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator.user)
    body = client.get(list_url(waiting)).json()
    assert body["items"][0]["name"] == "Care duties: children"


def test_patch_updates_and_left_out_fields_keep_their_value(api_for, waiting, coordinator,  # type: ignore[no-untyped-def]
                                                            municipal):
    housing = item(waiting, "housing")
    api = api_for(coordinator)
    response = api.patch(item_url(housing), {"version": 1, "owner_id": str(municipal.public_id),
                                             "note": "Kontrakt sjekkes"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["owner"]["id"] == str(municipal.public_id) and body["version"] == 2
    response = api.patch(item_url(housing), {"version": 2, "status": "clarified",
                                             "due_on": clock.today().isoformat()})
    body = response.json()
    assert body["note"] == "Kontrakt sjekkes" and body["owner"]["name"] == municipal.name
    assert body["status"] == "clarified"
    response = api.patch(item_url(housing), {"version": 3, "owner_id": None})
    assert response.json()["owner"] is None


def test_worklist_rows_carry_the_progress(api_for, waiting, coordinator):  # type: ignore[no-untyped-def]
    body = api_for(coordinator).get("/api/pathways").json()
    assert body["items"][0]["checklist_progress"] == "0/12"


@pytest.mark.parametrize(("body", "status", "code", "field"), [
    ({"version": 5, "note": "x"}, 409, "stale_version", None),
    ({"version": 1, "note": "x" * 1001}, 422, "invalid_input", None),
    ({"version": 1, "status": "done"}, 422, "invalid_input", None),
    ({"version": 1, "owner_id": "not-a-uuid"}, 422, "invalid_input", None),
    ({"version": 1, "colour": "red"}, 422, "invalid_input", None),
    ({"version": 1, "due_on": "2262-01-01"}, 422, "invalid_input", "due_on"),
])
def test_bad_input_is_refused_with_the_error_shape(api_for, waiting, coordinator, body, status,  # type: ignore[no-untyped-def]
                                                   code, field):
    housing = item(waiting, "housing")
    if status == 409:
        services.checklist_item_update(actor=act(coordinator), item=housing, expected_version=1,
                                       status="not_started", note="", due_on=None)
        housing.refresh_from_db()
    response = api_for(coordinator).patch(item_url(housing), body)
    assert response.status_code == status, response.content
    error = response.json()
    assert error["code"] in (code, "validation_error") and error["message"]
    if field:
        assert error["field"] == field
    after = item(waiting, "housing")
    assert after.version == housing.version and after.note == housing.note


def test_an_owner_not_on_the_team_is_422_on_the_owner_field(api_for, waiting, coordinator,  # type: ignore[no-untyped-def]
                                                            outsider):
    response = api_for(coordinator).patch(item_url(item(waiting, "housing")),
                                          {"version": 1, "owner_id": str(outsider.public_id)})
    assert response.status_code == 422
    assert response.json()["field"] == "owner"
    assert "behandlingsteamet" in response.json()["message"]


def test_a_body_too_large_is_413(api_for, waiting, coordinator):  # type: ignore[no-untyped-def]
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = api_for(coordinator).patch(item_url(item(waiting, "housing")),
                                          {"version": 1, "note": big})
    assert response.status_code == 413


def test_a_closed_pathway_is_409(api_for, waiting, coordinator):  # type: ignore[no-untyped-def]
    pathway_services.pathway_transition(actor=act(coordinator), pathway=waiting,
                                        to_phase=Phase.CLOSED, on=clock.today(), note="Flyttet")
    api = api_for(coordinator)
    assert api.get(list_url(waiting)).status_code == 200  # still readable
    response = api.patch(item_url(item(waiting, "housing")), {"version": 1, "status": "clarified"})
    assert response.status_code == 409 and response.json()["code"] == "rule_violation"


# Who may do what through the API: (role, list status, patch status on an item they do not own).
ROLES = [
    ("coordinator", 200, 200),
    ("colleague", 200, 200),
    ("specialist", 200, 200),
    ("treating_clinician", 200, 403),
    ("municipal", 200, 403),
    ("nav", 200, 403),
    ("gp", 200, 403),
    ("patient_user", 200, 403),
    ("kin_user", 404, 404),
    ("outsider", 404, 404),
]


@pytest.mark.parametrize(("role", "read", "write"), ROLES)
def test_each_role_reads_and_writes_as_the_policy_says(request, api_for, waiting, role, read,  # type: ignore[no-untyped-def]
                                                       write):
    person = request.getfixturevalue(role)
    api = api_for(person)
    assert api.get(list_url(waiting)).status_code == read
    housing = item(waiting, "housing")
    response = api.patch(item_url(housing), {"version": 1, "status": "clarified"})
    assert response.status_code == write, response.content
    changed = item(waiting, "housing").status == ChecklistItem.Status.CLARIFIED
    assert changed == (write == 200)
    user_id = getattr(person, "user_id", getattr(person, "pk", None))
    if write != 200:
        assert AuditEvent.objects.filter(actor_id=user_id, outcome="denied").exists()


def test_signed_out_is_401(waiting):  # type: ignore[no-untyped-def]
    api = ApiClient(Client())
    assert api.get(list_url(waiting)).status_code == 401
    assert api.patch(item_url(item(waiting, "housing")), {"version": 1}).status_code == 401


def test_unknown_ids_are_404(api_for, coordinator):  # type: ignore[no-untyped-def]
    api = api_for(coordinator)
    assert api.get("/api/pathways/00000000-0000-0000-0000-000000000000/checklist"
                   ).status_code == 404
    assert api.patch("/api/checklist-items/00000000-0000-0000-0000-000000000000",
                     {"version": 1}).status_code == 404
