"""Security headers on every response: pages, the login page, the API, error pages."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

import ettervern
from ettervern.api.models import ApiToken
from tests.accounts.conftest import LOGIN, WORKLIST

pytestmark = pytest.mark.django_db

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def assert_headers(response) -> None:  # type: ignore[no-untyped-def]
    assert response["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.fixture
def secure_client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="nb")


def test_login_page(secure_client):  # type: ignore[no-untyped-def]
    assert_headers(secure_client.get(LOGIN))


def test_a_signed_in_page(secure_client, coordinator):  # type: ignore[no-untyped-def]
    secure_client.force_login(coordinator.user)
    response = secure_client.get(WORKLIST)
    assert response.status_code == 200
    assert_headers(response)


def test_an_api_response(secure_client, coordinator):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(coordinator.user)
    response = secure_client.get("/api/pathways", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert_headers(response)
    assert_headers(secure_client.get("/api/pathways"))  # 401


def test_error_pages(secure_client, outsider, pathway):  # type: ignore[no-untyped-def]
    response = secure_client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert_headers(response)
    secure_client.force_login(outsider.user)
    response = secure_client.get(reverse("pathways:pathway", args=[pathway.public_id]))
    assert response.status_code == 404  # someone else's patient: the domain error page
    assert_headers(response)
    assert_headers(secure_client.get(reverse("web:login_totp")))  # a redirect


def test_a_server_error_page(coordinator, settings):  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(coordinator.user)
    boom = RuntimeError("boom")
    with mock.patch("ettervern.pathways.selectors.pathway_worklist", side_effect=boom):
        response = client.get(WORKLIST)
    assert response.status_code == 500
    assert_headers(response)


def test_hsts_on_https_outside_demo(secure_client, settings):  # type: ignore[no-untyped-def]
    settings.SECURE_HSTS_SECONDS = 31_536_000  # the value outside demo mode (test_settings.py)
    response = secure_client.get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_form_action_may_name_the_identity_providers(secure_client, settings):  # type: ignore[no-untyped-def]
    settings.ETTERVERN_CSP_FORM_ACTION_EXTRA = ["https://helseid-sts.nhn.no"]
    policy = secure_client.get(LOGIN)["Content-Security-Policy"]
    assert "form-action 'self' https://helseid-sts.nhn.no;" in policy


def test_no_template_has_inline_script_or_event_handlers() -> None:
    """The CSP forbids inline script, so no template may rely on it."""

    root = Path(ettervern.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text) \
                or re.search(r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text) \
                or "javascript:" in text:
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
