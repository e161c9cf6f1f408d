"""Norwegian phone numbers as a crisis plan needs them: eight digits (with or without +47 or
0047, spaces and dashes allowed), or one of the short emergency and helpline numbers."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from ettervern.core.errors import InvalidInput

# Emergency and national helpline numbers a crisis plan names (short numbers have no prefix).
SHORT_NUMBERS = frozenset({
    "110",     # fire
    "112",     # police
    "113",     # ambulance, medical emergency
    "116111",  # Alarmtelefonen for barn og unge
    "116117",  # legevakt (out-of-hours doctor)
    "116123",  # Mental Helse hjelpetelefonen
})
_SEPARATORS = re.compile(r"[\s\-.()/]")
_NATIONAL = re.compile(r"[2-9][0-9]{7}")


def normalise_phone(raw: str, *, field: str = "phone") -> str:
    """'+47 412 34 567' -> '+4741234567'; '113' -> '113'; anything else: InvalidInput."""
    compact = _SEPARATORS.sub("", raw or "")
    if compact in SHORT_NUMBERS:
        return compact
    for prefix in ("+47", "0047"):
        if compact.startswith(prefix) and len(compact) == len(prefix) + 8:
            compact = compact[len(prefix):]
            break
    if _NATIONAL.fullmatch(compact):
        return "+47" + compact
    raise InvalidInput(
        _("Give a Norwegian phone number of 8 digits (for example 412 34 567, optionally "
          "with +47), or an emergency number such as 113 or 116 117."),
        field=field,
    )


def display_phone(phone: str) -> str:
    """How a Norwegian reads it: mobile '412 34 567', others '22 12 34 56', '116 117'."""
    if phone.startswith("+47") and len(phone) == 11:
        digits = phone[3:]
        if digits[0] in "49":
            return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
        return f"{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
    if len(phone) == 6:
        return f"{phone[:3]} {phone[3:]}"
    return phone
