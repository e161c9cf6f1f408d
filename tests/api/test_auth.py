"""Who may call the API: session (with CSRF) or bearer token; everyone else gets 401 JSON."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from ettervern.api.models import ApiToken
from ettervern.core import clock
from tests.api.conftest import ApiClient


def bearer(raw: str) -> ApiClient:
    return ApiClient(Client(), Authorization=f"Bearer {raw}")


def test_anonymous_gets_401_json(anonymous):
    response = anonymous.get("/api/pathways")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["message"]


def test_anonymous_write_gets_401_not_a_csrf_error(db):
    response = ApiClient(Client(enforce_csrf_checks=True)).post("/api/pathways", {})
    assert response.status_code == 401


def test_session_works(as_coordinator, pathway):
    response = as_coordinator.get("/api/pathways")
    assert response.status_code == 200
    assert response.json()["total"] == 1


def test_session_write_needs_csrf_token(coordinator, pathway):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator.user)
    url = f"/api/pathways/{pathway.public_id}"
    refused = client.patch(url, {"version": 1, "note": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    pathway.refresh_from_db()
    assert pathway.note == ""

    secret = "s3cr3t" * 5 + "ab"  # a CSRF secret is 32 characters from [a-zA-Z0-9]
    client.cookies["csrftoken"] = secret
    accepted = client.patch(url, {"version": 1, "note": "x"}, content_type="application/json",
                            headers={"X-CSRFToken": secret})
    assert accepted.status_code == 200, accepted.content


def test_bearer_token_works_and_records_use(coordinator, pathway):
    token, raw = ApiToken.issue(coordinator.user, label="test")
    assert token.last_used_at is None
    response = bearer(raw).get(f"/api/pathways/{pathway.public_id}")
    assert response.status_code == 200
    assert response.json()["id"] == str(pathway.public_id)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_token_writes_without_csrf_and_audits_as_api(coordinator, pathway):
    from ettervern.access.models import AuditEvent

    _, raw = ApiToken.issue(coordinator.user)
    response = ApiClient(Client(enforce_csrf_checks=True), Authorization=f"Bearer {raw}").post(
        f"/api/pathways/{pathway.public_id}/transitions",
        {"to_phase": "pre_admission", "on": str(clock.today())},
    )
    assert response.status_code == 200, response.content
    assert response.json()["phase"] == "pre_admission"
    assert AuditEvent.objects.filter(actor_id=coordinator.user.pk, action="pathway.transition",
                                     channel="api", outcome="allowed").exists()


def test_unknown_token_is_401(pathway):
    response = bearer("ev_not-a-real-token").get("/api/pathways")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_revoked_token_is_401(coordinator, pathway):
    token, raw = ApiToken.issue(coordinator.user)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
    response = bearer(raw).get("/api/pathways")
    assert response.status_code == 401


def test_token_of_deactivated_user_is_401(coordinator, pathway):
    _, raw = ApiToken.issue(coordinator.user)
    coordinator.user.is_active = False
    coordinator.user.save()
    assert bearer(raw).get("/api/pathways").status_code == 401


def test_bad_token_is_refused_even_with_a_session(coordinator, pathway):
    client = Client()
    client.force_login(coordinator.user)
    response = ApiClient(client, Authorization="Bearer ev_wrong").get("/api/pathways")
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(coordinator, pathway):
    token, raw = ApiToken.issue(coordinator.user)
    start = clock.now()
    with clock.frozen(start):
        bearer(raw).get("/api/pathways")
    with clock.frozen(start + dt.timedelta(seconds=10)):
        bearer(raw).get("/api/pathways")
    token.refresh_from_db()
    assert token.last_used_at == start
    with clock.frozen(start + dt.timedelta(minutes=2)):
        bearer(raw).get("/api/pathways")
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(minutes=2)


def test_the_token_lookup_gives_the_orms_user(coordinator, gp):
    """user_for_token is hand-written SQL: the user it returns is the ORM's, field for field,
    for the newest of two live tokens of one user and not for a revoked one."""
    from ettervern.api.auth import user_for_token

    _first, raw_first = ApiToken.issue(coordinator.user, label="a")
    revoked, raw_revoked = ApiToken.issue(gp.user, label="b")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=clock.now())
    user = user_for_token(raw_first)
    assert user is not None and user.pk == coordinator.user.pk
    want = type(user).objects.get(pk=user.pk)
    for field in want._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(want, field.attname), field.name
    assert user_for_token(raw_revoked) is None
    assert user_for_token("ev_unknown") is None and user_for_token("no-prefix") is None
