"""Concurrent writers on PostgreSQL: threads with their own connections, lined up by a barrier.

SQLite serialises every write transaction (IMMEDIATE mode), so these run on PostgreSQL only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from ettervern.core.errors import RuleViolation, StaleVersion
from ettervern.pathways import services
from ettervern.pathways.models import (
    CoordinatorHandover,
    Pathway,
    PathwayEvent,
    PhaseTransition,
    Stay,
)
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Patient
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrency needs row locks: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]


def run_together(*calls: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Start all calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, Any]] = [("missing", None)] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a writer hung (deadlock?)"
    return results


def _outcomes(results):  # type: ignore[no-untyped-def]
    oks = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    return oks, errors


def test_two_simultaneous_handovers_one_wins(pathway, coordinator, clinic):
    first = factories.staff(units=[clinic])
    second = factories.staff(units=[clinic])
    version = pathway.version

    def handover(to):  # type: ignore[no-untyped-def]
        return lambda: services.coordinator_handover(
            actor=act(coordinator), pathway=Pathway.objects.get(pk=pathway.pk), to_staff=to,
            expected_version=version, reason="Permisjon.")

    oks, errors = _outcomes(run_together(handover(first), handover(second)))
    assert len(oks) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleVersion), repr(errors[0])
    winner = oks[0].coordinator
    assert CoordinatorHandover.objects.filter(pathway=pathway).count() == 1
    fresh = Pathway.objects.get(pk=pathway.pk)
    assert fresh.coordinator == winner and fresh.version == version + 1
    assert CoordinatorHandover.objects.get().to_staff == winner
    assert PathwayEvent.objects.filter(pathway=pathway, kind="coordinator.handover").count() == 1


def test_two_simultaneous_handovers_to_the_same_person(pathway, coordinator, clinic):
    target = factories.staff(units=[clinic])

    def handover():  # type: ignore[no-untyped-def]
        return services.coordinator_handover(actor=act(coordinator), pathway=pathway,
                                             to_staff=target, expected_version=1,
                                             reason="Permisjon.")

    oks, errors = _outcomes(run_together(handover, handover))
    assert len(oks) == 1 and isinstance(errors[0], StaleVersion), repr(errors)
    assert CoordinatorHandover.objects.count() == 1


def test_concurrent_updates_no_lost_update(pathway, coordinator, colleague):
    def update(who, note):  # type: ignore[no-untyped-def]
        return lambda: services.pathway_update(
            actor=act(who), pathway=pathway, expected_version=1,
            referral_received_on=pathway.referral_received_on, referrer="Fastlege Hansen",
            first_contact_on=None, note=note)

    oks, errors = _outcomes(run_together(update(coordinator, "A"), update(colleague, "B")))
    assert len(oks) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleVersion), repr(errors[0])
    fresh = Pathway.objects.get(pk=pathway.pk)
    assert fresh.note == oks[0].note and fresh.version == 2
    assert PathwayEvent.objects.filter(pathway=pathway, kind="pathway.updated").count() == 1


def test_concurrent_admissions_of_two_stays_only_one_ongoing(pathway, coordinator,
                                                             residential_unit):
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=days_ago(20))
    other_unit = factories.unit(factories.Unit.Kind.RESIDENTIAL)
    a = plan_stay(pathway, coordinator, residential_unit, days_ago(10), days_ago(6))
    b = plan_stay(pathway, coordinator, other_unit, days_ago(5), days_ago(1))

    def admit(stay):  # type: ignore[no-untyped-def]
        return lambda: services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(3))

    oks, errors = _outcomes(run_together(admit(a), admit(b)))
    assert len(oks) == 1 and len(errors) == 1
    assert isinstance(errors[0], RuleViolation), repr(errors[0])
    assert Stay.objects.filter(pathway=pathway, status=Stay.Status.ONGOING).count() == 1
    assert Stay.objects.filter(pathway=pathway, status=Stay.Status.PLANNED).count() == 1
    assert PhaseTransition.objects.filter(pathway=pathway, to_phase=Phase.RESIDENTIAL).count() == 1
    assert Pathway.objects.get(pk=pathway.pk).phase == Phase.RESIDENTIAL


def test_concurrent_opening_for_the_same_new_patient(coordinator, clinic):
    nid = factories.national_id()

    def open_():  # type: ignore[no-untyped-def]
        return services.pathway_open(actor=act(coordinator), coordinating_unit=clinic,
                                     national_id=nid, given_name="Kari", family_name="Nordmann",
                                     first_contact_on=days_ago(1))

    oks, errors = _outcomes(run_together(open_, open_))
    assert len(oks) == 1 and len(errors) == 1
    assert isinstance(errors[0], RuleViolation), repr(errors[0])
    assert Patient.objects.filter(national_id=nid).count() == 1
    assert Pathway.objects.filter(patient__national_id=nid).count() == 1
