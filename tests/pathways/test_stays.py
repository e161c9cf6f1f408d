"""stay_plan, stay_update, stay_admit, stay_discharge, stay_cancel."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, StaleVersion
from ettervern.pathways import services
from ettervern.pathways.models import Stay
from ettervern.pathways.phases import Phase
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay
from tests.pathways.test_phases import _refused, _state, bring_to


@pytest.mark.django_db
def test_plan_a_stay(pathway, coordinator, residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5), days_ago(1))
    stay.refresh_from_db()
    assert (stay.status, stay.unit, stay.planned_start, stay.planned_end) == (
        Stay.Status.PLANNED, residential_unit, days_ago(5), days_ago(1))
    event = pathway.events.latest("id")
    assert event.kind == "stay.planned" and event.data["unit"] == residential_unit.name
    assert AuditEvent.objects.filter(action="stay.plan", outcome="allowed").count() == 1


@pytest.mark.django_db
def test_plan_at_a_private_provider_in_the_future(pathway, coordinator):
    """Stays may be at any trust or private provider and planned ahead."""
    private = factories.unit(factories.Unit.Kind.RESIDENTIAL, name="Privat behandlingssted")
    start = clock.today() + dt.timedelta(days=30)
    assert plan_stay(pathway, coordinator, private, start).planned_start == start


@pytest.mark.django_db
def test_plan_refusals(pathway, coordinator, residential_unit, clinic):
    _refused(InvalidInput, pathway,
             lambda: plan_stay(pathway, coordinator, clinic, days_ago(5)))  # not residential
    _refused(InvalidInput, pathway,
             lambda: plan_stay(pathway, coordinator, residential_unit, days_ago(5), days_ago(6)))
    _refused(InvalidInput, pathway,
             lambda: plan_stay(pathway, coordinator, residential_unit, days_ago(31)))
    assert not Stay.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("first,second", [
    ((20, 10), (15, 5)),      # second starts inside the first
    ((20, 10), (25, 15)),     # second ends inside the first
    ((20, 10), (22, 8)),      # second surrounds the first
    ((20, None), (5, 1)),     # the first has no end yet: it runs on
    ((10, 5), (20, None)),    # the second has no end and starts before the first
])
def test_overlapping_stays_are_refused(first, second, pathway, coordinator, residential_unit):
    def d(n):  # type: ignore[no-untyped-def]
        return None if n is None else days_ago(n)

    plan_stay(pathway, coordinator, residential_unit, d(first[0]), d(first[1]))
    err = _refused(RuleViolation, pathway, lambda: plan_stay(
        pathway, coordinator, residential_unit, d(second[0]), d(second[1])))
    assert err.field == "planned_start"


@pytest.mark.django_db
def test_back_to_back_stays_are_not_overlapping(pathway, coordinator, residential_unit):
    plan_stay(pathway, coordinator, residential_unit, days_ago(20), days_ago(10))
    plan_stay(pathway, coordinator, residential_unit, days_ago(10), days_ago(5))
    assert pathway.stays.count() == 2


@pytest.mark.django_db
def test_cancelled_stays_do_not_block(pathway, coordinator, residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(20), days_ago(10))
    services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=stay.version,
                         reason="Flyttet.")
    plan_stay(pathway, coordinator, residential_unit, days_ago(15), days_ago(5))


@pytest.mark.django_db
def test_update_a_planned_stay(pathway, coordinator, residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    other = factories.unit(factories.Unit.Kind.RESIDENTIAL)
    services.stay_update(actor=act(coordinator), stay=stay, expected_version=1, unit=other,
                         planned_start=days_ago(4), planned_end=days_ago(1))
    stay.refresh_from_db()
    assert (stay.unit, stay.planned_start, stay.planned_end, stay.version) == (
        other, days_ago(4), days_ago(1), 2)
    assert pathway.events.latest("id").kind == "stay.updated"


@pytest.mark.django_db
def test_update_stale_changes_nothing(pathway, coordinator, residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    services.stay_update(actor=act(coordinator), stay=stay, expected_version=1,
                         unit=residential_unit, planned_start=days_ago(4), planned_end=None)
    _refused(StaleVersion, pathway, lambda: services.stay_update(
        actor=act(coordinator), stay=stay, expected_version=1, unit=residential_unit,
        planned_start=days_ago(3), planned_end=None))


@pytest.mark.django_db
def test_update_during_a_stay_moves_only_the_expected_end(pathway, coordinator,
                                                          residential_unit):
    bring_to(pathway, Phase.RESIDENTIAL, coordinator, residential_unit)
    stay = pathway.stays.get()
    later = clock.today() + dt.timedelta(days=7)
    services.stay_update(actor=act(coordinator), stay=stay, expected_version=stay.version,
                         unit=residential_unit, planned_start=stay.planned_start,
                         planned_end=later)
    stay.refresh_from_db()
    assert stay.planned_end == later and stay.status == Stay.Status.ONGOING
    _refused(RuleViolation, pathway, lambda: services.stay_update(
        actor=act(coordinator), stay=stay, expected_version=stay.version,
        unit=factories.unit(factories.Unit.Kind.RESIDENTIAL),
        planned_start=stay.planned_start, planned_end=later))
    _refused(InvalidInput, pathway, lambda: services.stay_update(
        actor=act(coordinator), stay=stay, expected_version=stay.version, unit=residential_unit,
        planned_start=stay.planned_start, planned_end=stay.admitted_on - dt.timedelta(days=1)))


@pytest.mark.django_db
def test_treating_unit_admits_and_discharges_its_stay(pathway, coordinator, residential_unit,
                                                      clinician):
    bring_to(pathway, Phase.PRE_ADMISSION, coordinator, residential_unit)
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(10), days_ago(3))
    services.stay_admit(actor=act(clinician), stay=stay, on=days_ago(9))
    stay.refresh_from_db()
    assert (stay.status, stay.admitted_on, stay.version) == ("ongoing", days_ago(9), 2)
    pathway.refresh_from_db()
    assert pathway.phase == Phase.RESIDENTIAL
    services.stay_discharge(actor=act(clinician), stay=stay, on=days_ago(3),
                            reason="Pasienten ønsket å reise hjem.")
    stay.refresh_from_db()
    assert (stay.status, stay.discharged_on) == ("discharged", days_ago(3))
    pathway.refresh_from_db()
    assert pathway.phase == Phase.AFTERCARE
    transitions = pathway.transitions.order_by("-id")[:2]
    assert all(t.recorded_by == clinician.user for t in transitions)


@pytest.mark.django_db
def test_admit_refusals(pathway, coordinator, residential_unit, gp, outsider):
    bring_to(pathway, Phase.PRE_ADMISSION, coordinator, residential_unit)
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(10))
    for who, exc in ((gp, Forbidden), (outsider, NotFound)):
        _refused(exc, pathway, lambda who=who: services.stay_admit(
            actor=act(who), stay=stay, on=days_ago(9)))
    services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(9))
    _refused(RuleViolation, pathway, lambda: services.stay_admit(   # not planned any more
        actor=act(coordinator), stay=stay, on=days_ago(9)))


@pytest.mark.django_db
def test_cancel(pathway, coordinator, residential_unit, gp):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    _refused(Forbidden, pathway, lambda: services.stay_cancel(actor=act(gp), stay=stay,
                                                              expected_version=1,
                                                              reason="Flyttet."))
    _refused(StaleVersion, pathway, lambda: services.stay_cancel(
        actor=act(coordinator), stay=stay, expected_version=7, reason="Flyttet."))
    services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=1, reason="Flyttet.")
    assert Stay.objects.get(pk=stay.pk).status == Stay.Status.CANCELLED
    assert pathway.events.latest("id").kind == "stay.cancelled"
    _refused(RuleViolation, pathway, lambda: services.stay_cancel(
        actor=act(coordinator), stay=stay, expected_version=2, reason="Flyttet."))


@pytest.mark.django_db
def test_an_ongoing_stay_cannot_be_cancelled(pathway, coordinator, residential_unit):
    bring_to(pathway, Phase.RESIDENTIAL, coordinator, residential_unit)
    stay = pathway.stays.get()
    before = _state(pathway)
    with pytest.raises(RuleViolation):
        services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=stay.version,
                             reason="Flyttet.")
    assert _state(pathway) == before
