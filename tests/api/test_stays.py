"""Stays through the API: plan, change, admit, discharge, cancel."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core import clock
from ettervern.pathways.models import Stay
from tests import factories


def day(offset: int) -> str:
    return str(clock.today() + dt.timedelta(days=offset))


@pytest.fixture
def planned(as_coordinator, pathway, residential_unit):  # type: ignore[no-untyped-def]
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/stays",
                                   {"unit_id": str(residential_unit.public_id),
                                    "planned_start": day(-5), "planned_end": day(20)})
    assert response.status_code == 201, response.content
    return response.json()


def test_plan_a_stay(planned, residential_unit, pathway):
    assert planned["status"] == "planned"
    assert planned["unit"]["id"] == str(residential_unit.public_id)
    assert planned["planned_end"] == day(20)
    assert Stay.objects.get(public_id=planned["id"]).pathway == pathway


def test_a_stay_must_be_at_a_residential_unit(as_coordinator, pathway, clinic):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/stays",
                                   {"unit_id": str(clinic.public_id), "planned_start": day(0)})
    assert response.status_code == 422
    assert response.json()["field"] == "unit_id"
    assert not Stay.objects.exists()


def test_overlapping_stays_are_refused(as_coordinator, planned, pathway, residential_unit):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/stays",
                                   {"unit_id": str(residential_unit.public_id),
                                    "planned_start": day(1)})
    assert response.status_code == 409
    assert Stay.objects.count() == 1


def test_change_a_planned_stay(as_coordinator, planned):
    other = factories.unit(factories.Unit.Kind.RESIDENTIAL, name="Annen døgnavdeling")
    response = as_coordinator.patch(f"/api/stays/{planned['id']}",
                                    {"version": planned["version"], "unit_id": str(other.public_id),
                                     "planned_end": None})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["unit"]["name"] == "Annen døgnavdeling"
    assert data["planned_start"] == planned["planned_start"]  # left out, so unchanged
    assert data["planned_end"] is None
    assert data["version"] == planned["version"] + 1


def test_stale_stay_change_is_409_and_changes_nothing(as_coordinator, planned):
    url = f"/api/stays/{planned['id']}"
    assert as_coordinator.patch(url, {"version": 1, "planned_end": day(10)}).status_code == 200
    response = as_coordinator.patch(url, {"version": 1, "planned_end": day(30)})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    stay = Stay.objects.get(public_id=planned["id"])
    assert (str(stay.planned_end), stay.version) == (day(10), 2)


def test_admit_and_discharge(as_coordinator, planned, pathway):
    as_coordinator.post(f"/api/pathways/{pathway.public_id}/transitions",
                        {"to_phase": "pre_admission", "on": day(-6)})
    admitted = as_coordinator.post(f"/api/stays/{planned['id']}/admit", {"on": day(-5)})
    assert admitted.status_code == 200, admitted.content
    assert (admitted.json()["status"], admitted.json()["admitted_on"]) == ("ongoing", day(-5))
    pathway.refresh_from_db()
    assert pathway.phase == "residential"

    too_early = as_coordinator.post(f"/api/stays/{planned['id']}/discharge", {"on": day(-6)})
    assert too_early.status_code == 422
    discharged = as_coordinator.post(f"/api/stays/{planned['id']}/discharge",
                                     {"on": day(0), "reason": "Pasienten ønsket å reise hjem."})
    assert discharged.status_code == 200, discharged.content
    assert discharged.json()["status"] == "discharged"
    pathway.refresh_from_db()
    assert pathway.phase == "aftercare"


def test_discharge_before_admission_is_refused(as_coordinator, planned):
    response = as_coordinator.post(f"/api/stays/{planned['id']}/discharge",
                                     {"on": day(0), "reason": "Pasienten ønsket å reise hjem."})
    assert response.status_code == 409
    assert Stay.objects.get(public_id=planned["id"]).status == "planned"


def test_admit_needs_a_valid_date(as_coordinator, planned):
    response = as_coordinator.post(f"/api/stays/{planned['id']}/admit", {"on": "31.12.2024"})
    assert response.status_code == 422
    assert response.json()["field"] == "on"


def test_cancel(as_coordinator, planned):
    stale = as_coordinator.post(f"/api/stays/{planned['id']}/cancel",
                                {"version": 99, "reason": "Plassen ble gitt bort"})
    assert stale.status_code == 409
    assert Stay.objects.get(public_id=planned["id"]).status == "planned"
    response = as_coordinator.post(f"/api/stays/{planned['id']}/cancel",
                                   {"version": planned["version"], "reason": "Ønsket ikke"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert Stay.objects.get(public_id=planned["id"]).cancel_reason == "Ønsket ikke"
