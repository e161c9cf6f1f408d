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


def test_due_soon_agrees_with_counting_working_days_through_holidays():
    """The cut-off date gives the same answer as counting the working days one by one, around
    Easter, Christmas and weekends."""
    import datetime as dt

    from ettervern.core.workdays import working_days_between
    from ettervern.planning.plan.selectors import DUE_SOON_WORKING_DAYS, _due_soon_before

    for start in [dt.date(2026, 3, 27), dt.date(2026, 12, 18), dt.date(2027, 5, 12)]:
        for offset in range(0, 30):
            today = start + dt.timedelta(days=offset)
            for ahead in range(1, 20):
                deadline = today + dt.timedelta(days=ahead)
                counted = working_days_between(today, deadline) <= DUE_SOON_WORKING_DAYS
                assert (deadline < _due_soon_before(today)) == counted, (today, deadline)


def test_the_worklists_deadline_is_the_plan_pages(coordinator, residential_unit):
    """plan_flags (hand-written SQL) and the plan page (`_deadline_of`, the ORM) agree on
    pathways with no stay, a planned one, an ongoing one, and both."""
    from django.db.models import OuterRef

    from ettervern.pathways.models import Pathway, Stay
    from ettervern.planning.plan.selectors import _deadline_of

    pathways = [factories.open_pathway(coordinator) for _ in range(4)]
    plan_stay(pathways[1], coordinator, residential_unit, days_ago(-3), days_ago(-20))
    first = plan_stay(pathways[2], coordinator, residential_unit, days_ago(2), days_ago(-9))
    Stay.objects.filter(pk=first.pk).update(status=Stay.Status.ONGOING, admitted_on=days_ago(2))
    plan_stay(pathways[3], coordinator, residential_unit, days_ago(-30), days_ago(-40))
    plan_stay(pathways[3], coordinator, residential_unit, days_ago(-5), days_ago(-15))
    expected = dict(Pathway.objects.filter(pk__in=[p.pk for p in pathways])
                    .annotate(deadline=_deadline_of(OuterRef("pk")))
                    .values_list("pk", "deadline"))
    flags = plan_flags([p.pk for p in pathways])
    assert {pk: f.deadline for pk, f in flags.items()} == expected
    assert expected[pathways[0].pk] is None
    assert expected[pathways[2].pk] == days_ago(-9)
    assert expected[pathways[3].pk] == days_ago(-15)
