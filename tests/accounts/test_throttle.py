"""Repeated failed sign-ins are throttled per username and per address, in the database."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from ettervern.access.models import AuditEvent
from ettervern.access.signin import SIGN_IN, SIGN_IN_REFUSED
from ettervern.accounts import throttle
from ettervern.accounts.models import LoginFailure
from ettervern.core import clock
from ettervern.core.net import client_ip
from tests.accounts.conftest import PASSWORD, events, login, signed_in

pytestmark = pytest.mark.django_db


def _fail(client, username: str, times: int, ip: str = "127.0.0.1") -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        assert login(client, username, "feil-passord", ip=ip).status_code == 200


def test_limit_per_username_refuses_even_the_right_password(client, staff_user):  # type: ignore[no-untyped-def]
    _fail(client, "koord", 5)
    response = login(client, "koord")
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert "For mange mislykkede innloggingsforsøk" in html and 'role="alert"' in html
    assert int(response["Retry-After"]) == 15 * 60
    refused = events(SIGN_IN_REFUSED)
    assert len(refused) == 6
    assert refused[-1].basis == "local: throttled (username)"
    assert refused[-1].outcome == AuditEvent.Outcome.DENIED
    # The lock does not count as another failure (it would only lengthen it).
    assert LoginFailure.objects.count() == 5


def test_a_locked_attempt_does_not_check_the_password(client, staff_user):  # type: ignore[no-untyped-def]
    _fail(client, "koord", 5)
    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        response = login(client, "koord")
    assert response.status_code == 429
    authenticate.assert_not_called()
    assert 'value="koord"' in response.content.decode()


def test_four_failures_do_not_lock(client, staff_user):  # type: ignore[no-untyped-def]
    _fail(client, "koord", 4)
    assert login(client, "koord").status_code == 302
    assert signed_in(client)


def test_username_lock_holds_from_another_address_and_in_another_case(client, staff_user):  # type: ignore[no-untyped-def]
    _fail(client, "koord", 5, ip="192.0.2.1")
    assert login(client, "KOORD ", ip="198.51.100.7").status_code == 429


def test_lock_ends_when_the_failures_leave_the_window(client, staff_user):  # type: ignore[no-untyped-def]
    start = timezone.now()
    with clock.frozen(start):
        _fail(client, "koord", 5)
    with clock.frozen(start + dt.timedelta(minutes=14)):
        response = login(client, "koord")
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
    with clock.frozen(start + dt.timedelta(minutes=15, seconds=1)):
        assert login(client, "koord").status_code == 302
    assert signed_in(client)


def test_limit_per_address_covers_many_usernames(client, staff_user, settings):  # type: ignore[no-untyped-def]
    settings.ETTERVERN_LOGIN_MAX_FAILURES_PER_IP = 3
    for name in ("anna", "berit", "carl"):
        _fail(client, name, 1, ip="203.0.113.5")
    response = login(client, "koord", ip="203.0.113.5")
    assert response.status_code == 429
    assert events(SIGN_IN_REFUSED)[-1].basis == "local: throttled (ip)"
    # The same user from elsewhere is not affected.
    assert login(client, "koord", ip="203.0.113.6").status_code == 302


def test_a_success_clears_only_its_own_username(client, staff_user, settings):  # type: ignore[no-untyped-def]
    settings.ETTERVERN_LOGIN_MAX_FAILURES_PER_IP = 5
    _fail(client, "koord", 2, ip="203.0.113.5")
    _fail(client, "anna", 2, ip="203.0.113.5")
    assert login(client, "koord", ip="203.0.113.5").status_code == 302
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["anna", "anna"]
    client.logout()
    _fail(client, "berit", 3, ip="203.0.113.5")  # anna's 2 still count: 5 on the address
    assert login(client, "koord", ip="203.0.113.5").status_code == 429


def test_default_limits(settings):  # type: ignore[no-untyped-def]
    assert settings.ETTERVERN_LOGIN_MAX_FAILURES == 5
    assert settings.ETTERVERN_LOGIN_FAILURE_WINDOW_MINUTES == 15
    assert settings.ETTERVERN_LOGIN_MAX_FAILURES_PER_IP == 20


def test_old_failures_are_pruned(db):  # type: ignore[no-untyped-def]
    start = timezone.now()
    with clock.frozen(start - dt.timedelta(hours=2)):
        throttle.record_failure(username="anna", ip="192.0.2.1")
    with clock.frozen(start):
        throttle.record_failure(username="berit", ip="192.0.2.1")
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["berit"]


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(settings):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1",
                                   HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    settings.ETTERVERN_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.ETTERVERN_TRUSTED_PROXIES = 1  # one proxy: the address it saw, not the client's claim
    assert client_ip(request) == "198.51.100.9"


def test_successful_sign_in_after_failures_is_audited_once(client, staff_user):  # type: ignore[no-untyped-def]
    _fail(client, "koord", 2)
    login(client, "koord")
    assert len(events(SIGN_IN)) == 1
    assert get_user_model().objects.get(username="koord").check_password(PASSWORD)
