"""The database's own guard against double booking: a night never holds more booked beds
than its capacity, whoever writes the row (both databases)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from ettervern.beds.models import BedNight
from tests.beds.conftest import day


@pytest.fixture
def full_night(programme):  # type: ignore[no-untyped-def]
    """A night of the programme with both its beds booked."""
    return BedNight.objects.create(programme=programme, night=day(3), capacity=2, booked=2)


def test_an_update_beyond_the_capacity_is_refused(full_night) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        BedNight.objects.filter(pk=full_night.pk).update(booked=F("booked") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedNight.objects.filter(pk=full_night.pk).update(booked=3)
    full_night.refresh_from_db()
    assert (full_night.capacity, full_night.booked) == (2, 2)


def test_lowering_the_capacity_below_the_booked_is_refused(full_night) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        BedNight.objects.filter(pk=full_night.pk).update(capacity=1)
    full_night.refresh_from_db()
    assert full_night.capacity == 2


def test_plain_sql_is_refused_too(full_night) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {BedNight._meta.db_table} SET booked = booked + 1 "  # noqa: S608
                       "WHERE id = %s", [full_night.pk])
    assert BedNight.objects.get(pk=full_night.pk).booked == 2


def test_a_new_row_beyond_the_capacity_is_refused(programme) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        BedNight.objects.create(programme=programme, night=day(4), capacity=1, booked=2)
    assert not BedNight.objects.filter(night=day(4)).exists()
