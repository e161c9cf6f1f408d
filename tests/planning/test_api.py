"""The plan's endpoints: what each role gets, the documented errors, no lost update."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.planning.plan.models import Measure, Plan, PlanVersion
from tests.api.conftest import ApiClient
from tests.planning.conftest import api_client

TODAY = clock.today()

ROLES = ["coordinator", "colleague", "specialist", "treating_clinician", "municipal", "nav",
         "gp", "patient_user", "kin_user", "outsider", "anonymous"]
EDITORS = {"coordinator", "colleague", "specialist"}
READERS = EDITORS | {"treating_clinician", "municipal", "nav", "gp", "patient_user"}
# Who owns the housing section (plan.contribute): the municipality and NAV.
HOUSING = EDITORS | {"municipal", "nav"}


@pytest.fixture
def client_as(request, plan):  # type: ignore[no-untyped-def]
    def make(role: str) -> ApiClient:
        if role == "anonymous":
            return ApiClient(Client())
        return api_client(request.getfixturevalue(role))
    return make


def _refusal(role: str, allowed: set[str], read: bool) -> int:
    if role == "anonymous":
        return 401
    # A next of kin may follow the pathway but not see the plan: refused writes to the plan
    # are "not found" to them too, so they learn nothing of it.
    if role in ("outsider", "kin_user") or (read and role not in allowed):
        return 404
    return 403


def url(plan: Plan, tail: str = "") -> str:
    return f"/api/pathways/{plan.pathway.public_id}/plan{tail}"


@pytest.mark.parametrize("role", ROLES)
def test_reading_the_plan(role, client_as, plan):
    response = client_as(role).get(url(plan))
    expected = 200 if role in READERS else _refusal(role, READERS, read=True)
    assert response.status_code == expected, response.content
    if expected == 200:
        body = response.json()
        assert [s["key"] for s in body["sections"]][0] == "housing"
        assert body["version"] == 1
    else:
        assert set(response.json()) >= {"code", "message", "field"}
        assert "sections" not in response.json()


@pytest.mark.parametrize("role", ROLES)
def test_versions_and_diff(role, client_as, plan):
    client = client_as(role)
    for path, params in ((url(plan, "/versions"), {}), (url(plan, "/diff"), {"old": 1, "new": 1})):
        response = client.get(path, **params)
        if role in READERS:
            # A diff of a version with itself is refused as input, after the access check.
            assert response.status_code in (200, 422), response.content
        else:
            assert response.status_code == _refusal(role, READERS, read=True)


@pytest.mark.parametrize("role", ROLES)
def test_changing_the_plan(role, client_as, plan, coordinator):
    response = client_as(role).patch(url(plan), {"version": 1, "goals": "Eget sted å bo"})
    if role in EDITORS:
        assert response.status_code == 200, response.content
        assert response.json()["texts"]["goals"] == "Eget sted å bo"
        assert response.json()["version"] == 2
    else:
        assert response.status_code == _refusal(role, EDITORS, read=False), response.content
        assert Plan.objects.get(pk=plan.pk).version == 1


@pytest.mark.parametrize("role", ROLES)
def test_a_section_and_a_measure(role, client_as, plan, coordinator):
    client = client_as(role)
    section = client.patch(url(plan, "/sections/housing"), {"version": 1, "goals": "Leilighet"})
    measure = client.post(url(plan, "/measures"), {
        "version": 2 if section.status_code == 200 else 1, "section": "housing",
        "description": "Søke bolig", "responsible_id": str(coordinator.public_id)})
    if role in HOUSING:
        assert section.status_code == 200, section.content
        assert measure.status_code == 201, measure.content
        assert measure.json()["responsible"]["name"] == coordinator.name
    else:
        expected = _refusal(role, HOUSING, read=False)
        assert (section.status_code, measure.status_code) == (expected, expected)
        assert not Measure.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_plan(role, request, section_types, pathway):
    # The plan fixture is not used: the pathway has no plan yet.
    client = ApiClient(Client()) if role == "anonymous" else api_client(
        request.getfixturevalue(role))
    response = client.post(f"/api/pathways/{pathway.public_id}/plan")
    if role in EDITORS:
        assert response.status_code == 201, response.content
        assert len(response.json()["sections"]) == 8
    else:
        assert response.status_code == _refusal(role, EDITORS, read=False)
        assert not Plan.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_patients_voice(role, client_as, plan):
    client = client_as(role)
    comment = client.post(url(plan, "/comments"), {"text": "Jeg vil ha hund."})
    agree = client.post(url(plan, "/agree"), {"version": 1})
    if role == "patient_user":
        assert comment.status_code == 201 and agree.status_code == 200, agree.content
        assert agree.json()["agreed_to_current"] is True
    else:
        expected = _refusal(role, {"patient_user"}, read=False)
        assert (comment.status_code, agree.status_code) == (expected, expected)
        assert Plan.objects.get(pk=plan.pk).agreed_version is None


def test_measure_update_and_its_refusals(plan, coordinator, outsider, municipal):
    client = api_client(coordinator)
    made = client.post(url(plan, "/measures"), {
        "version": 1, "section": "finances", "description": "Gjeldsrådgivning",
        "responsible_id": str(municipal.public_id), "start_on": str(TODAY)}).json()
    path = f"/api/plan-measures/{made['id']}"
    body = {"version": 2, "description": "Gjeldsrådgivning hos NAV",
            "responsible_id": str(municipal.public_id), "start_on": str(TODAY),
            "end_on": str(TODAY - dt.timedelta(days=1))}
    end_first = client._send("put", path, body)
    assert end_first.status_code == 422 and end_first.json()["field"] == "end_on"
    body.update(end_on=None, responsible_id=str(outsider.public_id))
    stranger = client._send("put", path, body)
    assert stranger.status_code == 422 and stranger.json()["field"] == "responsible"
    assert "ikke i behandlingsteamet" in stranger.json()["message"]
    body.update(responsible_id=str(municipal.public_id))
    ok = client._send("put", path, body)
    assert ok.status_code == 200 and ok.json()["description"] == "Gjeldsrådgivning hos NAV"
    stale = client._send("put", path, body)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert PlanVersion.objects.filter(plan=plan).count() == 3


def test_text_limits_are_documented_and_enforced(plan, coordinator):
    client = api_client(coordinator)
    too_long = client.patch(url(plan), {"version": 1, "goals": "x" * 2001})
    assert too_long.status_code == 422
    schema = Client().get("/api/openapi.json").json()["components"]["schemas"]
    assert schema["PlanPatchIn"]["properties"]["goals"]["maxLength"] == 2000
    assert schema["MeasureIn"]["properties"]["description"]["maxLength"] == 1000
    assert Plan.objects.get(pk=plan.pk).version == 1


def test_diff_shows_who_changed_what(plan, coordinator):
    client = api_client(coordinator)
    client.patch(url(plan, "/sections/housing"), {"version": 1, "goals": "Leilighet i byen"})
    client.patch(url(plan, "/sections/housing"), {"version": 2, "goals": "Leilighet på landet"})
    body = client.get(url(plan, "/diff"), old=1, new=3).json()
    assert [s["number"] for s in body["saves"]] == [2, 3]
    assert {s["saved_by"] for s in body["saves"]} == {coordinator.name}
    added = [line["text"] for line in body["lines"] if line["op"] == "added"]
    assert any("Leilighet på landet" in text for text in added)
    assert not any("Leilighet i byen" in line["text"] for line in body["lines"])


def test_one_audit_record_per_read(plan, coordinator):
    before = AuditEvent.objects.count()
    api_client(coordinator).get(url(plan))
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("id").action == "plan.view"


def test_the_patient_reading_marks_the_plan_seen(plan, patient_user, coordinator):
    assert Plan.objects.get(pk=plan.pk).seen_version is None
    api_client(coordinator).get(url(plan))
    assert Plan.objects.get(pk=plan.pk).seen_version is None
    api_client(patient_user).get(url(plan))
    assert Plan.objects.get(pk=plan.pk).seen_version == 1
