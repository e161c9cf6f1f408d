"""Free text has a limit (pathways.models.*_MAX_LENGTH): the API refuses more with 422 on the
field, says so in the OpenAPI, and stores nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from ettervern.core import clock
from ettervern.pathways.models import (
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REFERRER_MAX_LENGTH,
    CoordinatorHandover,
    Pathway,
    PhaseTransition,
    Stay,
)
from tests import factories

MEGABYTE = 1_000_000


def _refused(response, field: str, limit: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_input", field)
    assert body["message"].startswith(f"{field}: ") and str(limit) in body["message"]


def _open_body(clinic, **changes):  # type: ignore[no-untyped-def]
    body = {"national_id": factories.national_id(), "given_name": "Ola",
            "family_name": "Nordmann", "coordinating_unit_id": str(clinic.public_id),
            "referral_received_on": str(clock.today()), "referrer": "Fastlege Hansen"}
    return body | changes


@pytest.mark.parametrize(("field", "limit"), [
    ("note", NOTE_MAX_LENGTH), ("referrer", REFERRER_MAX_LENGTH),
    ("given_name", NAME_MAX_LENGTH), ("family_name", NAME_MAX_LENGTH)])
def test_opening_refuses_text_over_its_limit(as_coordinator, clinic, field, limit):
    _refused(as_coordinator.post("/api/pathways", _open_body(clinic, **{field: "x" * (limit + 1)})),
             field, limit)
    assert not Pathway.objects.exists()
    response = as_coordinator.post("/api/pathways", _open_body(clinic, **{field: "x" * limit}))
    assert response.status_code == 201, response.content[:300]


def test_a_megabyte_note_is_refused_everywhere(as_coordinator, clinic, pathway, colleague,
                                                residential_unit):
    big = "x" * MEGABYTE
    url = f"/api/pathways/{pathway.public_id}"
    _refused(as_coordinator.post("/api/pathways", _open_body(clinic, note=big)),
             "note", NOTE_MAX_LENGTH)
    _refused(as_coordinator.patch(url, {"version": 1, "note": big}), "note", NOTE_MAX_LENGTH)
    _refused(as_coordinator.post(f"{url}/transitions", {
        "to_phase": "pre_admission", "on": str(clock.today()), "note": big}),
        "note", NOTE_MAX_LENGTH)
    _refused(as_coordinator.post(f"{url}/handover", {
        "to_staff_id": str(colleague.public_id), "version": 1, "reason": big}),
        "reason", REASON_MAX_LENGTH)
    stay = as_coordinator.post(f"{url}/stays", {"unit_id": str(residential_unit.public_id),
                                                "planned_start": str(clock.today())}).json()
    _refused(as_coordinator.post(f"/api/stays/{stay['id']}/cancel", {
        "version": stay["version"], "reason": big}), "reason", REASON_MAX_LENGTH)
    assert Stay.objects.get(public_id=stay["id"]).status == "planned"
    pathway.refresh_from_db()
    assert (pathway.version, pathway.note) == (1, "")
    assert not PhaseTransition.objects.filter(pathway=pathway).exclude(from_phase="").exists()
    assert not CoordinatorHandover.objects.exists()


def test_text_at_its_limit_is_kept(as_coordinator, pathway, colleague):
    url = f"/api/pathways/{pathway.public_id}"
    assert as_coordinator.patch(url, {"version": 1, "note": "n" * NOTE_MAX_LENGTH}
                                ).status_code == 200
    moved = as_coordinator.post(f"{url}/transitions", {
        "to_phase": "pre_admission", "on": str(clock.today()), "note": "t" * NOTE_MAX_LENGTH})
    assert moved.status_code == 200, moved.content[:300]
    handed = as_coordinator.post(f"{url}/handover", {
        "to_staff_id": str(colleague.public_id), "version": moved.json()["version"],
        "reason": "r" * REASON_MAX_LENGTH})
    assert handed.status_code == 200, handed.content[:300]
    assert len(CoordinatorHandover.objects.get().reason) == REASON_MAX_LENGTH


def test_the_openapi_shows_the_limits(db):
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    expected = {
        "PathwayOpenIn": {"note": NOTE_MAX_LENGTH, "referrer": REFERRER_MAX_LENGTH,
                          "given_name": NAME_MAX_LENGTH, "family_name": NAME_MAX_LENGTH},
        "PathwayPatchIn": {"note": NOTE_MAX_LENGTH, "referrer": REFERRER_MAX_LENGTH},
        "TransitionIn": {"note": NOTE_MAX_LENGTH},
        "HandoverIn": {"reason": REASON_MAX_LENGTH},
        "CancelIn": {"reason": REASON_MAX_LENGTH},
    }
    for schema, fields in expected.items():
        for field, limit in fields.items():
            assert schemas[schema]["properties"][field]["maxLength"] == limit, (schema, field)
