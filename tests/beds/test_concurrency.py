"""Many patients book the same beds at once (PostgreSQL: threads with their own connections,
started together behind a barrier). Nobody gets a bed that is not there, a refusal stores
nothing, and bookings over overlapping nights never wait on each other in a circle.

SQLite serialises every write transaction, so these run on PostgreSQL only. The tests are
transactional (their writes are committed, so the threads see them); the flush afterwards
removes everything they made. They build their own data rather than use the conftest's
fixtures (which are for the rolled-back `db`). serialized_rollback: each starts from the
migrations' data (an earlier flush has removed it), and its own flush leaves empty tables, as
the next such test expects (tests/bench restores the same data; a flush without it would run
post_migrate and write content types that collide with the restored ones).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation

from ettervern.beds import capacity, services
from ettervern.beds.models import Agreement, BedNight, Booking, Programme
from ettervern.core import clock
from ettervern.core.dates import display_date
from ettervern.core.errors import RuleViolation
from ettervern.directory.models import Organisation, Staff, Unit
from tests import factories
from tests.beds.conftest import PROGRAMME_FIELDS
from tests.pathways.helpers import act
from tests.pathways.test_concurrency import _outcomes, run_together

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrency needs row locks: PostgreSQL only"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATIENTS = 50
_names = itertools.count(1)


def day(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


@dataclass
class Place:
    programme: Programme
    clinician: Staff
    coordinator: Staff


def _unit(beds: int) -> Place:
    """A residential unit of a trust with a published programme of `beds` beds per night, its
    administrator and clinician, and a coordinator at a clinic elsewhere."""
    trust = factories.organisation(Organisation.Kind.HF, name="Helse Nord-foretaket")
    unit = factories.unit(Unit.Kind.RESIDENTIAL, org=trust, name="Brukerstyrt døgn Nord")
    admin = factories.staff(Staff.Profession.ADMIN, units=[unit])
    clinician = factories.staff(Staff.Profession.CLINICIAN, units=[unit])
    coordinator = factories.staff(units=[factories.unit(Unit.Kind.OUTPATIENT)])
    programme = services.programme_save(
        actor=act(admin), unit=unit, fields={**PROGRAMME_FIELDS, "min_days_between": 0},
        target_groups=[])
    services.capacity_set(actor=act(admin), programme=programme, valid_from=clock.today(),
                          beds=beds)
    return Place(programme, clinician, coordinator)


def _patient(place: Place) -> tuple[Any, Agreement]:
    """A patient (their own login) on an open pathway, with an agreement at the unit that they
    have accepted: (user, agreement), the agreement with what a booking reads."""
    pathway = factories.open_pathway(place.coordinator)
    user = get_user_model().objects.create_user(username=f"pasient{next(_names)}",
                                                password=None)
    pathway.patient.user = user
    pathway.patient.save(update_fields=["user"])
    agreement = services.agreement_offer(
        actor=act(place.clinician), national_id=pathway.patient.national_id,
        programme=place.programme, valid_from=day(0), valid_to=day(90), max_stays=3,
        max_days_per_stay=5)
    assert agreement is not None
    services.agreement_accept(actor=act(user), agreement=agreement)
    return user, Agreement.objects.select_related(
        "pathway", "patient", "programme__unit__organisation").get(pk=agreement.pk)


def _in_english(call: Any) -> Any:
    """A thread starts in the default language (nb): the test reads the English message."""
    def run() -> Any:
        with translation.override("en"):
            return call()
    return run


def _booker(user: Any, agreement: Agreement, arrival: dt.date, departure: dt.date) -> Any:
    return _in_english(lambda: services.booking_create(
        actor=act(user), agreement=agreement, arrival=arrival, departure=departure))


def _nights(programme: Programme) -> dict[dt.date, tuple[int, int]]:
    return {night: (cap, booked) for night, cap, booked in BedNight.objects.filter(
        programme=programme).values_list("night", "capacity", "booked")}


def _held(programme: Programme) -> Counter[dt.date]:
    """Beds each night by the bookings that hold them."""
    held: Counter[dt.date] = Counter()
    for arrival, departure in Booking.objects.filter(
            programme=programme, status=Booking.Status.BOOKED).values_list("arrival",
                                                                           "departure"):
        held.update(capacity.nights(arrival, departure))
    return held


def test_fifty_patients_book_the_last_bed_at_once_one_gets_it() -> None:
    place = _unit(beds=3)
    # Two patients have booked already: the night of day 3 has two free beds, the night of
    # day 4 one (the last).
    for arrival in (day(2), day(4)):
        user, theirs = _patient(place)
        _booker(user, theirs, arrival, day(6))()
    before = _nights(place.programme)
    assert {night: before[night] for night in (day(3), day(4))} == {
        day(3): (3, 1), day(4): (3, 2)}
    patients = [_patient(place) for _ in range(PATIENTS)]
    assert len({agreement.patient_id for _user, agreement in patients}) == PATIENTS

    oks, errors = _outcomes(run_together(
        *(_booker(user, agreement, day(3), day(5)) for user, agreement in patients)))

    assert len(oks) == 1, (len(oks), errors[:3])
    assert len(errors) == PATIENTS - 1
    assert all(isinstance(e, capacity.FullyBooked) for e in errors), [
        repr(e) for e in errors if not isinstance(e, capacity.FullyBooked)][:3]
    # The night that ran out is named.
    with translation.override("en"):
        night, morning = display_date(day(4)), display_date(day(5))
    assert {str(e) for e in errors} == {
        f"Fully booked: there is no free bed the night from {night} to {morning}. Choose "
        "other dates."}
    assert {(e.code, e.field) for e in errors} == {("fully_booked", "arrival")}
    winner = oks[0]
    stored = Booking.objects.filter(programme=place.programme)
    assert stored.count() == 3
    assert stored.filter(arrival=day(3)).get().pk == winner.pk
    assert set(Booking.objects.filter(agreement__in=[a for _u, a in patients])
               .values_list("patient_id", flat=True)) == {winner.patient_id}
    after = _nights(place.programme)
    assert after[day(4)] == (3, 3)  # the last bed, taken once
    # The losers found a bed the night of day 3 and none the night of day 4; nothing of what
    # they found is kept: day 3 holds the earlier booking and the winner's, no more.
    assert after[day(3)] == (3, 2)
    assert {night: booked for night, (_cap, booked) in after.items()} == dict(
        _held(place.programme))
    assert {night for night in after if night not in (day(3), day(4))} == {
        day(2), day(5)}
    assert after[day(2)] == before[day(2)] and after[day(5)] == before[day(5)]


@pytest.mark.parametrize("rows_exist", [False, True],
                         ids=["nights-without-rows", "nights-with-rows"])
def test_overlapping_stays_at_once_no_deadlock_no_overbooking(rows_exist: bool) -> None:
    """Stays over the nights of days 1-3 and of days 2-4 booked at once, half of each: they
    share the nights of days 2 and 3. Locked in date order, nobody waits on another in a
    circle (PostgreSQL would end one of them with a deadlock error), and the shared nights
    take no more than their beds."""
    beds = 4
    place = _unit(beds=beds)
    if rows_exist:
        # A booking over days 0-4 has made every night's row; it holds one bed of each.
        user, theirs = _patient(place)
        _booker(user, theirs, day(0), day(5))()
    free = beds - (1 if rows_exist else 0)
    patients = [_patient(place) for _ in range(20)]
    calls = [_booker(user, agreement, *((day(1), day(4)) if n % 2 else (day(2), day(5))))
             for n, (user, agreement) in enumerate(patients)]

    oks, errors = _outcomes(run_together(*calls))

    assert all(isinstance(e, capacity.FullyBooked) for e in errors), [
        repr(e) for e in errors if not isinstance(e, capacity.FullyBooked)][:3]
    assert len(oks) == free, (len(oks), len(errors))
    nights = _nights(place.programme)
    assert all(booked <= cap == beds for cap, booked in nights.values()), nights
    assert nights[day(2)] == nights[day(3)] == (beds, beds)
    assert {night: booked for night, (_cap, booked) in nights.items() if booked} == dict(
        _held(place.programme))
    assert Booking.objects.filter(programme=place.programme).count() == len(oks) + (
        1 if rows_exist else 0)


def test_a_capacity_change_and_a_booking_at_once_agree_on_the_night(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A booking reads the schedule for nights that have no row yet; the unit's administrator
    lowers the capacity of those nights at that moment. Whichever goes first, the night's row
    ends up with the capacity of the schedule, and never with more booked than that."""
    import threading

    from django.db import connections

    place = _unit(beds=2)
    admin = Staff.objects.get(units=place.programme.unit, profession=Staff.Profession.ADMIN)
    user, agreement = _patient(place)
    read, go = threading.Event(), threading.Event()
    real = capacity.scheduled

    def paused(programme: Programme, first: dt.date, until: dt.date) -> dict[dt.date, int]:
        found = real(programme, first, until)
        if threading.current_thread().name == "booking":
            read.set()
            go.wait(timeout=10)
        return found

    monkeypatch.setattr(capacity, "scheduled", paused)
    results: dict[str, Any] = {}

    def run(name: str, call: Any) -> threading.Thread:
        def target() -> None:
            try:
                results[name] = call()
            except Exception as exc:  # noqa: BLE001 - the test inspects it
                results[name] = exc
            finally:
                connections.close_all()
        thread = threading.Thread(target=target, name=name)
        thread.start()
        return thread

    booking = run("booking", _booker(user, agreement, day(3), day(5)))
    assert read.wait(timeout=10)
    change = run("change", _in_english(lambda: services.capacity_set(
        actor=act(admin), programme=place.programme, valid_from=day(3), beds=0)))
    # The change either finishes or waits for the booking (a lock wait in PostgreSQL).
    for _ in range(200):
        if not change.is_alive() or _waiting_on_a_lock():
            break
        change.join(timeout=0.05)
    go.set()
    for thread in (booking, change):
        thread.join(timeout=30)
        assert not thread.is_alive(), "a writer hung"

    nights = _nights(place.programme)
    schedule = real(place.programme, day(3), day(5))
    assert {night: cap for night, (cap, _booked) in nights.items()} == schedule, (
        nights, schedule, results)
    assert all(booked <= cap for cap, booked in nights.values()), nights
    # Here the booking held the nights first: it got them, and the change is refused.
    assert isinstance(results["booking"], Booking), results
    assert "already has 1 booked" in str(results["change"]), results


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock'")
        row = cursor.fetchone()
    return bool(row and row[0])


def test_one_patient_books_the_same_nights_at_two_units_at_once_one_stay_is_kept() -> None:
    """A patient with agreements at two units books overlapping stays at both at the same
    moment (two devices, say). The stays may not overlap: one is booked, the other refused,
    whichever agreement each goes through."""
    north, west = _unit(beds=2), _unit(beds=2)
    user, at_north = _patient(north)
    second = services.agreement_offer(
        actor=act(west.clinician), national_id=at_north.patient.national_id,
        programme=west.programme, valid_from=day(0), valid_to=day(90), max_stays=3,
        max_days_per_stay=5)
    assert second is not None
    services.agreement_accept(actor=act(user), agreement=second)
    at_west = Agreement.objects.select_related(
        "pathway", "patient", "programme__unit__organisation").get(pk=second.pk)

    for start in (3, 13, 23):  # a few tries: each a fresh pair of stays
        oks, errors = _outcomes(run_together(
            _booker(user, at_north, day(start), day(start + 3)),
            _booker(user, at_west, day(start + 1), day(start + 4))))
        assert len(oks) == 1 and len(errors) == 1, (oks, errors)
        assert isinstance(errors[0], RuleViolation), repr(errors[0])
        assert "already have a stay booked" in str(errors[0])
    stays = sorted(Booking.objects.filter(patient_id=at_north.patient_id)
                   .values_list("arrival", "departure"))
    assert len(stays) == 3
    assert all(a_end <= b_start for (_a, a_end), (b_start, _b) in itertools.pairwise(stays))
