"""Sign in through the local OpenID Connect provider in a real browser: the button
"Logg inn med HelseID" → the provider's login → back on "Mine forløp" as the right user →
sign out at the provider too (RP-initiated logout). axe checks our pages on the way.

This module starts its own demo server (the shared one has no OIDC configuration), with
`ETTERVERN_OIDC_PROVIDERS` pointing at providers started here.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ettervern.directory.models import Staff
from ettervern.patients.models import Patient
from tests.e2e.demo_server import running_demo_server
from tests.oidc.provider import RunningProvider, client_metadata, free_port, new_rsa_key


@dataclass
class OidcDemo:
    base_url: str
    helseid: RunningProvider
    idporten: RunningProvider


def _demo_identity(database: Path, username: str) -> tuple[str, str]:
    """The demo login's HPR number (staff) or national id (patient), from the demo database."""
    with sqlite3.connect(database) as db:
        row = db.execute(
            f"SELECT s.hpr_number FROM {Staff._meta.db_table} s JOIN auth_user u "  # noqa: S608
            "ON s.user_id = u.id WHERE u.username = ?", (username,)).fetchone()
        if row:
            return "hpr", str(row[0])
        row = db.execute(
            f"SELECT p.national_id FROM {Patient._meta.db_table} p JOIN auth_user u "  # noqa: S608
            "ON p.user_id = u.id WHERE u.username = ?", (username,)).fetchone()
        assert row, f"demo login {username!r} not found"
        return "pid", str(row[0])


@pytest.fixture(scope="module")
def oidc_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcDemo]:
    folder = tmp_path_factory.mktemp("oidc-demo")
    demo_port = free_port()
    base_url = f"http://127.0.0.1:{demo_port}"
    client_key = new_rsa_key()
    key_file = folder / "client-key.json"
    key_file.write_text(json.dumps(client_key.as_dict(private=True)))

    def provider(profile: str) -> RunningProvider:
        clients = [client_metadata(
            "ettervern-demo", client_key,
            redirect_uris=[f"{base_url}/auth/{profile}/callback"],
            post_logout_redirect_uris=[f"{base_url}/logg-inn/"])]
        return RunningProvider(profile, folder / profile, free_port(), clients, [])

    helseid, idporten = provider("helseid"), provider("idporten")
    helseid.start()
    idporten.start()
    with ExitStack() as cleanup:
        cleanup.callback(idporten.stop)
        cleanup.callback(helseid.stop)
        config = [
            {"name": op.profile, "preset": op.profile, "issuer": op.issuer,
             "client_id": "ettervern-demo", "private_key_file": str(key_file)}
            for op in (helseid, idporten)
        ]
        var_dir = folder / "var"
        var_dir.mkdir()
        cleanup.enter_context(running_demo_server(var_dir, port=demo_port, patients=10, extra_env={
            "ETTERVERN_OIDC_PROVIDERS": json.dumps(config),
            "ETTERVERN_CSP_FORM_ACTION_EXTRA": f"{helseid.issuer},{idporten.issuer}",
        }))
        database = var_dir / "ettervern.sqlite3"
        _kind, hpr = _demo_identity(database, "koordinator")
        _kind, pid = _demo_identity(database, "pasient")
        helseid.write_accounts([
            {"username": "koordinator", "claims": {
                "helseid://claims/hpr/hpr_number": hpr,
                "helseid://claims/identity/security_level": "4", "name": "Hanne Solberg"}},
            {"username": "ukjent", "claims": {
                "helseid://claims/hpr/hpr_number": "99999999",
                "helseid://claims/identity/security_level": "4"}},
        ])
        idporten.write_accounts([
            {"username": "pasient", "acr": "idporten-loa-high", "claims": {"pid": pid}},
        ])
        yield OidcDemo(base_url, helseid, idporten)


@pytest.fixture
def oidc_page(browser, oidc_demo):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=oidc_demo.base_url, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _provider_login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_role("button", name="Logg inn").click()


def test_staff_sign_in_and_out_with_helseid(oidc_page, oidc_demo, assert_accessible):  # type: ignore[no-untyped-def]
    page = oidc_page
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
    assert_accessible(page)
    page.get_by_role("link", name="Logg inn med HelseID").click()

    expect(page).to_have_url(re.compile(re.escape(oidc_demo.helseid.issuer) + "/interaction/"))
    _provider_login(page, "koordinator")

    expect(page).to_have_url(re.compile(r"/forlop/"))
    expect(page.get_by_role("heading", name="Mine forløp")).to_be_visible()
    expect(page.locator(".signed-in")).to_contain_text("Hanne Solberg")
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(re.compile(re.escape(oidc_demo.helseid.issuer) + "/session/end"))
    page.get_by_role("button", name="Ja, logg ut").click()
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
    page.goto("/forlop/")
    expect(page).to_have_url(re.compile(r"/logg-inn/"))  # signed out here too


def test_citizen_sign_in_with_idporten(oidc_page, oidc_demo):  # type: ignore[no-untyped-def]
    page = oidc_page
    page.goto("/logg-inn/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    _provider_login(page, "pasient")
    expect(page).to_have_url(re.compile(r"/meg/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hei,")


def test_unknown_person_is_refused_in_norwegian(oidc_page, assert_accessible):  # type: ignore[no-untyped-def]
    page = oidc_page
    page.goto("/logg-inn/")
    page.get_by_role("link", name="Logg inn med HelseID").click()
    _provider_login(page, "ukjent")
    expect(page.get_by_role("heading", name="Du har ikke tilgang")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til innloggingen").click()
    expect(page).to_have_url(re.compile(r"/logg-inn/"))
