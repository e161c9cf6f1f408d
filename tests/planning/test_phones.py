import pytest

from ettervern.core.errors import InvalidInput
from ettervern.planning.crisis.phones import display_phone, normalise_phone


@pytest.mark.parametrize(("raw", "stored", "shown"), [
    ("41234567", "+4741234567", "412 34 567"),
    ("+47 412 34 567", "+4741234567", "412 34 567"),
    ("0047 41-23-45-67", "+4741234567", "412 34 567"),
    ("22 11 33 44", "+4722113344", "22 11 33 44"),
    ("(+47) 98765432", "+4798765432", "987 65 432"),
    ("113", "113", "113"),
    ("116 117", "116117", "116 117"),
])
def test_norwegian_numbers_are_normalised(raw, stored, shown):
    assert normalise_phone(raw) == stored
    assert display_phone(stored) == shown


@pytest.mark.parametrize("raw", ["", "1234567", "412345678", "01234567", "+46 70 123 45 67",
                                 "ring meg", "114", "+47 1234 5678"])
def test_other_numbers_are_refused(raw):
    with pytest.raises(InvalidInput) as refused:
        normalise_phone(raw, field="contacts.0.phone")
    assert refused.value.field == "contacts.0.phone"
