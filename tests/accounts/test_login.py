"""Password sign-in and sign-out: each one audited, the refusals included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ettervern.access.models import AuditEvent
from ettervern.access.signin import SIGN_IN, SIGN_IN_REFUSED, SIGN_OUT
from tests.accounts.conftest import HOME, LOGIN, LOGOUT, events, login, signed_in

pytestmark = pytest.mark.django_db


def test_login_page_keeps_its_path_and_form(client):  # type: ignore[no-untyped-def]
    assert LOGIN == "/logg-inn/" and LOGOUT == "/logg-ut/"
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_username">Brukernavn' in html
    assert '<label for="id_password">Passord' in html


def test_sign_in_is_audited(client, staff_user):  # type: ignore[no-untyped-def]
    response = login(client, "koord", ip="192.0.2.10")
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in(client)
    [event] = events(SIGN_IN)
    assert event.actor_id == staff_user.pk
    assert event.outcome == AuditEvent.Outcome.ALLOWED
    assert event.basis == "local"
    assert event.ip == "192.0.2.10"
    assert event.actor_name == "Staff koord"


def test_wrong_password_is_refused_and_audited(client, staff_user):  # type: ignore[no-untyped-def]
    response = login(client, "koord", "feil-passord")
    assert response.status_code == 200
    assert not signed_in(client)
    assert 'role="alert"' in response.content.decode()
    [event] = events(SIGN_IN_REFUSED)
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.actor_id is None and event.actor_name == "koord"
    assert event.basis == "local: wrong username or password"
    assert events(SIGN_IN) == []


def test_unknown_user_is_refused_and_audited(client, db):  # type: ignore[no-untyped-def]
    response = login(client, "finnes-ikke", "hva-som-helst")
    assert response.status_code == 200 and not signed_in(client)
    [event] = events(SIGN_IN_REFUSED)
    assert event.actor_name == "finnes-ikke"


def test_inactive_user_is_refused(client, staff_user):  # type: ignore[no-untyped-def]
    staff_user.is_active = False
    staff_user.save()
    login(client, "koord")
    assert not signed_in(client)
    assert len(events(SIGN_IN_REFUSED)) == 1


def test_empty_form_is_not_an_attempt(client, db):  # type: ignore[no-untyped-def]
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    assert "Dette feltet er påkrevd." in response.content.decode()
    assert events(SIGN_IN_REFUSED) == []


def test_next_is_followed_only_on_this_site(client, staff_user):  # type: ignore[no-untyped-def]
    response = login(client, "koord", next_url="/pasienter/ny/")
    assert response["Location"] == "/pasienter/ny/"
    client.logout()
    response = login(client, "koord", next_url="https://evil.example/")
    assert response["Location"] == HOME


def test_sign_out_is_a_post_and_is_audited(client, staff_user):  # type: ignore[no-untyped-def]
    login(client, "koord")
    assert client.get(LOGOUT).status_code == 405
    assert signed_in(client)
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not signed_in(client)
    [event] = events(SIGN_OUT)
    assert event.actor_id == staff_user.pk and event.basis == "local"


def test_sign_out_goes_on_to_the_provider_when_it_has_an_end_session_url(  # type: ignore[no-untyped-def]
        client, staff_user, monkeypatch):
    seen = {}

    def provider_logout_url(request):  # type: ignore[no-untyped-def]
        seen["user"] = request.user.get_username()  # asked before the session is flushed
        return "https://helseid.example/connect/endsession?id_token_hint=x"

    monkeypatch.setattr("ettervern.accounts.views.provider_logout_url", provider_logout_url)
    login(client, "koord")
    response = client.post(LOGOUT)
    assert response["Location"] == "https://helseid.example/connect/endsession?id_token_hint=x"
    assert seen["user"] == "koord"
    assert not signed_in(client)


def test_anonymous_sign_out_is_not_audited(client, db):  # type: ignore[no-untyped-def]
    assert client.post(LOGOUT).status_code == 302
    assert events(SIGN_OUT) == []


def test_the_admin_login_is_our_login(client, db):  # type: ignore[no-untyped-def]
    """One door: the admin site's password form would bypass throttling and the code."""
    response = client.get(reverse("admin:login"), {"next": "/admin/directory/"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/directory/"
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_admin_logout_is_our_logout(client, staff_user):  # type: ignore[no-untyped-def]
    """Signing out from the admin site is audited like any other sign-out."""
    login(client, "koord")
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not signed_in(client)
    [event] = events(SIGN_OUT)
    assert event.actor_id == staff_user.pk
