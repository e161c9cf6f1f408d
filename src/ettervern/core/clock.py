"""The one clock. Services ask `now()`/`today()` so tests can move time with `frozen(...)`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen_at: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen_at if _frozen_at is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Pin the clock (tests only)."""
    global _frozen_at
    previous, _frozen_at = _frozen_at, at
    try:
        yield
    finally:
        _frozen_at = previous
