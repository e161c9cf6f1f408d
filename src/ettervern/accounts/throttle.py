"""Throttling of failed local sign-ins, per username and per client address.

A sliding window: while the failures of the last `ETTERVERN_LOGIN_FAILURE_WINDOW_MINUTES`
for a username (or an address) reach the limit, further attempts are refused without the
password being checked. The counters are rows in the database, so every app server sees them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from ettervern.accounts.models import LoginFailure
from ettervern.core import clock

_USERNAME_LENGTH = 150


def normalise_username(username: str) -> str:
    """What counts as the same username for throttling: trimmed and case-folded."""
    return (username or "").strip().casefold()[:_USERNAME_LENGTH]


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ETTERVERN_LOGIN_FAILURE_WINDOW_MINUTES)


@dataclass(frozen=True)
class Lock:
    """Why attempts are refused now, and for how long (whole minutes, at least 1)."""

    scope: str  # "username" or "ip"
    minutes: int

    @property
    def seconds(self) -> int:
        return self.minutes * 60


def _lock_for(scope: str, rows: Any, limit: int, now: dt.datetime) -> Lock | None:
    if limit <= 0:
        return None
    times = list(rows.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    # Attempts are allowed again when the limit-th most recent failure leaves the window.
    until = times[-1] + _window()
    return Lock(scope=scope, minutes=max(1, math.ceil((until - now).total_seconds() / 60)))


def lock_for(*, username: str, ip: str | None) -> Lock | None:
    """The lock in force for this username or address, if any."""
    now = clock.now()
    recent = LoginFailure.objects.filter(at__gt=now - _window())
    lock = _lock_for("username", recent.filter(username=normalise_username(username)),
                     settings.ETTERVERN_LOGIN_MAX_FAILURES, now)
    if lock is None and ip:
        lock = _lock_for("ip", recent.filter(ip=ip),
                         settings.ETTERVERN_LOGIN_MAX_FAILURES_PER_IP, now)
    return lock


def record_failure(*, username: str, ip: str | None) -> None:
    now = clock.now()
    LoginFailure.objects.filter(at__lte=now - _window()).delete()
    LoginFailure.objects.create(username=normalise_username(username), ip=ip, at=now)


def clear_failures(*, username: str) -> None:
    """After a successful sign-in: that username's failures go, other usernames' stay (so an
    address that failed for others stays counted)."""
    LoginFailure.objects.filter(username=normalise_username(username)).delete()
