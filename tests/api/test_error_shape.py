"""What the OpenAPI documents is what comes out: ninja's own request validation (path, query,
body) is 422 `{code, message, field}` like a service's InvalidInput, and every error parses as
the documented ErrorOut."""

from __future__ import annotations

import pytest

from ettervern.api.schemas import ErrorOut


def _error(response, status: int, field: str | None) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    assert body["field"] == field
    assert body["message"]
    ErrorOut.model_validate(body)


def test_path_query_and_body_validation_are_422(as_coordinator, pathway):
    _error(as_coordinator.get("/api/pathways/not-a-uuid"), 422, "id")
    _error(as_coordinator.get("/api/pathways", page="x"), 422, "page")
    _error(as_coordinator.get("/api/pathways", scope="everyone"), 422, "scope")
    url = f"/api/pathways/{pathway.public_id}/transitions"
    _error(as_coordinator.post(url, {"to_phase": "pre_admission"}), 422, "on")
    _error(as_coordinator.post(url, {"to_phase": "pre_admission", "on": "2020-01-01",
                                     "colour": "red"}), 422, "colour")
    _error(as_coordinator.post(url, [1, 2]), 422, None)
    _error(as_coordinator.post(url, raw="{not json"), 400, None)


@pytest.mark.parametrize(("status", "call"), [
    (401, lambda c, anon, p: anon.get("/api/pathways")),
    (404, lambda c, anon, p: c.get("/api/pathways/00000000-0000-0000-0000-000000000001")),
    (409, lambda c, anon, p: c.patch(f"/api/pathways/{p.public_id}", {"version": 9})),
    (422, lambda c, anon, p: c.post(f"/api/pathways/{p.public_id}/transitions",
                                    {"to_phase": "pre_admission", "on": "2999-01-01"})),
])
def test_domain_and_auth_errors_have_the_documented_shape(as_coordinator, anonymous, pathway,
                                                          status, call):
    response = call(as_coordinator, anonymous, pathway)
    assert response.status_code == status, response.content[:300]
    assert {"code", "message", "field"} <= set(response.json())
    ErrorOut.model_validate(response.json())
