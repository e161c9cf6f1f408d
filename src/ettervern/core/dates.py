"""How dates are written to people: one format everywhere, dd.mm.åååå (Norwegian usage)."""

from __future__ import annotations

import datetime as dt

DATE_FORMAT = "d.m.Y"  # the same, for Django's template filter `date`
DATETIME_FORMAT = "d.m.Y H:i"


def display_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""
