"""Fixtures for the local sign-in tests: users with a password, TOTP on, codes computed here."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ettervern.access.models import AuditEvent
from ettervern.patients.models import Patient

PASSWORD = "riktig-passord-123"  # noqa: S105 - test data
LOGIN = reverse("web:login")
LOGOUT = reverse("web:logout")
VERIFY = reverse("web:login_totp")
ENROL = reverse("web:login_totp_enrol")
WORKLIST = reverse("pathways:worklist")
HOME = reverse("web:home")


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="nb")


@pytest.fixture
def staff_user(coordinator):  # type: ignore[no-untyped-def]
    """The coordinator "koord" with a password."""
    user = coordinator.user
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def patient_login(pathway):  # type: ignore[no-untyped-def]
    """The patient on `pathway`, with a local login (as in demo mode)."""
    user = get_user_model().objects.create_user("pasient", password=PASSWORD)
    Patient.objects.filter(pk=pathway.patient_id).update(user=user)
    return user


@pytest.fixture
def totp_on(settings):  # type: ignore[no-untyped-def]
    settings.ETTERVERN_TOTP = True
    # django-otp's own back-off (seconds after a wrong code) is tested on its own; elsewhere
    # a right code may follow a wrong one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return settings


@pytest.fixture
def device(staff_user):  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.create(user=staff_user, name="Ettervern", confirmed=True)


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (django_otp.oath.TOTP, the app's algorithm)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    accepted = {code_for(device, offset_steps=n) for n in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(123456, 999999) if f"{n:06d}" not in accepted)


def login(client: Client, username: str, password: str = PASSWORD, *, ip: str = "127.0.0.1",
          next_url: str = "") -> Any:
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def events(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
