"""TOTP as the second factor for staff who sign in with a local password (django-otp).

When `settings.ETTERVERN_TOTP` is on, a staff user's password alone never makes a signed-in
session: the password step leaves a *pending* sign-in in the session (no user is logged in),
and only a correct code from the user's confirmed TOTP device logs the user in
(`django.contrib.auth.login` + `django_otp.login`). A staff user without a confirmed device is
sent to enrolment first. `middleware.SignInGateMiddleware` holds the line for every other way
a session could become authenticated (the admin's login, a session from before TOTP was turned
on): an unverified staff session reaches no page and no API endpoint.

Sign-ins through an OpenID Connect provider (HelseID: the provider enforces its own strong
authentication) call `mark_signed_in(request, EXTERNAL)` after `login()`, which the gate
accepts in place of a TOTP code.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from ettervern.access.signin import SIGN_IN, record_auth_event
from ettervern.accounts import throttle
from ettervern.core import clock

# How the session was signed in: "local", "local+totp" or EXTERNAL (an OIDC provider).
SIGN_IN_METHOD_SESSION_KEY = "ettervern.sign_in_method"
LOCAL = "local"
LOCAL_TOTP = "local+totp"
EXTERNAL = "oidc"
# A password that passed, waiting for its code: {"user", "backend", "since", "next", "device"}.
PENDING_SESSION_KEY = "ettervern.pending_sign_in"
PENDING_SECONDS = 5 * 60
DEVICE_NAME = "Ettervern"


def totp_enabled() -> bool:
    return bool(settings.ETTERVERN_TOTP)


def is_staff_user(user: Any) -> bool:
    """Health and care personnel (a Staff profile) and users of the admin site. Patients and
    next of kin are not asked for a code (in production they sign in with ID-porten)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    # The standing is read for the request's access decisions anyway: no query of its own.
    from ettervern.directory.selectors import standing

    return standing(user, fresh=False).staff_id is not None


def requires_second_factor(user: Any) -> bool:
    return totp_enabled() and is_staff_user(user)


def session_is_verified(request: Any) -> bool:
    """The session's user passed a second factor here (django-otp) or signed in with a
    provider that enforces its own (EXTERNAL)."""
    user = request.user
    if getattr(user, "is_verified", None) is not None and user.is_verified():
        return True
    return request.session.get(SIGN_IN_METHOD_SESSION_KEY) == EXTERNAL


def mark_signed_in(request: Any, method: str) -> None:
    """Remember how this session signed in (call right after `django.contrib.auth.login`)."""
    request.session[SIGN_IN_METHOD_SESSION_KEY] = method


def sign_in_method(request: Any) -> str:
    return str(request.session.get(SIGN_IN_METHOD_SESSION_KEY) or LOCAL)


# --- the pending sign-in ------------------------------------------------------------------

@dataclass
class Pending:
    user: Any
    backend: str
    next_url: str
    device_id: int | None


def start_pending(request: Any, user: Any, *, backend: str, next_url: str) -> None:
    """The password was right; the code is still to come. Nobody is logged in yet."""
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk, "backend": backend, "since": clock.now().timestamp(),
        "next": next_url, "device": None,
    }


def pending(request: Any) -> Pending | None:
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if clock.now().timestamp() - float(data.get("since", 0)) > PENDING_SECONDS:
        clear_pending(request)
        return None
    user_pk = data.get("user")
    user = (get_user_model().objects.filter(pk=user_pk, is_active=True).first()
            if isinstance(user_pk, int) else None)
    if user is None:
        clear_pending(request)
        return None
    return Pending(user=user, backend=str(data.get("backend", "")),
                   next_url=str(data.get("next") or ""), device_id=data.get("device"))


def clear_pending(request: Any) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


# --- devices ------------------------------------------------------------------------------

def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id").first()


def enrolment_device(request: Any, state: Pending) -> TOTPDevice:
    """The unconfirmed device of this enrolment: made once per pending sign-in, with a fresh
    secret (an earlier, unfinished enrolment's secret is thrown away)."""
    if state.device_id is not None:
        device = TOTPDevice.objects.filter(pk=state.device_id, user=state.user,
                                           confirmed=False).first()
        if device is not None:
            return device
    TOTPDevice.objects.filter(user=state.user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=state.user, name=DEVICE_NAME, confirmed=False)
    data = dict(request.session[PENDING_SESSION_KEY])
    data["device"] = device.pk
    request.session[PENDING_SESSION_KEY] = data
    return device


def verify(user: Any, device: TOTPDevice, token: str) -> TOTPDevice | None:
    """django-otp's check of one token against one device (row-locked, throttled, a used code
    is not accepted twice)."""
    return django_otp.verify_token(user, device.persistent_id, token.strip().replace(" ", ""))


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The otpauth:// URL as an inline SVG QR code (no request leaves the page)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=5, border=4, dark="#000",
        light="#fff", svgclass="qr-code", lineclass=None, title=None,
    )
    svg = out.getvalue().decode()
    # An image with a text alternative for screen readers.
    head, rest = svg.split(">", 1)
    return mark_safe(  # noqa: S308 - segno's own markup, and the title is escaped
        head + format_html(' role="img" aria-label="{}">', title) + rest
    )


# --- completing a sign-in -----------------------------------------------------------------

def complete_sign_in(request: Any, user: Any, *, backend: str,
                     device: TOTPDevice | None = None) -> str:
    """Log the user in (and the device, for a code), reset the username's failure count,
    audit the sign-in. Returns the method recorded."""
    clear_pending(request)
    auth_login(request, user, backend=backend)
    method = LOCAL
    if device is not None:
        django_otp.login(request, device)
        method = LOCAL_TOTP
    mark_signed_in(request, method)
    throttle.clear_failures(username=user.get_username())
    record_auth_event(request=request, action=SIGN_IN, method=method, user=user)
    return method
