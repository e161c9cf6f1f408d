"""Norwegian calendar: public holidays (holidays library) and working-day arithmetic."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _norway(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NO", years=year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _norway(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` Norwegian working days after `start`.

    For deadlines such as 'within 10 working days'.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
