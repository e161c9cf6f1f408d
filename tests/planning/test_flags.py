"""The worklist's flags for the plan: late, due soon (Norwegian working days), unseen."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.core import clock
from ettervern.core.workdays import add_working_days
from ettervern.planning.plan import services
from ettervern.planning.plan.selectors import plan_flags
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay
from tests.planning.conftest import api_client, page_client


def test_no_plan_and_discharge_today_is_late(pathway, coordinator, residential_unit):
    plan_stay(pathway, coordinator, residential_unit, days_ago(5), clock.today())
    flags = plan_flags([pathway.pk])[pathway.pk]
    assert flags.late and not flags.due_soon and not flags.unseen
    assert flags.deadline == clock.today()


def test_due_soon_counts_working_days(pathway, coordinator, residential_unit):
    plan_stay(pathway, coordinator, residential_unit, days_ago(5),
              add_working_days(clock.today(), 5))
    assert plan_flags([pathway.pk])[pathway.pk].codes == ["due_soon"]
    other = factories.open_pathway(coordinator)
    plan_stay(other, coordinator, residential_unit, days_ago(5),
              add_working_days(clock.today(), 6))
    assert plan_flags([other.pk])[other.pk].codes == []


def test_a_ready_plan_is_not_late_but_unseen_until_the_patient_opens_it(section_types,
        pathway, coordinator, residential_unit, patient_user):
    plan_stay(pathway, coordinator, residential_unit, days_ago(5), clock.today())
    plan = services.plan_create(actor=act(coordinator), pathway=pathway)
    assert plan_flags([pathway.pk])[pathway.pk].codes == ["late", "unseen"]
    services.measure_add(actor=act(coordinator), plan=plan, expected_version=1,
                         section="housing", description="Bolig", responsible=coordinator)
    assert plan_flags([pathway.pk])[pathway.pk].codes == ["unseen"]
    page_client(patient_user).get(f"/forlop/{pathway.public_id}/plan/")
    assert plan_flags([pathway.pk])[pathway.pk].codes == []


def test_flags_for_a_page_in_one_query(section_types, coordinator, residential_unit):
    pathways = [factories.open_pathway(coordinator) for _ in range(6)]
    for p in pathways[:3]:
        plan_stay(p, coordinator, residential_unit, days_ago(5), clock.today())
        services.plan_create(actor=act(coordinator), pathway=p)
    with CaptureQueriesContext(connection) as queries:
        flags = plan_flags([p.pk for p in pathways])
    assert len(queries) == 1
    assert [flags[p.pk].codes for p in pathways] == [["late", "unseen"]] * 3 + [[]] * 3


def test_the_worklist_page_and_api_show_the_flags(pathway, coordinator, residential_unit):
    plan_stay(pathway, coordinator, residential_unit, days_ago(5), clock.today())
    assert "Plan forsinket" in page_client(coordinator).get("/forlop/").content.decode()
    items = api_client(coordinator).get("/api/pathways").json()["items"]
    assert items[0]["plan_flags"] == ["late"]
