"""The discharge endpoints: checkpoints, tick and untick, and who is refused."""

from __future__ import annotations

import pytest

from ettervern.discharge.models import CheckpointTick
from tests.api.conftest import ApiClient
from tests.planning.conftest import client_of


def _api(person) -> ApiClient:  # type: ignore[no-untyped-def]
    return ApiClient(client_of(person))


def test_checkpoints_tick_and_untick(stay, coordinator):  # type: ignore[no-untyped-def]
    api = _api(coordinator)
    url = f"/api/stays/{stay.public_id}/checkpoints"
    body = api.get(url).json()
    assert body["met"] == 0 and body["total"] == 10 and body["override"] is None
    assert {c["key"]: c["tickable"] for c in body["checkpoints"]}["gp_informed"] is True
    ticked = api.post(f"{url}/gp_informed/tick", {"note": "Ringt."})
    assert ticked.status_code == 200, ticked.content
    gp_row = next(c for c in ticked.json()["checkpoints"] if c["key"] == "gp_informed")
    assert gp_row["done"] and gp_row["source"] == "tick" and gp_row["ticked_by"] == coordinator.name
    assert api.post(f"{url}/crisis_plan/tick", {}).status_code == 409
    assert api.post(f"{url}/gp_informed/tick", {"note": "x" * 501}).status_code == 422
    assert api.post(f"{url}/gp_informed/untick").json()["met"] == 0


@pytest.mark.parametrize("who,read,write", [
    ("gp", 200, 403), ("nav", 200, 403), ("municipal", 200, 403),
    ("patient_user", 404, 404), ("kin_user", 404, 404), ("outsider", 404, 404),
])
def test_who_is_refused(request, stay, who, read, write):  # type: ignore[no-untyped-def]
    api = _api(request.getfixturevalue(who))
    url = f"/api/stays/{stay.public_id}/checkpoints"
    assert api.get(url).status_code == read
    assert api.post(f"{url}/gp_informed/tick", {}).status_code == write
    assert api.post(f"{url}/gp_informed/untick").status_code == write
    assert not CheckpointTick.objects.exists()


def test_discharge_endpoint_needs_the_reason(stay, coordinator):  # type: ignore[no-untyped-def]
    api = _api(coordinator)
    refused = api.post(f"/api/stays/{stay.public_id}/discharge", {"on": str(stay.admitted_on)})
    assert refused.status_code == 409
    assert refused.json()["field"] == "reason"
    passed = api.post(f"/api/stays/{stay.public_id}/discharge",
                      {"on": str(stay.admitted_on), "reason": "Pasienten reiste."})
    assert passed.status_code == 200
    body = api.get(f"/api/stays/{stay.public_id}/checkpoints").json()
    assert body["override"]["reason"] == "Pasienten reiste."
    assert "Fastlegen er informert" in body["override"]["open_checkpoints"]
