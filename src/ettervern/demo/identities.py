"""Synthetic identifiers with valid check digits, computed with python-stdnum.

Every generator takes the caller's `random.Random`, so `seed --seed S` is reproducible, and a
set of values already used, so numbers stay unique across runs.
"""

from __future__ import annotations

import datetime as dt
import random

from stdnum.no import fodselsnummer, orgnr


def org_number(rng: random.Random, used: set[str]) -> str:
    """A synthetic organisation number (9 digits, mod-11 check digit; starts with 8 or 9)."""
    while True:
        base = f"{rng.choice('89')}{rng.randint(0, 9_999_999):07d}"
        # The weighted sum including the check digit must be 0 mod 11.
        check = (11 - orgnr.checksum(base + "0")) % 11
        if check == 10:
            continue  # no valid number with this stem
        number = base + str(check)
        if number in used:
            continue
        assert orgnr.is_valid(number), number
        used.add(number)
        return number


def national_id(rng: random.Random, birth: dt.date, used: set[str], *,
                d_number: bool = False) -> str:
    """A synthetic fødselsnummer (or D-nummer: day + 40) for `birth`, validated by stdnum."""
    day = birth.day + (40 if d_number else 0)
    while True:
        # Individual numbers 000-499: born 1900-1999; 500-999: born 2000-2039.
        individual = rng.randint(0, 499) if birth.year < 2000 else rng.randint(500, 999)
        base = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if k1 == "10":
            continue
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if k2 == "10":
            continue
        number = base + k1 + k2
        if number in used or not fodselsnummer.is_valid(number):
            continue
        used.add(number)
        return number


def hpr_number(rng: random.Random, used: set[str]) -> str:
    """A synthetic HPR number (health personnel register): 7 or 8 digits, no check digit."""
    while True:
        number = str(rng.randint(1_000_000, 99_999_999))
        if number not in used:
            used.add(number)
            return number


def birth_date(rng: random.Random, today: dt.date) -> dt.date:
    """Adults 19–70, weighted towards 25–50 as in TSB."""
    age = min(max(int(rng.gauss(38, 11)), 19), 70)
    born = today.replace(year=today.year - age, month=1, day=1)
    return born + dt.timedelta(days=rng.randint(0, 364))
