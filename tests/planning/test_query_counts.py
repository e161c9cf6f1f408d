"""The plan's pages and endpoints cost a fixed number of queries, however long the plan."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.core import clock
from ettervern.planning.plan import services
from ettervern.planning.plan.models import Plan
from tests.pathways.helpers import act
from tests.planning.conftest import api_client, page_client


def _grow(plan, who, responsible, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        version = Plan.objects.get(pk=plan.pk).version
        services.measure_add(actor=act(who), plan=plan, expected_version=version,
                             section=["housing", "finances", "networks"][i % 3],
                             description=f"Tiltak {i}", responsible=responsible,
                             start_on=clock.today())


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def test_plan_page_and_api_do_not_grow_with_measures(plan, coordinator, municipal,
                                                     patient_user):
    staff, api, patient = page_client(coordinator), api_client(coordinator), \
        page_client(patient_user)
    url = f"/forlop/{plan.pathway.public_id}/plan/"
    api_url = f"/api/pathways/{plan.pathway.public_id}/plan"
    _grow(plan, coordinator, municipal, 2)
    few = (_count(staff, url), _count(api, api_url), _count(patient, url))
    _grow(plan, coordinator, municipal, 12)
    many = (_count(staff, url), _count(api, api_url), _count(patient, url))
    assert few == many
    # Sign-in and standing, the pathway, the bases, one audit row, the deadline, the plan,
    # sections, measures (with their offers), comments; on the page also the care team and the
    # offers the measure forms pick from (one query, for every form), and the menu's
    # notification badge.
    assert many[0] <= 15 and many[1] <= 11
    # The patient's page also marks a changed version seen (one UPDATE).
    assert many[2] <= 15


def test_versions_page_does_not_grow_with_versions(plan, coordinator, municipal):
    client = page_client(coordinator)
    url = f"/forlop/{plan.pathway.public_id}/plan/versjoner/"
    _grow(plan, coordinator, municipal, 3)
    few = _count(client, url)
    _grow(plan, coordinator, municipal, 25)
    assert _count(client, url) == few <= 12
    assert _count(client, url + "?fra=1&til=29") <= 12
