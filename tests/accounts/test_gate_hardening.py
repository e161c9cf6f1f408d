"""The second-factor gate against a header that is not a bearer token, an off-site `next`
after the code, and usernames the database cannot (or need not) be asked about."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, RequestFactory
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ettervern.access.signin import SIGN_IN_REFUSED
from ettervern.accounts.models import LoginFailure
from ettervern.api.auth import session_auth
from ettervern.api.models import ApiToken
from tests.accounts.conftest import ENROL, HOME, LOGIN, VERIFY, code_for, events, signed_in
from tests.db_spy import queries_with_nul

pytestmark = pytest.mark.django_db


# --- Authorization headers that are not a bearer token ---------------------------------------

@pytest.mark.parametrize("header", ["Basic Zm9vOmJhcg==", "x", "Token abc", "Bearer"])
def test_a_non_bearer_authorization_header_does_not_pass_the_gate(  # type: ignore[no-untyped-def]
        client, staff_user, pathway, totp_on, header):
    client.force_login(staff_user)  # a session without its second factor
    for url in ("/api/pathways", f"/api/pathways/{pathway.public_id}"):
        response = client.get(url, headers={"Authorization": header})
        assert response.status_code == 401, (url, header)
        # The gate's own answer (not only the API's session check behind it).
        assert response.json()["message"] == _("Sign in with your one-time code to use the API.")
        assert pathway.patient.national_id not in response.content.decode()


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_a_bearer_token_in_any_case_still_passes(client, staff_user, totp_on, scheme):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(staff_user)
    response = client.get("/api/pathways", headers={"Authorization": f"{scheme} {raw}"})
    assert response.status_code == 200


def _api_request(user: Any, client: Client) -> Any:
    request = RequestFactory().get("/api/pathways")
    request.user = user
    request.session = client.session
    request._ninja_csrf_exempt = True  # type: ignore[attr-defined]  # a GET
    return request


def test_the_api_session_check_refuses_an_unverified_staff_session(  # type: ignore[no-untyped-def]
        client, staff_user, totp_on):
    """Whatever the gate lets through: the API's own session check asks for the factor."""
    client.force_login(staff_user)
    assert session_auth.authenticate(_api_request(staff_user, client), None) is None


def test_the_api_session_check_accepts_a_verified_or_non_staff_session(  # type: ignore[no-untyped-def]
        client, staff_user, patient_login, device, totp_on):
    client.force_login(staff_user)
    request = _api_request(staff_user, client)
    request.user.is_verified = lambda: True  # django_otp's middleware after a right code
    assert session_auth.authenticate(request, None) == staff_user

    client.force_login(patient_login)  # patients are not asked for a code
    assert session_auth.authenticate(_api_request(patient_login, client), None) == patient_login


# --- next after the code -----------------------------------------------------------------------

def test_the_gate_does_not_send_the_user_off_site_after_the_code(  # type: ignore[no-untyped-def]
        client, staff_user, device, totp_on):
    client.force_login(staff_user)  # e.g. a session from before TOTP was turned on
    response = client.get("/%2Fevil.example/steal")  # get_full_path(): //evil.example/steal
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": code_for(device)})
    assert signed_in(client)
    assert response["Location"] == HOME


def test_an_on_site_next_is_still_followed_after_the_code(client, staff_user, device, totp_on):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    client.get("/pasienter/ny/")
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == "/pasienter/ny/"


def test_enrolment_does_not_send_the_user_off_site(client, staff_user, totp_on):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    response = client.get("/%2Fevil.example/steal")
    assert response["Location"].startswith(ENROL)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff_user)
    response = client.post(ENROL, {"code": code_for(device)})
    assert signed_in(client)
    assert response["Location"] == HOME


# --- usernames the database is not asked about ----------------------------------------------

@pytest.mark.parametrize("username", ["koord\x00", "\x00", "k" * 151, "koord\x00" * 40])
def test_a_malformed_username_is_a_form_error_not_a_query(client, staff_user, username):  # type: ignore[no-untyped-def]
    hits, wrapper = queries_with_nul()
    with connection.execute_wrapper(wrapper):
        response = client.post(LOGIN, {"username": username, "password": "whatever"})
    assert response.status_code == 422
    assert response.context["form"].errors["username"]
    assert hits == []
    assert not signed_in(client)
    assert not LoginFailure.objects.exists()
    assert events(SIGN_IN_REFUSED) == []


def test_a_username_of_the_longest_allowed_length_is_still_tried(client, db):  # type: ignore[no-untyped-def]
    name = "k" * get_user_model()._meta.get_field("username").max_length  # type: ignore[union-attr]
    response = client.post(LOGIN, {"username": name, "password": "whatever"})
    assert response.status_code == 200
    assert LoginFailure.objects.filter(username=name).exists()
