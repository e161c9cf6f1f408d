from __future__ import annotations

import datetime as dt

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from ettervern.core.errors import InvalidInput
from ettervern.core.identifiers import (
    DNR,
    FNR,
    SYSTEM_DNR,
    SYSTEM_FNR,
    birth_date,
    mask_national_id,
    parse_national_id,
)
from tests import factories


def _wrong_check_digit(valid: str) -> str:
    last = (int(valid[-1]) + 1) % 10
    return valid[:-1] + str(last)


def test_valid_fodselsnummer_is_fnr():
    nid = factories.national_id(dt.date(1985, 3, 14))
    parsed = parse_national_id(nid)
    assert parsed.value == nid
    assert parsed.kind == FNR
    assert parsed.system == SYSTEM_FNR
    assert birth_date(nid) == dt.date(1985, 3, 14)


def test_spaces_are_ignored():
    nid = factories.national_id(dt.date(1990, 12, 1))
    assert parse_national_id(f"{nid[:6]} {nid[6:]}").value == nid


def test_valid_d_number_is_dnr_with_real_birth_date():
    nid = factories.national_id(dt.date(1979, 6, 5), d_number=True)
    assert nid.startswith("45")
    parsed = parse_national_id(nid)
    assert parsed.kind == DNR
    assert parsed.system == SYSTEM_DNR
    assert birth_date(nid) == dt.date(1979, 6, 5)


def test_wrong_check_digit_is_invalid_input_with_translatable_message():
    nid = _wrong_check_digit(factories.national_id(dt.date(1985, 3, 14)))
    with pytest.raises(InvalidInput) as caught:
        parse_national_id(nid)
    err = caught.value
    assert err.status == 422
    assert err.field == "national_id"
    # A lazy gettext string: rendered in the reader's language (nb by default) at display time.
    assert isinstance(err.message, Promise)
    with override("en"):
        assert str(err.message) == (
            "The check digits do not match. Check the number for typing errors."
        )


def test_wrong_first_check_digit_also_refused():
    nid = factories.national_id(dt.date(1985, 3, 14))
    broken = nid[:9] + str((int(nid[9]) + 1) % 10) + nid[10]
    with pytest.raises(InvalidInput):
        parse_national_id(broken)


@pytest.mark.parametrize("raw", ["", "1234567890", "123456789012", "0101"])
def test_wrong_length(raw):
    with pytest.raises(InvalidInput) as caught:
        parse_national_id(raw)
    with override("en"):
        assert "11 digits" in str(caught.value.message)


@pytest.mark.parametrize("raw", ["0101801234A", "ABCDEFGHIJK", "01018O12345"])
def test_letters(raw):
    with pytest.raises(InvalidInput) as caught:
        parse_national_id(raw)
    with override("en"):
        assert "digits only" in str(caught.value.message)


def test_impossible_birth_date():
    # 31 February with check digits computed for it: checksum right, date wrong.
    from stdnum.no import fodselsnummer

    base = "310285123"
    k1 = fodselsnummer.calc_check_digit1(base)
    k2 = fodselsnummer.calc_check_digit2(base + k1)
    if "10" in (k1, k2):
        pytest.skip("no valid check digit for this base")
    with pytest.raises(InvalidInput):
        parse_national_id(base + k1 + k2)


def test_mask_hides_personal_digits():
    assert mask_national_id("01018012345") == "010180 *****"
