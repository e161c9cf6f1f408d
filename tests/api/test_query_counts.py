"""How many queries the busiest endpoints run with a bearer token: the token, the caller's
standing, one query for the bases, one audit INSERT, and what the answer shows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ettervern.api.models import ApiToken
from ettervern.core import clock
from tests import factories
from tests.api.conftest import ApiClient


@pytest.fixture
def by_token(coordinator):  # type: ignore[no-untyped-def]
    _, raw = ApiToken.issue(coordinator.user)
    client = ApiClient(Client(), Authorization=f"Bearer {raw}")
    client.get("/api/pathways")  # the token's last use is written once a minute, not here
    return client


def _run(call: Any) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200, response.content
    return response, [q["sql"] for q in ctx.captured_queries]


def _audit_inserts(sql: list[str]) -> int:
    return sum(q.startswith('INSERT INTO "access_auditevent"') for q in sql)


@pytest.mark.django_db
def test_pathway_read(by_token, pathway):  # type: ignore[no-untyped-def]
    _, sql = _run(lambda: by_token.get(f"/api/pathways/{pathway.public_id}"))
    # The token, the pathway, the standing, the bases, the audit row, stays and team.
    assert len(sql) == 7, sql
    assert _audit_inserts(sql) == 1


@pytest.mark.django_db
def test_timeline_reads_no_stays_or_team(by_token, pathway):  # type: ignore[no-untyped-def]
    _, sql = _run(lambda: by_token.get(f"/api/pathways/{pathway.public_id}/timeline"))
    # The token, the pathway, the standing, the bases, the audit row, and the events with their
    # count (one windowed query).
    assert len(sql) == 6, sql
    assert _audit_inserts(sql) == 1
    assert not [q for q in sql if '"pathways_stay"' in q and "UNION" not in q]


@pytest.mark.django_db
def test_worklist(by_token, coordinator):  # type: ignore[no-untyped-def]
    for _ in range(3):
        factories.open_pathway(coordinator)
    response, sql = _run(lambda: by_token.get("/api/pathways", scope="unit"))
    # The token, the standing, the page's ids with the total, the rows, the bases, the planning
    # figures of the page (the individual plan's flags; no checklist outside pre-admission),
    # the audit.
    assert len(sql) == 7, [q[:60] for q in sql]
    assert _audit_inserts(sql) == 1
    assert response.json()["total"] == 3


@pytest.mark.django_db
def test_phase_move_answer_reads_no_unit_or_coordinator_again(by_token, pathway):  # type: ignore[no-untyped-def]
    response, sql = _run(lambda: by_token.post(
        f"/api/pathways/{pathway.public_id}/transitions",
        {"to_phase": "pre_admission", "on": str(clock.today())}))
    assert response.json()["coordinating_unit"]["id"] == str(pathway.coordinating_unit.public_id)
    assert response.json()["coordinator"]["id"] == str(pathway.coordinator.public_id)
    assert not [q for q in sql if q.startswith(('SELECT "directory_unit"',
                                                'SELECT "directory_staff"'))], sql


@pytest.mark.django_db
def test_bearer_call_leaves_a_session_it_also_sends_alone(coordinator, pathway, settings):  # type: ignore[no-untyped-def]
    settings.ETTERVERN_TOTP = True  # the sign-in gate is on, as in production
    _, raw = ApiToken.issue(coordinator.user)
    client = Client()
    client.force_login(coordinator.user)  # a session cookie rides along with the token
    headers = {"Authorization": f"Bearer {raw}"}
    client.get("/api/pathways", headers=headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/pathways/{pathway.public_id}", headers=headers)
    assert response.status_code == 200, response.content
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]
    assert len(ctx.captured_queries) == 7
