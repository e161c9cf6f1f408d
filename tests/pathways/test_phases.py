"""pathway_transition, stay_admit and stay_discharge as phase moves."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
)
from ettervern.pathways import phases, services
from ettervern.pathways.models import Pathway, PathwayEvent, PhaseTransition, Stay
from ettervern.pathways.phases import Phase
from ettervern.pathways.selectors import pathway_detail
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay

# A timeline that fits any sequence below: the pathway starts 30 days ago.
PRE_ON, STAY1, DISCH1, STAY2, MOVE_ON = 28, 25, 15, 10, 5


def _transition(who, pathway, to_phase, on, **kwargs):  # type: ignore[no-untyped-def]
    if to_phase == Phase.CLOSED:
        kwargs.setdefault("note", "Ferdig.")
    if to_phase == Phase.AFTERCARE:  # the discharge gate's reason: the checkpoints are open
        kwargs.setdefault("note", "Pasienten ønsket å reise hjem.")
    return services.pathway_transition(actor=act(who), pathway=pathway, to_phase=to_phase,
                                       on=on, **kwargs)


def bring_to(pathway: Pathway, phase: str, coordinator, unit) -> None:  # type: ignore[no-untyped-def]
    if phase == Phase.CONTACT:
        return
    if phase == Phase.CLOSED:
        _transition(coordinator, pathway, Phase.CLOSED, days_ago(PRE_ON))
        return
    _transition(coordinator, pathway, Phase.PRE_ADMISSION, days_ago(PRE_ON))
    if phase == Phase.PRE_ADMISSION:
        return
    stay = plan_stay(pathway, coordinator, unit, days_ago(STAY1), days_ago(DISCH1))
    services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(STAY1))
    if phase == Phase.RESIDENTIAL:
        return
    services.stay_discharge(actor=act(coordinator), stay=stay, on=days_ago(DISCH1),
                            reason="Pasienten ønsket å reise hjem.")


def _state(pathway):  # type: ignore[no-untyped-def]
    return (
        Pathway.objects.values().get(pk=pathway.pk),
        list(PhaseTransition.objects.filter(pathway=pathway).values_list("id", flat=True)),
        list(PathwayEvent.objects.filter(pathway=pathway).values_list("id", flat=True)),
        list(Stay.objects.filter(pathway=pathway).values_list("status", "version")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("from_phase,to_phase", list(itertools.product(Phase.values, repeat=2)))
def test_every_move_follows_the_allowed_table(from_phase, to_phase, pathway, coordinator,
                                              residential_unit):
    bring_to(pathway, from_phase, coordinator, residential_unit)
    pathway.refresh_from_db()
    assert pathway.phase == from_phase
    if to_phase == Phase.RESIDENTIAL and pathway.is_open:
        plan_stay(pathway, coordinator, residential_unit, days_ago(STAY2), days_ago(MOVE_ON))
    before = _state(pathway)
    on = days_ago(STAY2) if to_phase == Phase.RESIDENTIAL else days_ago(MOVE_ON)
    if phases.can_move(from_phase, to_phase):
        result = _transition(coordinator, pathway, to_phase, on)
        assert result.phase == to_phase
        last = PhaseTransition.objects.filter(pathway=pathway).latest("id")
        assert (last.from_phase, last.to_phase, last.on) == (from_phase, to_phase, on)
        assert last.recorded_by == coordinator.user
        assert Pathway.objects.get(pk=pathway.pk).version > before[0]["version"]
    else:
        with pytest.raises(DomainError):
            _transition(coordinator, pathway, to_phase, on)
        assert _state(pathway) == before


def test_allowed_table_never_leaves_closed_and_never_closes_a_stay():
    assert phases.ALLOWED[Phase.CLOSED] == frozenset()
    assert Phase.CLOSED not in phases.ALLOWED[Phase.RESIDENTIAL]
    assert set(phases.ALLOWED) == set(Phase.values)


@pytest.mark.django_db
def test_transition_writes_row_event_and_audit(pathway, coordinator):
    _transition(coordinator, pathway, Phase.PRE_ADMISSION, days_ago(2), note="Klar")
    pathway.refresh_from_db()
    assert pathway.phase == Phase.PRE_ADMISSION and pathway.version == 2
    row = PhaseTransition.objects.filter(pathway=pathway).latest("id")
    assert (row.from_phase, row.to_phase, row.on, row.note) == (
        Phase.CONTACT, Phase.PRE_ADMISSION, days_ago(2), "Klar")
    event = pathway.events.latest("id")
    assert event.kind == "phase.changed" and event.actor == coordinator.user
    assert event.data == {"from_phase": "contact", "to_phase": "pre_admission",
                          "on": str(days_ago(2))}
    assert AuditEvent.objects.filter(action="pathway.transition", outcome="allowed").count() == 1


def _refused(exc, pathway, fn):  # type: ignore[no-untyped-def]
    before = _state(pathway)
    with pytest.raises(exc) as caught:
        fn()
    assert _state(pathway) == before
    assert str(caught.value)  # a reason a person can read
    return caught.value


@pytest.mark.django_db
def test_discharge_before_admission_is_refused(pathway, coordinator, residential_unit):
    bring_to(pathway, Phase.PRE_ADMISSION, coordinator, residential_unit)
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    _refused(RuleViolation, pathway,
             lambda: _transition(coordinator, pathway, Phase.AFTERCARE, days_ago(1)))
    _refused(RuleViolation, pathway,
             lambda: services.stay_discharge(actor=act(coordinator), stay=stay, on=days_ago(1)))


@pytest.mark.django_db
def test_admission_without_a_planned_stay_is_refused(pathway, coordinator, residential_unit):
    bring_to(pathway, Phase.PRE_ADMISSION, coordinator, residential_unit)
    err = _refused(RuleViolation, pathway,
                   lambda: _transition(coordinator, pathway, Phase.RESIDENTIAL, days_ago(1)))
    assert err.field == "to_phase"


@pytest.mark.django_db
def test_closing_during_a_stay_is_refused(pathway, coordinator, residential_unit):
    bring_to(pathway, Phase.RESIDENTIAL, coordinator, residential_unit)
    _refused(RuleViolation, pathway,
             lambda: _transition(coordinator, pathway, Phase.CLOSED, days_ago(1)))


@pytest.mark.django_db
def test_closing_with_planned_stays_is_refused(pathway, coordinator, residential_unit):
    bring_to(pathway, Phase.AFTERCARE, coordinator, residential_unit)
    plan_stay(pathway, coordinator, residential_unit, clock.today() + dt.timedelta(days=10))
    _refused(RuleViolation, pathway,
             lambda: _transition(coordinator, pathway, Phase.CLOSED, days_ago(1)))


@pytest.mark.django_db
def test_no_stay_on_a_closed_pathway(pathway, coordinator, residential_unit):
    """A closed pathway is read-only, also to the coordinating clinic."""
    bring_to(pathway, Phase.CLOSED, coordinator, residential_unit)
    pathway.refresh_from_db()  # as a request reads it
    _refused(Forbidden, pathway,
             lambda: plan_stay(pathway, coordinator, residential_unit, days_ago(1)))
    assert not Stay.objects.exists()


@pytest.mark.django_db
def test_discharge_date_before_admission_is_refused(pathway, coordinator, residential_unit):
    bring_to(pathway, Phase.RESIDENTIAL, coordinator, residential_unit)
    stay = pathway.stays.get()
    err = _refused(InvalidInput, pathway, lambda: services.stay_discharge(
        actor=act(coordinator), stay=stay, on=days_ago(STAY1 + 1)))
    assert err.field == "on"


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [Phase.PRE_ADMISSION, Phase.RESIDENTIAL, Phase.AFTERCARE,
                                   Phase.CLOSED])
def test_future_dates_are_refused(phase, pathway, coordinator, residential_unit):
    tomorrow = clock.today() + dt.timedelta(days=1)
    start = {Phase.PRE_ADMISSION: Phase.CONTACT, Phase.RESIDENTIAL: Phase.PRE_ADMISSION,
             Phase.AFTERCARE: Phase.RESIDENTIAL, Phase.CLOSED: Phase.CONTACT}[phase]
    bring_to(pathway, start, coordinator, residential_unit)
    if phase == Phase.RESIDENTIAL:
        plan_stay(pathway, coordinator, residential_unit, days_ago(STAY1))
    _refused(InvalidInput, pathway, lambda: _transition(coordinator, pathway, phase, tomorrow))


@pytest.mark.django_db
def test_dates_before_the_pathway_started_are_refused(pathway, coordinator):
    _refused(InvalidInput, pathway,
             lambda: _transition(coordinator, pathway, Phase.PRE_ADMISSION, days_ago(31)))


@pytest.mark.django_db
def test_dates_before_the_previous_phase_change_are_refused(pathway, coordinator,
                                                            residential_unit):
    _transition(coordinator, pathway, Phase.PRE_ADMISSION, days_ago(5))
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(8))
    _refused(InvalidInput, pathway,
             lambda: services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(8)))
    _refused(InvalidInput, pathway,
             lambda: _transition(coordinator, pathway, Phase.CONTACT, days_ago(6)))


@pytest.mark.django_db
def test_unknown_phase_and_foreign_stay(pathway, coordinator, residential_unit):
    _refused(InvalidInput, pathway,
             lambda: _transition(coordinator, pathway, "limbo", days_ago(1)))
    other = factories.open_pathway(coordinator)
    bring_to(pathway, Phase.PRE_ADMISSION, coordinator, residential_unit)
    _transition(coordinator, other, Phase.PRE_ADMISSION, days_ago(PRE_ON))
    foreign = plan_stay(other, coordinator, residential_unit, days_ago(3))
    _refused(InvalidInput, pathway, lambda: _transition(coordinator, pathway, Phase.RESIDENTIAL,
                                                        days_ago(3), stay=foreign))
    assert Stay.objects.get(pk=foreign.pk).status == Stay.Status.PLANNED


@pytest.mark.django_db
def test_transition_refused_for_viewer_and_outsider(pathway, coordinator, gp, outsider):
    _refused(Forbidden, pathway,
             lambda: _transition(gp, pathway, Phase.PRE_ADMISSION, days_ago(1)))
    _refused(NotFound, pathway,
             lambda: _transition(outsider, pathway, Phase.PRE_ADMISSION, days_ago(1)))
    assert AuditEvent.objects.filter(action="pathway.transition", outcome="denied").count() == 2


@pytest.mark.django_db
def test_sequential_admissions(pathway, coordinator, residential_unit):
    second_unit = factories.unit(factories.Unit.Kind.RESIDENTIAL, name="Neste døgnenhet")
    _transition(coordinator, pathway, Phase.PRE_ADMISSION, days_ago(28))
    first = plan_stay(pathway, coordinator, residential_unit, days_ago(25), days_ago(15))
    second = plan_stay(pathway, coordinator, second_unit, days_ago(15), days_ago(5))

    def responsible() -> str:
        return pathway_detail(actor=act(coordinator),
                              public_id=pathway.public_id).treating_unit_name

    assert responsible() == pathway.coordinating_unit.name
    _transition(coordinator, pathway, Phase.RESIDENTIAL, days_ago(25))   # admits the first
    assert Stay.objects.get(pk=first.pk).status == Stay.Status.ONGOING
    assert responsible() == residential_unit.name
    _transition(coordinator, pathway, Phase.AFTERCARE, days_ago(15))     # discharges it
    assert responsible() == pathway.coordinating_unit.name
    _transition(coordinator, pathway, Phase.RESIDENTIAL, days_ago(15))   # same-day next stay
    assert Stay.objects.get(pk=second.pk).status == Stay.Status.ONGOING
    assert responsible() == second_unit.name
    services.stay_discharge(actor=act(coordinator), stay=second, on=days_ago(5),
                            reason="Pasienten ønsket å reise hjem.")
    _transition(coordinator, pathway, Phase.CLOSED, days_ago(2))

    pathway.refresh_from_db()
    assert pathway.phase == Phase.CLOSED and pathway.closed_at is not None
    assert pathway.coordinating_unit.name != second_unit.name  # coordination never moved
    moves = list(PhaseTransition.objects.filter(pathway=pathway).order_by("id")
                 .values_list("to_phase", "on"))
    assert moves == [
        (Phase.CONTACT, days_ago(30)), (Phase.PRE_ADMISSION, days_ago(28)),
        (Phase.RESIDENTIAL, days_ago(25)), (Phase.AFTERCARE, days_ago(15)),
        (Phase.RESIDENTIAL, days_ago(15)), (Phase.AFTERCARE, days_ago(5)),
        (Phase.CLOSED, days_ago(2)),
    ]
    stays = list(Stay.objects.filter(pathway=pathway).order_by("planned_start")
                 .values_list("status", "admitted_on", "discharged_on"))
    assert stays == [("discharged", days_ago(25), days_ago(15)),
                     ("discharged", days_ago(15), days_ago(5))]
    kinds = list(pathway.events.order_by("id").values_list("kind", flat=True))
    assert kinds.count("stay.admitted") == 2 and kinds.count("stay.discharged") == 2


@pytest.mark.django_db
def test_admission_before_previous_discharge_is_refused(pathway, coordinator,
                                                        residential_unit):
    bring_to(pathway, Phase.AFTERCARE, coordinator, residential_unit)
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(DISCH1))
    _refused(InvalidInput, pathway, lambda: services.stay_admit(
        actor=act(coordinator), stay=stay, on=days_ago(DISCH1 + 2)))
