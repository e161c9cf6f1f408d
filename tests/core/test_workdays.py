from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize("day", [
    D(2025, 5, 17),   # Constitution Day (a Saturday in 2025, but a holiday anyway)
    D(2024, 5, 17),   # Constitution Day on a Friday
    D(2025, 4, 17),   # Maundy Thursday
    D(2025, 4, 18),   # Good Friday
    D(2025, 4, 21),   # Easter Monday
    D(2025, 12, 25),  # Christmas Day
    D(2025, 12, 26),  # Boxing Day
    D(2026, 1, 1),    # New Year's Day
    D(2025, 5, 1),    # Labour Day
    D(2025, 5, 29),   # Ascension Day
    D(2025, 6, 9),    # Whit Monday
])
def test_norwegian_holidays_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [D(2025, 5, 16), D(2025, 4, 16), D(2025, 12, 23),
                                 D(2025, 4, 22)])
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2025, 3, 8))  # Saturday
    assert not is_working_day(D(2025, 3, 9))  # Sunday


def test_add_working_days_over_easter():
    # Wednesday 16 April 2025; Thu 17, Fri 18, Sat, Sun, Mon 21 are off.
    assert add_working_days(D(2025, 4, 16), 1) == D(2025, 4, 22)
    assert add_working_days(D(2025, 4, 16), 2) == D(2025, 4, 23)


def test_add_working_days_over_christmas_and_new_year():
    # Tue 23 Dec 2025 -> Wed 24 (working), then 25, 26, weekend, Mon 29 …
    assert add_working_days(D(2025, 12, 23), 1) == D(2025, 12, 24)
    assert add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)


def test_add_working_days_over_17_may():
    assert add_working_days(D(2024, 5, 16), 1) == D(2024, 5, 21)  # 17 May Fri, 20 May Whit Monday


def test_add_zero_working_days_is_the_same_day():
    assert add_working_days(D(2025, 4, 18), 0) == D(2025, 4, 18)


def test_working_days_between():
    assert working_days_between(D(2025, 4, 16), D(2025, 4, 22)) == 1
    assert working_days_between(D(2025, 4, 22), D(2025, 4, 16)) == 0
    assert working_days_between(D(2025, 3, 3), D(2025, 3, 10)) == 5
