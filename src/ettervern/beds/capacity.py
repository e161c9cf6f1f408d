"""Beds per night: taking and giving back the nights of a booking, and changing capacity.

No double booking, under any concurrency: a booking first makes sure a BedNight row exists for
each of its nights (INSERT … ON CONFLICT DO NOTHING), then locks those rows in the order of
their dates (SELECT … FOR UPDATE ORDER BY night, so two bookings never wait on each other in a
circle), then takes one bed of each with a conditional UPDATE (booked < capacity). A booking
that finds a night full changes nothing. Behind that, the database's check constraint
(bednight_within_capacity) refuses any row with more booked than its capacity. On SQLite,
writers take turns on the whole database, so the same holds for serial use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ettervern.beds.models import BedNight, CapacityChange, Programme
from ettervern.core.dates import display_date
from ettervern.core.errors import RuleViolation


class FullyBooked(RuleViolation):
    """The unit has no free bed on a night of the stay."""

    code = "fully_booked"


def nights(first: dt.date, until: dt.date) -> Iterator[dt.date]:
    """The nights first … until − 1."""
    day = first
    while day < until:
        yield day
        day += dt.timedelta(days=1)


def scheduled(programme: Programme, first: dt.date, until: dt.date) -> dict[dt.date, int]:
    """The capacity of each night by the programme's schedule (the latest change on or before
    the night; none: no beds)."""
    changes = list(CapacityChange.objects.filter(programme=programme, valid_from__lt=until)
                   .order_by("valid_from").values_list("valid_from", "beds"))
    result: dict[dt.date, int] = {}
    for night in nights(first, until):
        beds = 0
        for valid_from, count in changes:
            if valid_from <= night:
                beds = count
        result[night] = beds
    return result


def _full(night: dt.date) -> FullyBooked:
    return FullyBooked(_("Fully booked: there is no free bed the night from %(night)s to "
                         "%(next)s. Choose other dates.")
                       % {"night": display_date(night),
                          "next": display_date(night + dt.timedelta(days=1))}, field="arrival")


def _ensure_rows(programme: Programme, first: dt.date, until: dt.date) -> None:
    BedNight.objects.bulk_create(
        [BedNight(programme=programme, night=night, capacity=beds)
         for night, beds in scheduled(programme, first, until).items()],
        ignore_conflicts=True)


def take(programme: Programme, first: dt.date, until: dt.date) -> None:
    """Take one bed of each night first … until − 1, or raise FullyBooked and change nothing.
    Runs inside the booking's transaction."""
    assert transaction.get_connection().in_atomic_block
    _ensure_rows(programme, first, until)
    rows = list(BedNight.objects.select_for_update()
                .filter(programme=programme, night__gte=first, night__lt=until)
                .order_by("night").values_list("night", "capacity", "booked"))
    for night, capacity, booked in rows:
        if booked >= capacity:
            raise _full(night)
    try:
        with transaction.atomic():
            taken = (BedNight.objects
                     .filter(programme=programme, night__gte=first, night__lt=until,
                             booked__lt=F("capacity"))
                     .update(booked=F("booked") + 1))
            if taken != len(rows):
                raise _full(first)
    except IntegrityError:  # bednight_within_capacity: the database's own guard
        raise _full(first) from None


def give_back(programme: Programme, first: dt.date, until: dt.date) -> None:
    """Give back one bed of each night first … until − 1 (a cancellation, a refusal, an early
    departure)."""
    if first >= until:
        return
    list(BedNight.objects.select_for_update()
         .filter(programme=programme, night__gte=first, night__lt=until).order_by("night")
         .values_list("id", flat=True))
    BedNight.objects.filter(programme=programme, night__gte=first, night__lt=until,
                            booked__gt=0).update(booked=F("booked") - 1)


def change(programme: Programme, valid_from: dt.date, beds: int,
           recorded_by_id: int | None = None) -> None:
    """From `valid_from` on (until the next change), `beds` beds per night. Nights already
    holding more bookings than that are refused, naming the first. Runs inside the caller's
    transaction."""
    assert transaction.get_connection().in_atomic_block
    later = (CapacityChange.objects.filter(programme=programme, valid_from__gt=valid_from)
             .order_by("valid_from").values_list("valid_from", flat=True).first())
    span = BedNight.objects.filter(programme=programme, night__gte=valid_from)
    if later is not None:
        span = span.filter(night__lt=later)
    # Lock the nights in date order first, so that no booking slips in between the check
    # and the change.
    locked = list(span.select_for_update().order_by("night")
                  .values_list("night", "booked"))
    over = next(((night, booked) for night, booked in locked if booked > beds), None)
    if over is not None:
        raise RuleViolation(
            _("The night from %(night)s to %(next)s already has %(booked)d booked; the "
              "capacity cannot be set lower than that from this date.")
            % {"booked": over[1], "night": display_date(over[0]),
               "next": display_date(over[0] + dt.timedelta(days=1))}, field="beds")
    span.update(capacity=beds)
    CapacityChange.objects.update_or_create(
        programme=programme, valid_from=valid_from,
        defaults={"beds": beds, "recorded_by_id": recorded_by_id})
