"""The whole code flow against the real provider (devtools/oidc-provider): our side through
Django's test client, the provider's login form through `requests`."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ettervern.access.models import AuditEvent
from ettervern.access.signin import SIGN_IN, SIGN_IN_REFUSED
from ettervern.core import clock
from ettervern.oidc import client as oidc_client
from ettervern.oidc import views as oidc_views
from ettervern.oidc.conf import get_provider
from ettervern.oidc.session import PENDING, provider_logout_url
from ettervern.patients.models import NextOfKin
from tests import factories
from tests.oidc.conftest import HPR_KNOWN, TESTSERVER
from tests.oidc.provider import path_of, sign_in_at_provider

pytestmark = pytest.mark.django_db


def start(client: Client, name: str, next_url: str = "/forlop/") -> str:
    response = client.get(f"/auth/{name}/login", {"next": next_url})
    assert response.status_code == 302, response.content
    return str(response["Location"])


def provider_callback(client: Client, name: str, username: str) -> str:
    """Start at Ettervern, sign in at the provider; the callback path to give Ettervern."""
    url = sign_in_at_provider(start(client, name), username,
                              stop_at=f"{TESTSERVER}/auth/{name}/callback")
    return path_of(url)


def sign_in(client: Client, name: str, username: str) -> Any:
    return client.get(provider_callback(client, name, username))


def capture_tokens(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    captured: list[dict[str, Any]] = []
    real = oidc_client.exchange_code

    def exchange(*args: Any, **kwargs: Any) -> dict[str, Any]:
        tokens = real(*args, **kwargs)
        captured.append(tokens)
        return tokens

    monkeypatch.setattr(oidc_client, "exchange_code", exchange)
    return captured


def replace_id_token(monkeypatch: pytest.MonkeyPatch, make: Any) -> None:
    """Let the real token request happen, then hand the callback another ID token."""
    real = oidc_client.exchange_code

    def exchange(*args: Any, **kwargs: Any) -> dict[str, Any]:
        tokens = real(*args, **kwargs)
        return {**tokens, "id_token": make(tokens["id_token"])}

    monkeypatch.setattr(oidc_client, "exchange_code", exchange)


def unverified_claims(id_token: str) -> dict[str, Any]:
    payload = id_token.split(".")[1]
    padded = payload + "=" * (-len(payload) % 4)
    result: dict[str, Any] = json.loads(base64.urlsafe_b64decode(padded))
    return result


def set_pending_nonce(client: Client, nonce: str) -> None:
    session = client.session
    pending = session[PENDING]
    for entry in pending.values():
        entry["nonce"] = nonce
    session[PENDING] = pending
    session.save()


def last_event_id() -> int:
    latest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return int(latest or 0)


def assert_refused(client: Client, response: Any, reason: str, users_before: int,
                   since: int = 0) -> None:
    assert response.status_code == 403
    assert "Du har ikke tilgang" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users_before
    event = AuditEvent.objects.filter(action=SIGN_IN_REFUSED).latest("id")
    assert event.outcome == AuditEvent.Outcome.DENIED
    assert event.basis.startswith("oidc ")
    assert event.basis.endswith(f": {reason}"), event.basis
    assert event.id > since
    assert not AuditEvent.objects.filter(action=SIGN_IN, id__gt=since).exists()


@pytest.fixture
def doctor(clinic):  # type: ignore[no-untyped-def]
    person = factories.staff(units=[clinic], username="lege")
    person.hpr_number = HPR_KNOWN
    person.save(update_fields=["hpr_number"])
    return person


# --- successful sign-ins ------------------------------------------------------------------

def test_helseid_par_pkce_private_key_jwt_and_dpop(oidc_settings, doctor, monkeypatch):
    tokens = capture_tokens(monkeypatch)
    client = Client()
    authorize = start(client, "helseid")
    query = parse_qs(urlsplit(authorize).query)
    assert set(query) == {"client_id", "request_uri"}  # PAR: the request went ahead of us
    callback = sign_in_at_provider(authorize, "lege",
                                   stop_at=f"{TESTSERVER}/auth/helseid/callback")
    response = client.get(path_of(callback))

    assert response.status_code == 302
    assert response["Location"] == "/forlop/"
    assert int(client.session["_auth_user_id"]) == doctor.user.pk
    assert client.session["oidc_provider"] == "helseid"
    assert tokens[0]["token_type"] == "DPoP"  # the provider demands a DPoP nonce: retried
    provider = get_provider("helseid")
    assert provider is not None
    info = oidc_client.userinfo(provider, tokens[0])  # a DPoP proof with ath
    assert info["helseid://claims/hpr/hpr_number"] == HPR_KNOWN
    event = AuditEvent.objects.get(action=SIGN_IN)
    assert event.actor_id == doctor.user.pk
    assert event.basis == "oidc helseid level=4"
    assert client.get("/forlop/").status_code == 200


def test_idporten_patient_gets_a_linked_user_once(oidc_settings, people):
    pathway = factories.open_pathway(nid=people.patient_pid)
    patient = pathway.patient
    client = Client()
    authorize = start(client, "idporten")
    assert parse_qs(urlsplit(authorize).query)["acr_values"] == ["idporten-loa-high"]
    response = client.get(path_of(sign_in_at_provider(
        authorize, "pasient", stop_at=f"{TESTSERVER}/auth/idporten/callback")))
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.user is not None
    assert int(client.session["_auth_user_id"]) == patient.user.pk
    assert not patient.user.has_usable_password()
    users = get_user_model().objects.count()

    again = Client()
    assert sign_in(again, "idporten", "pasient").status_code == 302
    assert int(again.session["_auth_user_id"]) == patient.user.pk
    assert get_user_model().objects.count() == users
    assert AuditEvent.objects.filter(action=SIGN_IN,
                                     basis="oidc idporten level=idporten-loa-high").count() == 2


def test_idporten_next_of_kin_is_linked(oidc_settings, people):
    pathway = factories.open_pathway()
    kin = NextOfKin.objects.create(patient=pathway.patient, name="Randi Tveit", relation="mor",
                                   national_id=people.kin_pid)
    client = Client()
    assert sign_in(client, "idporten", "parorende").status_code == 302
    kin.refresh_from_db()
    assert kin.user is not None
    assert int(client.session["_auth_user_id"]) == kin.user.pk


def test_substantial_is_a_setting(oidc_settings, people, idporten_op, oidc_keys):
    from tests.oidc.conftest import provider_entry

    oidc_settings.OIDC_PROVIDERS = [provider_entry(
        "idporten", idporten_op, oidc_keys.client, preset="idporten",
        acr_values=["idporten-loa-substantial"])]
    factories.open_pathway(nid=people.patient_pid)
    assert sign_in(Client(), "idporten", "pasient-betydelig").status_code == 302


def test_a_login_gives_no_roles(oidc_settings, doctor):
    """Roles never come from the login: a signed-in doctor with no care-team role sees no
    patients."""
    factories.open_pathway(factories.staff(units=[factories.unit()]), nid=None)
    client = Client()
    assert sign_in(client, "helseid", "lege").status_code == 302
    page = client.get("/forlop/").content.decode()
    assert "Nordmann" not in page


def test_logout_url_ends_the_provider_session(oidc_settings, doctor, rf):
    import requests

    client = Client()
    sign_in(client, "helseid", "lege")
    request = rf.get("/logg-ut/")
    request.session = client.session
    url = provider_logout_url(request)
    assert url is not None
    query = parse_qs(urlsplit(url).query)
    assert query["post_logout_redirect_uri"] == [f"{TESTSERVER}/logg-inn/"]
    assert query["id_token_hint"] == [client.session["oidc_id_token"]]
    answer = requests.get(url, timeout=10)  # the provider accepts hint and redirect
    assert answer.status_code == 200
    assert 'name="logout"' in answer.text


def test_no_logout_url_for_a_local_login(oidc_settings, rf, client):
    request = rf.get("/logg-ut/")
    request.session = client.session
    assert provider_logout_url(request) is None


def test_unknown_provider_is_404(oidc_settings, client):
    assert client.get("/auth/nope/login").status_code == 404
    assert client.get("/auth/nope/callback?state=x&code=y").status_code == 404


# --- refusals: each one fails if its check is removed --------------------------------------

def test_wrong_state(oidc_settings, doctor):
    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    users = get_user_model().objects.count()
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = "someone-elses-state"
    response = client.get(parts.path, query)
    assert_refused(client, response, "state", users)


def test_reused_state(oidc_settings, doctor):
    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    assert client.get(callback).status_code == 302
    since = last_event_id()
    client.logout()
    users = get_user_model().objects.count()
    assert_refused(client, client.get(callback), "state", users, since)


def test_reused_state_in_the_same_session(oidc_settings, doctor):
    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    session_key = client.session.session_key
    assert client.get(callback).status_code == 302
    assert client.session.session_key != session_key  # the login cycled the session
    response = client.get(callback)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=SIGN_IN_REFUSED,
                                     basis__endswith=": state").exists()


def test_wrong_nonce(oidc_settings, doctor):
    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    set_pending_nonce(client, "not-the-nonce-we-sent")
    users = get_user_model().objects.count()
    assert_refused(client, client.get(callback), "nonce", users)


def _token_for(client_name: str, username: str, monkeypatch: pytest.MonkeyPatch) -> str:
    captured = capture_tokens(monkeypatch)
    sign_in(Client(), client_name, username)
    monkeypatch.undo()
    return str(captured[0]["id_token"])


def test_id_token_for_another_audience(oidc_settings, doctor, monkeypatch):
    other = _token_for("helseid-annen", "lege", monkeypatch)
    assert unverified_claims(other)["aud"] == "ettervern-annen"
    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    set_pending_nonce(client, unverified_claims(other)["nonce"])
    replace_id_token(monkeypatch, lambda _real: other)
    users, since = get_user_model().objects.count(), last_event_id()
    assert_refused(client, client.get(callback), "id_token_audience", users, since)


def test_id_token_from_another_issuer(oidc_settings, doctor, monkeypatch, helseid_twin,
                                      oidc_keys):
    from tests.oidc.conftest import provider_entry

    configured = oidc_settings.OIDC_PROVIDERS
    oidc_settings.OIDC_PROVIDERS = [provider_entry("helseid", helseid_twin, oidc_keys.client,
                                                   preset="helseid")]
    foreign = _token_for("helseid", "lege", monkeypatch)  # same keys, another issuer
    oidc_settings.OIDC_PROVIDERS = configured
    assert unverified_claims(foreign)["iss"] == helseid_twin.issuer
    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    set_pending_nonce(client, unverified_claims(foreign)["nonce"])
    replace_id_token(monkeypatch, lambda _real: foreign)
    users, since = get_user_model().objects.count(), last_event_id()
    assert_refused(client, client.get(callback), "id_token_issuer", users, since)


def test_expired_id_token(oidc_settings, doctor):
    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    users = get_user_model().objects.count()
    with clock.frozen(clock.now() + dt.timedelta(hours=2)):  # the ID token lives 10 minutes
        response = client.get(callback)
    assert_refused(client, response, "id_token_expired", users)


def test_tampered_id_token(oidc_settings, doctor, monkeypatch):
    def tamper(id_token: str) -> str:
        header, payload, signature = id_token.split(".")
        claims = unverified_claims(id_token)
        claims["helseid://claims/identity/security_level"] = "4"
        claims["helseid://claims/hpr/hpr_number"] = HPR_KNOWN
        claims["name"] = "Noen Andre"
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        assert body != payload
        return f"{header}.{body}.{signature}"

    client = Client()
    callback = provider_callback(client, "helseid", "lege")
    replace_id_token(monkeypatch, tamper)
    users = get_user_model().objects.count()
    assert_refused(client, client.get(callback), "id_token_signature", users)


def test_acr_too_low(oidc_settings, people):
    pathway = factories.open_pathway(nid=people.patient_pid)
    client = Client()
    users = get_user_model().objects.count()
    response = sign_in(client, "idporten", "pasient-betydelig")
    assert_refused(client, response, "acr", users)
    pathway.patient.refresh_from_db()
    assert pathway.patient.user is None
    assert "level=idporten-loa-substantial" in AuditEvent.objects.latest("id").basis


def test_security_level_too_low(oidc_settings, doctor):
    client = Client()
    users = get_user_model().objects.count()
    assert_refused(client, sign_in(client, "helseid", "lege-lavt-niva"), "security_level",
                   users)
    assert "level=3" in AuditEvent.objects.latest("id").basis


def test_unknown_hpr_number(oidc_settings, doctor):
    client = Client()
    users = get_user_model().objects.count()
    assert_refused(client, sign_in(client, "helseid", "ukjent-lege"), "unknown_hpr", users)
    assert AuditEvent.objects.latest("id").actor_name == "hpr:9876543"


def test_unknown_pid_creates_no_user(oidc_settings, people):
    factories.open_pathway(nid=people.patient_pid)
    client = Client()
    users = get_user_model().objects.count()
    assert_refused(client, sign_in(client, "idporten", "ukjent"), "unknown_pid", users)
    assert AuditEvent.objects.latest("id").actor_name.endswith("*****")


def test_the_refusal_page_leads_back(oidc_settings, doctor):
    client = Client()
    response = sign_in(client, "helseid", "ukjent-lege")
    assert 'href="/logg-inn/"' in response.content.decode()


def test_views_use_the_client_module(oidc_settings):
    # The refusal tests replace client.exchange_code: the views must look it up at call time.
    assert oidc_views.client is oidc_client


def test_oidc_sign_in_counts_as_strong_authentication(oidc_settings, doctor, settings):
    """With TOTP on for local staff logins, a HelseID sign-in is not asked for a code."""
    settings.ETTERVERN_TOTP = True
    client = Client()
    assert sign_in(client, "helseid", "lege").status_code == 302
    response = client.get("/forlop/")
    assert response.status_code == 200
    assert int(client.session["_auth_user_id"]) == doctor.user.pk


def test_login_page_offers_the_providers_and_keeps_next(oidc_settings, client):
    page = client.get("/logg-inn/", {"next": "/forlop/"}).content.decode()
    assert "Logg inn med HelseID" in page
    assert "Logg inn med ID-porten" in page
    assert 'href="/auth/helseid/login?next=/forlop/"' in page


def test_no_buttons_without_providers(settings, client):
    settings.OIDC_PROVIDERS = []
    assert "Logg inn med" not in client.get("/logg-inn/").content.decode()
