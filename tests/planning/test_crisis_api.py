"""GET/PUT /api/pathways/{id}/crisis-plan: the documented errors, per role."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ettervern.planning.crisis.models import CrisisPlan
from tests.planning.conftest import ROLES

pytestmark = pytest.mark.django_db

BODY = {"version": 0, "warning_signs": "Sover dårlig", "own_actions": "Ringer Per",
        "others_actions": "", "bed": "",
        "contacts": [{"name": "Per", "phone": "+47 412 34 567", "when": "Om kvelden"}]}


def url(pathway):  # type: ignore[no-untyped-def]
    return f"/api/pathways/{pathway.public_id}/crisis-plan"


def put(client, pathway, body):  # type: ignore[no-untyped-def]
    return client.put(url(pathway), data=json.dumps(body), content_type="application/json")


def test_put_then_get(as_role, pathway):
    _person, client = as_role("coordinator")
    answer = put(client, pathway, BODY)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["version"] == 1
    assert body["contacts"] == [{"name": "Per", "phone": "+4741234567",
                                 "phone_display": "412 34 567", "when": "Om kvelden"}]
    again = client.get(url(pathway)).json()
    assert again == body


def test_get_before_any_plan_is_version_0(as_role, pathway):
    _person, client = as_role("patient")
    body = client.get(url(pathway)).json()
    assert (body["version"], body["contacts"], body["can_edit"]) == (0, [], False)


def test_stale_version_is_409(as_role, pathway):
    _person, client = as_role("coordinator")
    put(client, pathway, BODY)
    answer = put(client, pathway, {**BODY, "version": 0, "warning_signs": "Ny"})
    assert answer.status_code == 409
    assert answer.json()["code"] == "stale_version"
    assert CrisisPlan.objects.get().warning_signs == "Sover dårlig"


@pytest.mark.parametrize(("change", "field"), [
    ({"warning_signs": "x" * 2001}, "warning_signs"),
    ({"contacts": [{"name": "Per", "phone": "1234"}]}, "contacts.0.phone"),
    ({"contacts": [{"name": "", "phone": "41234567"}]}, None),
    ({"contacts": [{"name": "Per", "phone": "41234567"}] * 11}, None),
    ({"surprise": 1}, None),
    ({"version": -1}, None),
])
def test_invalid_input_is_422_and_saves_nothing(as_role, pathway, change, field):
    _person, client = as_role("coordinator")
    answer = put(client, pathway, {**BODY, **change})
    assert answer.status_code == 422, answer.content
    if field:
        assert answer.json()["field"] == field
    assert not CrisisPlan.objects.exists()


def test_unreadable_body_is_400(as_role, pathway):
    _person, client = as_role("coordinator")
    answer = client.put(url(pathway), data="{", content_type="application/json")
    assert answer.status_code == 400


def test_too_large_body_is_413(as_role, pathway, settings):
    _person, client = as_role("coordinator")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = put(client, pathway, {**BODY, "warning_signs": "x" * 1500})
    assert answer.status_code == 413
    assert not CrisisPlan.objects.exists()


def test_not_signed_in_is_401(pathway):
    assert Client().get(url(pathway)).status_code == 401
    assert put(Client(), pathway, BODY).status_code == 401


# Who may read (GET) and write (PUT): the policy's table, per role.
READ = {"coordinator": 200, "unit:coordinating": 200, "team:specialist_contact": 200,
        "unit:treating": 200, "team:municipal_contact": 200, "team:nav_contact": 200,
        "team:gp": 200, "patient": 200, "consent:pathway": 404, "consent:plan": 404,
        "consent:crisis_plan": 200, "consent:mapping": 404, "emergency": 200,
        "outsider": 404}
WRITE = {"coordinator": 200, "unit:coordinating": 200, "team:specialist_contact": 200,
         "unit:treating": 403, "team:municipal_contact": 200, "team:nav_contact": 403,
         "team:gp": 403, "patient": 403, "consent:pathway": 404, "consent:plan": 404,
         "consent:crisis_plan": 403, "consent:mapping": 404, "emergency": 403,
         "outsider": 404}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_reads_and_writes_as_the_policy_says(as_role, pathway, role):
    _person, client = as_role(role)
    assert client.get(url(pathway)).status_code == READ[role]
    answer = put(client, pathway, BODY)
    assert answer.status_code == WRITE[role], answer.content
    assert CrisisPlan.objects.exists() == (WRITE[role] == 200)


def test_closed_pathway_refuses_the_write(as_role, pathway, coordinator):
    from ettervern.pathways import services
    from tests.pathways.helpers import act, days_ago

    _person, client = as_role("coordinator")
    services.pathway_transition(actor=act(coordinator), pathway=pathway, to_phase="closed",
                                on=days_ago(0), note="Ferdig")
    assert put(client, pathway, BODY).status_code in (403, 409)
    assert client.get(url(pathway)).status_code == 200
    assert not CrisisPlan.objects.exists()
