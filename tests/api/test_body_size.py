"""A body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 in the API's error shape, whoever sends it
and whatever the mode (it was an HTML 400, and a 500 with a traceback in demo mode)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from ettervern.api.models import ApiToken
from tests.api.conftest import signed_in


def _too_large(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"code", "message", "field"}
    assert body["code"] == "too_large" and body["field"] is None
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in body["message"]


def test_a_body_over_the_default_limit_is_413(coordinator, pathway):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = signed_in(coordinator.user).patch(f"/api/pathways/{pathway.public_id}",
                                                 {"version": 1, "note": big})
    _too_large(response)
    pathway.refresh_from_db()
    assert pathway.version == 1


@pytest.mark.parametrize("debug", [False, True])
def test_every_caller_and_content_type_gets_413(coordinator, pathway, settings, debug):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DEBUG = debug  # demo mode runs with DEBUG on
    url = f"/api/pathways/{pathway.public_id}/transitions"
    session = Client(raise_request_exception=False)
    session.force_login(coordinator.user)
    _, raw = ApiToken.issue(coordinator.user)
    bearer = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {raw}"})
    body = json.dumps({"to_phase": "pre_admission", "on": "2020-01-01", "note": "x" * 2000})
    _too_large(session.post(url, body, content_type="application/json"))
    _too_large(bearer.post(url, body, content_type="application/json"))
    _too_large(bearer.post("/api/pathways", body, content_type="application/json"))
    # A form-encoded body is read by the CSRF check of a session already.
    _too_large(session.post(url, "note=" + "x" * 2000,
                            content_type="application/x-www-form-urlencoded"))


def test_other_refused_requests_are_400_in_the_same_shape(as_coordinator, pathway, settings):
    """Django's other refusals (here: too many query fields) keep the shape too."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"f{i}=1" for i in range(20))
    response = as_coordinator.client.get(f"/api/pathways?{query}")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "bad_request"
