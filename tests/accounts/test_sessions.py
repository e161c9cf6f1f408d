"""Idle sessions end; cookies are Secure/HttpOnly/SameSite outside demo mode."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from ettervern.accounts.middleware import LAST_ACTIVITY_SESSION_KEY
from ettervern.core import clock
from tests.accounts.conftest import LOGIN, WORKLIST, login, signed_in

pytestmark = pytest.mark.django_db


def test_idle_limit_is_thirty_minutes_by_default(settings):  # type: ignore[no-untyped-def]
    assert settings.ETTERVERN_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_an_idle_session_ends(client, staff_user):  # type: ignore[no-untyped-def]
    start = timezone.now()
    with clock.frozen(start):
        login(client, "koord")
        assert client.get(WORKLIST).status_code == 200
    with clock.frozen(start + dt.timedelta(minutes=29)):
        assert client.get(WORKLIST).status_code == 200
    with clock.frozen(start + dt.timedelta(minutes=29 + 31)):
        response = client.get(WORKLIST)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not signed_in(client)


def test_activity_keeps_the_session_alive(client, staff_user):  # type: ignore[no-untyped-def]
    start = timezone.now()
    with clock.frozen(start):
        login(client, "koord")
    for minutes in (20, 40, 60):
        with clock.frozen(start + dt.timedelta(minutes=minutes)):
            assert client.get(WORKLIST).status_code == 200, minutes
    assert client.session[LAST_ACTIVITY_SESSION_KEY] == int(
        (start + dt.timedelta(minutes=60)).timestamp())


def test_the_stamp_is_written_at_most_once_a_minute(client, staff_user):  # type: ignore[no-untyped-def]
    start = timezone.now()
    with clock.frozen(start):
        login(client, "koord")
    key = client.session.session_key
    expiry = Session.objects.get(pk=key).expire_date
    with clock.frozen(start + dt.timedelta(seconds=30)):
        client.get(WORKLIST)
    assert Session.objects.get(pk=key).expire_date == expiry
    with clock.frozen(start + dt.timedelta(minutes=2)):
        client.get(WORKLIST)
    assert Session.objects.get(pk=key).expire_date > expiry


def test_an_expired_session_row_is_not_accepted(client, staff_user):  # type: ignore[no-untyped-def]
    login(client, "koord")
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(WORKLIST).status_code == 302


def test_session_and_csrf_cookies(client, staff_user, settings):  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # as outside demo
    page = client.get(LOGIN)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = login(client, "koord")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # a browser-session cookie; the server ends idle sessions
