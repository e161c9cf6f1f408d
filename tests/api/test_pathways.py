"""Worklist, opening, reading, editing and moving a pathway, and its timeline."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.pathways.models import Pathway
from ettervern.patients.models import Patient
from tests import factories
from tests.api.conftest import denials


def days_ago(n: int) -> str:
    return str(clock.today() - dt.timedelta(days=n))


# --- worklist ----------------------------------------------------------------------------------

def test_worklist_lists_my_pathways(as_coordinator, pathway):
    body = as_coordinator.get("/api/pathways").json()
    assert (body["page"], body["pages"], body["total"]) == (1, 1, 1)
    item = body["items"][0]
    assert item["id"] == str(pathway.public_id)
    assert item["patient_name"] == pathway.patient.full_name
    assert item["national_id_masked"] == pathway.patient.national_id[:6] + " *****"
    assert pathway.patient.national_id not in str(body)
    assert item["phase"] == "contact"
    assert item["days_waiting"] == 30
    assert item["responsible_unit"] == "TSB-poliklinikken"
    assert item["coordinator"]["name"] == pathway.coordinator.name
    assert item["version"] == 1


def test_worklist_filters_and_pages(as_coordinator, coordinator):
    for _ in range(27):
        factories.open_pathway(coordinator)
    first = as_coordinator.get("/api/pathways", page=1).json()
    second = as_coordinator.get("/api/pathways", page=2, phase="", q="").json()
    assert (first["total"], first["pages"], len(first["items"])) == (27, 2, 25)
    assert len(second["items"]) == 2
    assert as_coordinator.get("/api/pathways", phase="residential").json()["total"] == 0
    name = first["items"][0]["patient_name"]
    found = as_coordinator.get("/api/pathways", q=name.split()[1]).json()
    assert [i["patient_name"] for i in found["items"]] == [name]


def test_worklist_is_empty_for_an_outsider(as_outsider, pathway):
    assert as_outsider.get("/api/pathways", scope="unit").json()["total"] == 0


@pytest.mark.parametrize("params", [{"scope": "all"}, {"phase": "waiting"}, {"page": "0"},
                                    {"page": "two"}])
def test_worklist_bad_filters_are_422(as_coordinator, pathway, params):
    response = as_coordinator.get("/api/pathways", **params)
    assert response.status_code == 422
    assert response.json()["field"] == next(iter(params))
    assert response.json()["message"]


def test_worklist_query_count_does_not_grow_with_rows(as_coordinator, coordinator):
    def count_queries() -> int:
        as_coordinator.get("/api/pathways")  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            response = as_coordinator.get("/api/pathways")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        factories.open_pathway(coordinator)
    with_two = count_queries()
    for _ in range(8):
        factories.open_pathway(coordinator)
    with_ten = count_queries()
    assert as_coordinator.get("/api/pathways").json()["total"] == 10
    assert with_two == with_ten


# --- opening -----------------------------------------------------------------------------------

def open_body(clinic, **changes):  # type: ignore[no-untyped-def]
    body = {"national_id": factories.national_id(), "given_name": "Ola",
            "family_name": "Nordmann", "coordinating_unit_id": str(clinic.public_id),
            "referral_received_on": days_ago(3), "referrer": "Fastlege Berg"}
    body.update(changes)
    return body


def test_open_pathway(as_coordinator, clinic, coordinator):
    body = open_body(clinic, note="Ringt pasienten")
    response = as_coordinator.post("/api/pathways", body)
    assert response.status_code == 201, response.content
    data = response.json()
    pathway = Pathway.objects.get(public_id=data["id"])
    assert pathway.patient.national_id == body["national_id"]
    assert pathway.coordinator == coordinator
    assert data["patient"]["national_id"] == body["national_id"]
    assert data["referrer"] == "Fastlege Berg"
    assert data["phase"] == "contact"
    assert "pathway.transition" in data["allowed_actions"]


def test_open_pathway_from_first_contact_before_referral(as_coordinator, clinic):
    body = open_body(clinic, referral_received_on=None, referrer="", first_contact_on=days_ago(1))
    response = as_coordinator.post("/api/pathways", body)
    assert response.status_code == 201, response.content
    assert response.json()["first_contact_on"] == days_ago(1)


def test_wrong_check_digit_creates_nothing(as_coordinator, clinic):
    good = factories.national_id()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    response = as_coordinator.post("/api/pathways", open_body(clinic, national_id=bad))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert response.json()["field"] == "national_id"
    assert response.json()["message"]
    assert not Patient.objects.exists()
    assert not Pathway.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"given_name": None}, "given_name"),
    ({"national_id": 12345678901}, "national_id"),
    ({"coordinating_unit_id": "not-a-uuid"}, "coordinating_unit_id"),
    ({"coordinating_unit_id": str(uuid.uuid4())}, "coordinating_unit_id"),
    ({"referral_received_on": "2024-02-30"}, "referral_received_on"),
    ({"referral_received_on": "i morgen"}, "referral_received_on"),
    ({"referral_received_on": None}, "referral_received_on"),
    ({"referrer": ""}, "referrer"),
    ({"unexpected": 1}, "unexpected"),
])
def test_bad_input_is_422_and_writes_nothing(as_coordinator, clinic, changes, field):
    response = as_coordinator.post("/api/pathways", open_body(clinic, **changes))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert response.json()["message"]
    assert not Patient.objects.exists()


def test_future_referral_date_is_refused(as_coordinator, clinic):
    tomorrow = str(clock.today() + dt.timedelta(days=1))
    response = as_coordinator.post("/api/pathways",
                                   open_body(clinic, referral_received_on=tomorrow))
    assert response.status_code == 422
    assert not Patient.objects.exists()


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "\"text\"", ""])
def test_unreadable_body_is_4xx_not_500(as_coordinator, clinic, raw):
    response = as_coordinator.post("/api/pathways", raw=raw)
    assert response.status_code in (400, 422)
    assert response.json()["message"]
    assert not Patient.objects.exists()


def test_outsider_cannot_open_a_pathway_at_another_clinic(as_outsider, clinic):
    response = as_outsider.post("/api/pathways", open_body(clinic))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Patient.objects.exists()


def test_a_patient_with_an_open_pathway_gets_409(as_coordinator, clinic, pathway):
    body = open_body(clinic, national_id=pathway.patient.national_id)
    response = as_coordinator.post("/api/pathways", body)
    assert response.status_code == 409
    assert Pathway.objects.count() == 1


# --- reading -----------------------------------------------------------------------------------

def test_pathway_detail(as_coordinator, pathway, residential_unit):
    response = as_coordinator.get(f"/api/pathways/{pathway.public_id}")
    assert response.status_code == 200
    data = response.json()
    assert data["patient"]["family_name"] == pathway.patient.family_name
    assert data["coordinating_unit"]["name"] == "TSB-poliklinikken"
    assert data["treatment_responsible_unit"] == "TSB-poliklinikken"
    assert data["next_phases"] == ["pre_admission", "closed"]
    assert data["access_basis"] == "coordinator"
    assert data["version"] == pathway.version
    assert AuditEvent.objects.filter(action="pathway.view", channel="api",
                                     outcome="allowed", object_id=str(pathway.public_id)).exists()


def test_outsider_gets_404_and_the_refusal_is_audited(as_outsider, outsider, pathway):
    response = as_outsider.get(f"/api/pathways/{pathway.public_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert pathway.patient.family_name not in response.content.decode()
    event = AuditEvent.objects.get(actor_id=outsider.user.pk, outcome="denied")
    assert (event.action, event.channel, event.patient_id) == ("pathway.view", "api",
                                                               pathway.patient_id)


def test_unknown_and_malformed_ids(as_coordinator, pathway):
    assert as_coordinator.get(f"/api/pathways/{uuid.uuid4()}").status_code == 404
    response = as_coordinator.get("/api/pathways/123")
    assert response.status_code == 422
    assert response.json()["field"] == "id"


# --- editing -----------------------------------------------------------------------------------

def test_patch_pathway(as_coordinator, pathway):
    response = as_coordinator.patch(f"/api/pathways/{pathway.public_id}",
                                    {"version": pathway.version, "note": "Bor hos søster"})
    assert response.status_code == 200, response.content
    pathway.refresh_from_db()
    assert pathway.note == "Bor hos søster"
    assert pathway.referrer == "Fastlege Hansen"  # left out, so unchanged
    assert response.json()["version"] == pathway.version == 2


def test_patch_with_stale_version_is_409_and_changes_nothing(as_coordinator, pathway):
    url = f"/api/pathways/{pathway.public_id}"
    assert as_coordinator.patch(url, {"version": 1, "note": "first"}).status_code == 200
    response = as_coordinator.patch(url, {"version": 1, "note": "second", "referrer": "Legevakt"})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    pathway.refresh_from_db()
    assert (pathway.note, pathway.referrer, pathway.version) == ("first", "Fastlege Hansen", 2)


def test_patch_needs_a_version(as_coordinator, pathway):
    response = as_coordinator.patch(f"/api/pathways/{pathway.public_id}", {"note": "x"})
    assert response.status_code == 422
    assert response.json()["field"] == "version"


def test_view_only_role_gets_403_on_edit_and_it_is_audited(pathway, gp, coordinator):
    from ettervern.pathways import services
    from tests.api.conftest import signed_in

    services.careteam_add(actor=factories.actor(coordinator), pathway=pathway, staff=gp,
                          role="gp")
    as_gp = signed_in(gp.user)
    assert as_gp.get(f"/api/pathways/{pathway.public_id}").status_code == 200
    response = as_gp.patch(f"/api/pathways/{pathway.public_id}",
                           {"version": pathway.version, "note": "x"})
    assert response.status_code == 403
    assert denials(gp.user) == 1
    pathway.refresh_from_db()
    assert pathway.note == ""


# --- transitions -------------------------------------------------------------------------------

def test_transitions_through_a_whole_pathway(as_coordinator, pathway, residential_unit):
    url = f"/api/pathways/{pathway.public_id}"
    today = str(clock.today())
    moved = as_coordinator.post(f"{url}/transitions",
                                {"to_phase": "pre_admission", "on": days_ago(10)})
    assert moved.status_code == 200, moved.content
    assert moved.json()["phase"] == "pre_admission"
    stay = as_coordinator.post(f"{url}/stays", {"unit_id": str(residential_unit.public_id),
                                                "planned_start": days_ago(5)}).json()
    admitted = as_coordinator.post(f"{url}/transitions",
                                   {"to_phase": "residential", "on": days_ago(5),
                                    "stay_id": stay["id"]})
    assert admitted.status_code == 200, admitted.content
    assert admitted.json()["phase"] == "residential"
    detail = as_coordinator.get(url).json()
    assert detail["treatment_responsible_unit"] == residential_unit.name
    assert detail["stays"][0]["status"] == "ongoing"
    discharged = as_coordinator.post(f"{url}/transitions", {"to_phase": "aftercare", "on": today,
                                   "note": "Pasienten ønsket å reise hjem."})
    assert discharged.json()["phase"] == "aftercare"
    closed = as_coordinator.post(f"{url}/transitions", {"to_phase": "closed", "on": today,
                                                        "note": "Ettervernet er fullført"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["phase"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert closed.json()["version"] > discharged.json()["version"]
    # The coordinating clinic still reads it, and may reopen a slip with a reason.
    assert as_coordinator.get(url).json()["phase"] == "closed"
    no_reason = as_coordinator.post(f"{url}/reopen", {"version": closed.json()["version"],
                                                      "reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    reopened = as_coordinator.post(f"{url}/reopen", {"version": closed.json()["version"],
                                                     "reason": "Avsluttet ved en feil"})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["phase"] == "aftercare" and reopened.json()["closed_at"] is None


def test_closing_without_a_reason_is_422_and_changes_nothing(as_coordinator, pathway):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/transitions",
                                   {"to_phase": "closed", "on": str(clock.today())})
    assert response.status_code == 422 and response.json()["field"] == "note"
    pathway.refresh_from_db()
    assert pathway.is_open


def test_reopen_is_refused_to_others_with_404(as_coordinator, as_outsider, pathway):
    url = f"/api/pathways/{pathway.public_id}"
    closed = as_coordinator.post(f"{url}/transitions", {"to_phase": "closed",
                                                        "on": str(clock.today()), "note": "Slutt"})
    response = as_outsider.post(f"{url}/reopen", {"version": closed.json()["version"],
                                                  "reason": "Vil se"})
    assert response.status_code == 404
    pathway.refresh_from_db()
    assert not pathway.is_open


def test_impossible_move_is_409_with_a_reason(as_coordinator, pathway):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/transitions",
                                   {"to_phase": "aftercare", "on": str(clock.today()),
                                    "note": "Pasienten ønsket å reise hjem."})
    assert response.status_code == 409
    assert response.json()["code"] == "rule_violation"
    assert response.json()["message"]
    pathway.refresh_from_db()
    assert pathway.phase == "contact"


def test_unknown_phase_is_422(as_coordinator, pathway):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/transitions",
                                   {"to_phase": "heaven", "on": str(clock.today())})
    assert response.status_code == 422
    assert response.json()["field"] == "to_phase"


def test_a_stay_of_another_pathway_cannot_be_admitted_here(as_coordinator, coordinator, pathway,
                                                           residential_unit):
    from ettervern.pathways import services

    other = factories.open_pathway(coordinator)
    stay = services.stay_plan(actor=factories.actor(coordinator), pathway=other,
                              unit=residential_unit, planned_start=clock.today())
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/transitions",
                                   {"to_phase": "residential", "on": str(clock.today()),
                                    "stay_id": str(stay.public_id)})
    assert response.status_code == 422
    assert response.json()["field"] == "stay_id"


# --- timeline ----------------------------------------------------------------------------------

def test_timeline(as_coordinator, pathway):
    as_coordinator.post(f"/api/pathways/{pathway.public_id}/transitions",
                        {"to_phase": "pre_admission", "on": str(clock.today())})
    response = as_coordinator.get(f"/api/pathways/{pathway.public_id}/timeline")
    data = response.json()
    assert response.status_code == 200
    assert (data["page"], data["total"]) == (1, 2)
    newest = data["items"][0]
    assert newest["kind"] == "phase.changed"
    assert newest["text"] and newest["text"] != "phase.changed"
    assert newest["actor"] == pathway.coordinator.name
    assert newest["unit"] == "TSB-poliklinikken"
    assert newest["at"]
