"""Due dates count Norwegian working days (core.workdays, the holidays library): across
Easter, 17 May and Christmas and New Year, on both databases (a task made through the service
stores the date)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ettervern.core import clock, workdays
from ettervern.tasks import services
from tests.pathways.helpers import act

CASES = [
    # Maundy Thursday 2026: Good Friday, the weekend and Easter Monday are not working days.
    (dt.date(2026, 4, 2), 3, dt.date(2026, 4, 9)),
    (dt.date(2026, 4, 1), 1, dt.date(2026, 4, 7)),
    # 16 May 2028 is a Tuesday; 17 May (Wednesday) is Constitution Day.
    (dt.date(2028, 5, 16), 3, dt.date(2028, 5, 22)),
    (dt.date(2028, 5, 16), 1, dt.date(2028, 5, 18)),
    # 17 May 2027 is also Whit Monday: one day off, not two.
    (dt.date(2027, 5, 14), 1, dt.date(2027, 5, 18)),
    # 23 December 2026 (Wednesday): Christmas Eve is a working day by law; 25 and 26 are not.
    (dt.date(2026, 12, 23), 3, dt.date(2026, 12, 29)),
    # Over New Year: 1 January 2027 is a Friday.
    (dt.date(2026, 12, 30), 3, dt.date(2027, 1, 5)),
    (dt.date(2026, 12, 23), 0, dt.date(2026, 12, 23)),
]


@pytest.mark.parametrize(("start", "days", "due"), CASES)
def test_add_working_days(start: dt.date, days: int, due: dt.date) -> None:
    assert workdays.add_working_days(start, days) == due


def test_holidays_are_not_working_days() -> None:
    for day in (dt.date(2026, 4, 2), dt.date(2026, 4, 3), dt.date(2026, 4, 6),
                dt.date(2028, 5, 17), dt.date(2026, 12, 25), dt.date(2026, 12, 26),
                dt.date(2027, 1, 1)):
        assert not workdays.is_working_day(day), day
    assert workdays.is_working_day(dt.date(2026, 12, 24))
    assert workdays.working_days_between(dt.date(2026, 4, 1), dt.date(2026, 4, 9)) == 3


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "due"), CASES[::2])
def test_a_task_due_in_working_days_is_stored_so(start: dt.date, days: int, due: dt.date,
                                                 pathway, coordinator) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(_at(start)):
        made = services.task_create(actor=act(coordinator), pathway=pathway, owner=coordinator,
                                    title="Ring pasienten", working_days=days)
    made.refresh_from_db()
    assert made.due_on == due
