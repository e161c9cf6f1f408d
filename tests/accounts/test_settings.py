"""What the environment turns on: settings.py read in a fresh process, as a server reads it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

_PRINT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k) for k in ("
    "'ETTERVERN_TOTP', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
    "'CSRF_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS',"
    "'SESSION_COOKIE_AGE', 'ETTERVERN_CSP_FORM_ACTION_EXTRA', 'ETTERVERN_LOGIN_MAX_FAILURES')}))"
)


def _settings(tmp_path, **env: str) -> dict:  # type: ignore[no-untyped-def]
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("ETTERVERN_") and k not in ("DATABASE_URL", "SECRET_KEY")}
    base.update(DJANGO_SETTINGS_MODULE="ettervern.settings", ETTERVERN_VAR_DIR=str(tmp_path))
    base.update(env)
    out = subprocess.run([sys.executable, "-c", _PRINT], env=base, capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def production(tmp_path_factory):  # type: ignore[no-untyped-def]
    return _settings(tmp_path_factory.mktemp("prod"), SECRET_KEY="x" * 50)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):  # type: ignore[no-untyped-def]
    return _settings(tmp_path_factory.mktemp("demo"), ETTERVERN_DEMO="1")


def test_outside_demo_totp_secure_cookies_and_hsts(production):  # type: ignore[no-untyped-def]
    assert production["ETTERVERN_TOTP"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SESSION_COOKIE_AGE"] == 30 * 60


def test_demo_turns_totp_secure_cookies_and_hsts_off(demo):  # type: ignore[no-untyped-def]
    assert demo["ETTERVERN_TOTP"] is False
    assert demo["SESSION_COOKIE_SECURE"] is False
    assert demo["SECURE_HSTS_SECONDS"] == 0


def test_totp_can_be_turned_on_in_demo_and_off_outside(tmp_path):  # type: ignore[no-untyped-def]
    assert _settings(tmp_path, ETTERVERN_DEMO="1", ETTERVERN_TOTP="1")["ETTERVERN_TOTP"] is True
    assert _settings(tmp_path, SECRET_KEY="x" * 50,
                     ETTERVERN_TOTP="0")["ETTERVERN_TOTP"] is False


def test_limits_and_csp_origins_from_the_environment(tmp_path):  # type: ignore[no-untyped-def]
    values = _settings(tmp_path, SECRET_KEY="x" * 50, ETTERVERN_SESSION_IDLE_MINUTES="10",
                       ETTERVERN_LOGIN_MAX_FAILURES="3",
                       ETTERVERN_CSP_FORM_ACTION_EXTRA="https://helseid-sts.nhn.no, https://login.idporten.no")
    assert values["SESSION_COOKIE_AGE"] == 600
    assert values["ETTERVERN_LOGIN_MAX_FAILURES"] == 3
    assert values["ETTERVERN_CSP_FORM_ACTION_EXTRA"] == ["https://helseid-sts.nhn.no",
                                                         "https://login.idporten.no"]


def test_demo_prints_how_to_turn_totp_on_and_off(settings):  # type: ignore[no-untyped-def]
    from ettervern.demo.management.commands.demo import Command

    settings.ETTERVERN_TOTP = False
    assert "ETTERVERN_TOTP=1 make demo" in "\n".join(Command._totp_lines())
    settings.ETTERVERN_TOTP = True
    text = "\n".join(Command._totp_lines())
    assert "PÅ" in text and "QR-kode" in text
