"""The directory: units and staff, for staff members only."""

from __future__ import annotations

import uuid

from tests import factories
from tests.api.conftest import signed_in


def test_units(as_coordinator, clinic, residential_unit):
    body = as_coordinator.get("/api/units").json()
    names = [u["name"] for u in body["items"]]
    assert {"TSB-poliklinikken", "Døgnavdelingen"} <= set(names)
    assert body["total"] == len(names)
    residential = as_coordinator.get("/api/units", kind="residential", q="døgn").json()
    assert [u["id"] for u in residential["items"]] == [str(residential_unit.public_id)]
    assert residential["items"][0]["organisation"] == residential_unit.organisation.name


def test_units_are_paginated(as_coordinator, clinic):
    for _ in range(55):
        factories.unit(factories.Unit.Kind.MUNICIPAL)
    first = as_coordinator.get("/api/units").json()
    second = as_coordinator.get("/api/units", page=2).json()
    assert (first["total"], first["pages"], len(first["items"])) == (56, 2, 50)
    assert len(second["items"]) == 6


def test_staff(as_coordinator, coordinator, clinic, outsider):
    body = as_coordinator.get("/api/staff", unit_id=str(clinic.public_id)).json()
    assert [s["id"] for s in body["items"]] == [str(coordinator.public_id)]
    assert body["items"][0]["units"][0]["name"] == "TSB-poliklinikken"
    by_name = as_coordinator.get("/api/staff", q="outsider").json()
    assert [s["id"] for s in by_name["items"]] == [str(outsider.public_id)]


def test_staff_with_an_unknown_unit_is_422(as_coordinator):
    response = as_coordinator.get("/api/staff", unit_id=str(uuid.uuid4()))
    assert (response.status_code, response.json()["field"]) == (422, "unit_id")


def test_not_staff_gets_403(patient_user, clinic):
    client = signed_in(patient_user)
    for url in ("/api/units", "/api/staff"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


def test_anonymous_gets_401(anonymous):
    assert anonymous.get("/api/units").status_code == 401
    assert anonymous.get("/api/staff").status_code == 401
