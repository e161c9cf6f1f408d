from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ettervern.core import clock
from ettervern.core.errors import StaleVersion
from ettervern.core.models import update_versioned
from ettervern.directory.models import Unit
from tests import factories


def test_frozen_pins_now_and_today_and_restores():
    at = dt.datetime(2025, 5, 16, 22, 30, tzinfo=dt.UTC)  # 00:30 on 17 May in Oslo
    with clock.frozen(at):
        assert clock.now() == at
        assert clock.today() == dt.date(2025, 5, 17)  # local date, Europe/Oslo
    assert abs((clock.now() - timezone.now()).total_seconds()) < 5


def test_frozen_nests_and_restores_on_error():
    outer = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
    inner = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)
    with clock.frozen(outer):
        with pytest.raises(ValueError), clock.frozen(inner):
            assert clock.now() == inner
            raise ValueError
        assert clock.now() == outer


@pytest.mark.django_db
def test_update_versioned_writes_and_bumps():
    unit = factories.unit(Unit.Kind.OUTPATIENT, name="Før")
    assert unit.version == 1
    at = dt.datetime(2025, 2, 3, 10, tzinfo=dt.UTC)
    with clock.frozen(at):
        update_versioned(unit, expected_version=1, name="Etter")
    assert unit.version == 2 and unit.name == "Etter"
    unit.refresh_from_db()
    assert (unit.version, unit.name, unit.updated_at) == (2, "Etter", at)


@pytest.mark.django_db
def test_update_versioned_stale_changes_nothing():
    unit = factories.unit(Unit.Kind.OUTPATIENT, name="Før")
    update_versioned(unit, expected_version=1, name="Først")
    stale = Unit.objects.get(pk=unit.pk)
    stale.version = 1  # a reader who loaded the row before the first write
    before = Unit.objects.values("name", "version", "updated_at").get(pk=unit.pk)
    with pytest.raises(StaleVersion) as caught:
        update_versioned(stale, expected_version=1, name="Sist")
    assert caught.value.status == 409
    assert Unit.objects.values("name", "version", "updated_at").get(pk=unit.pk) == before
    assert stale.name == "Først"  # the instance is not touched either
