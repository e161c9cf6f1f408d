"""TOTP as the second factor for staff (django-otp), when ETTERVERN_TOTP is on."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ettervern.access.models import AuditEvent
from ettervern.access.signin import SIGN_IN, SIGN_IN_REFUSED
from ettervern.accounts import second_factor
from ettervern.accounts.models import LoginFailure
from ettervern.api.models import ApiToken
from ettervern.core import clock
from tests.accounts.conftest import (
    ENROL,
    HOME,
    LOGIN,
    VERIFY,
    WORKLIST,
    code_for,
    events,
    login,
    signed_in,
    wrong_code_for,
)

pytestmark = pytest.mark.django_db


# --- off ------------------------------------------------------------------------------------

def test_off_staff_sign_in_with_the_password_alone(client, staff_user, settings):  # type: ignore[no-untyped-def]
    settings.ETTERVERN_TOTP = False
    response = login(client, "koord")
    assert response["Location"] == HOME and signed_in(client)
    assert client.get(WORKLIST).status_code == 200
    assert events(SIGN_IN)[0].basis == "local"


# --- verify ---------------------------------------------------------------------------------

def test_the_password_alone_reaches_no_page(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    response = login(client, "koord")
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert not signed_in(client)
    for url in (HOME, WORKLIST, "/pasienter/ny/", "/admin/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith(LOGIN), url
    assert client.get("/api/pathways").status_code == 401
    assert events(SIGN_IN) == []


def test_verify_page_is_norwegian_and_labelled(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    html = client.get(VERIFY).content.decode()
    assert '<label for="id_code">Engangskode' in html
    assert 'autocomplete="one-time-code"' in html


def test_wrong_code_is_refused_and_audited(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    response = client.post(VERIFY, {"code": wrong_code_for(device)})
    assert response.status_code == 422
    assert not signed_in(client)
    assert 'aria-invalid="true"' in response.content.decode()
    [event] = events(SIGN_IN_REFUSED)
    assert event.actor_id == staff_user.pk
    assert event.basis == "local+totp: wrong one-time code"
    assert LoginFailure.objects.filter(username="koord").count() == 1
    assert client.get(WORKLIST).status_code == 302


def test_right_code_signs_in_verified(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord", next_url="/pasienter/ny/")
    client.post(VERIFY, {"code": wrong_code_for(device)})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/pasienter/ny/"
    assert signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get(WORKLIST).status_code == 200
    [event] = events(SIGN_IN)
    assert event.basis == "local+totp" and event.actor_id == staff_user.pk
    # A success clears the username's failures.
    assert not LoginFailure.objects.filter(username="koord").exists()


def test_a_used_code_is_not_accepted_twice(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    code = code_for(device)
    login(client, "koord")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = Client()
    login(other, "koord")
    assert other.post(VERIFY, {"code": code}).status_code == 422
    assert not signed_in(other)


def test_malformed_code_is_refused_without_counting(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    response = client.post(VERIFY, {"code": "12ab"})
    assert response.status_code == 422 and not signed_in(client)
    assert not LoginFailure.objects.exists()


def test_wrong_codes_are_throttled(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    for _ in range(5):
        client.post(VERIFY, {"code": wrong_code_for(device)})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 429
    assert not signed_in(client)
    assert events(SIGN_IN_REFUSED)[-1].basis == "local+totp: throttled (username)"


def test_django_otp_backs_off_after_a_wrong_code(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    totp_on.OTP_TOTP_THROTTLE_FACTOR = 60
    login(client, "koord")
    client.post(VERIFY, {"code": wrong_code_for(device)})
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 422
    assert not signed_in(client)


def test_the_pending_password_expires(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    start = timezone.now()
    with clock.frozen(start):
        login(client, "koord")
    with clock.frozen(start + dt.timedelta(minutes=6)):
        response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not signed_in(client)


def test_no_pending_sign_in_no_code_page(client, db, totp_on):  # type: ignore[no-untyped-def]
    assert client.get(VERIFY)["Location"] == LOGIN
    assert client.get(ENROL)["Location"] == LOGIN


# --- enrolment ------------------------------------------------------------------------------

def test_staff_without_a_device_enrols_with_the_qr_secret(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    response = login(client, "koord")
    assert response["Location"] == ENROL and not signed_in(client)
    page = client.get(ENROL)
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "<script" not in html.split("<main")[1] and "style=" not in html
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html)
    assert secret is not None
    device = TOTPDevice.objects.get(user=staff_user)
    assert not device.confirmed
    # The text secret is the device's key: an app set up by hand gives the right codes.
    text = secret.group(1).replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    assert key == device.bin_key
    assert client.get(WORKLIST).status_code == 302  # still nothing reachable

    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(WORKLIST).status_code == 200
    assert events(SIGN_IN)[0].basis == "local+totp"
    assert AuditEvent.objects.filter(action="auth.totp_enrolled", actor_id=staff_user.pk).exists()


def test_enrolment_with_a_wrong_code_is_refused(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff_user)
    response = client.post(ENROL, {"code": wrong_code_for(device)})
    assert response.status_code == 422 and not signed_in(client)
    device.refresh_from_db()
    assert not device.confirmed
    assert events(SIGN_IN_REFUSED)[0].basis == "local+totp: wrong one-time code"


def test_a_new_enrolment_gets_a_new_secret(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    client.get(ENROL)
    first = TOTPDevice.objects.get(user=staff_user).key
    client.get(ENROL)
    assert TOTPDevice.objects.get(user=staff_user).key == first  # same enrolment, same secret
    other = Client()
    login(other, "koord")
    other.get(ENROL)
    assert TOTPDevice.objects.get(user=staff_user).key != first


def test_with_a_device_enrolment_is_not_offered_again(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    assert client.get(ENROL)["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=staff_user).count() == 1


# --- who is asked ---------------------------------------------------------------------------

def test_patients_are_not_asked_for_a_code(client, patient_login, totp_on):  # type: ignore[no-untyped-def]
    response = login(client, "pasient")
    assert response["Location"] == HOME and signed_in(client)
    # The patient lands on their own pages, never on the code page.
    landing = client.get(WORKLIST, follow=True)
    assert landing.status_code == 200
    assert landing.redirect_chain[-1][0].startswith("/meg/")
    assert events(SIGN_IN)[0].basis == "local"


def test_admin_site_users_are_asked_for_a_code(client, db, totp_on):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("admin", password="riktig-passord-123", is_staff=True)
    assert login(client, "admin", "riktig-passord-123")["Location"] == ENROL
    assert not signed_in(client)


def test_an_unverified_staff_session_is_sent_to_the_code(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    """A session that became authenticated some other way (the admin's login, a session from
    before TOTP was turned on) reaches no page until the code is given."""
    client.force_login(staff_user)
    response = client.get(WORKLIST)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fforlop%2F"
    assert not signed_in(client)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == WORKLIST and signed_in(client)
    assert client.get(WORKLIST).status_code == 200


def test_an_unverified_staff_session_gets_401_from_the_api(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    response = client.get("/api/pathways")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_bearer_tokens_are_unaffected(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(staff_user)
    response = client.get("/api/pathways", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_an_external_sign_in_counts_as_verified(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    """HelseID enforces its own strong authentication: the OIDC sign-in marks the session."""
    client.force_login(staff_user)
    session = client.session
    session[second_factor.SIGN_IN_METHOD_SESSION_KEY] = second_factor.EXTERNAL
    session.save()
    assert client.get(WORKLIST).status_code == 200


def test_wrong_enrolment_codes_are_throttled(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    login(client, "koord")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff_user)
    for _ in range(5):
        client.post(ENROL, {"code": wrong_code_for(device)})
    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 429 and not signed_in(client)
    device.refresh_from_db()
    assert not device.confirmed


def test_a_user_deactivated_between_the_steps_is_not_signed_in(client, staff_user, device,  # type: ignore[no-untyped-def]
                                                                 totp_on):
    login(client, "koord")
    staff_user.is_active = False
    staff_user.save()
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == LOGIN and not signed_in(client)
