"""Signing in and out with a local account: password, throttling, TOTP for staff, audit.

Every sign-in, refused sign-in and sign-out is written with `access.signin.record_auth_event`.
Production sign-in goes through OpenID Connect (ettervern.oidc); these pages serve demo mode
and small deployments.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from ettervern.access import audit
from ettervern.access.models import AuditEvent
from ettervern.access.policy import actor_from_request
from ettervern.access.signin import SIGN_IN_REFUSED, SIGN_OUT, record_auth_event
from ettervern.accounts import second_factor, throttle
from ettervern.accounts.forms import CodeForm, SignInForm
from ettervern.core.net import client_ip
from ettervern.oidc.session import provider_logout_url

TOTP_ENROLLED = "auth.totp_enrolled"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return ""


def _locked(request: HttpRequest, template: str, context: dict[str, Any], lock: throttle.Lock,
            *, method: str, user: Any = None, username: str = "") -> HttpResponse:
    """Refuse an attempt while the username or address is locked: audited, 429, the password
    or code is not even checked."""
    record_auth_event(request=request, action=SIGN_IN_REFUSED, method=method, user=user,
                      username=username, reason=f"throttled ({lock.scope})")
    context["locked_message"] = ngettext(
        "Too many failed sign-in attempts. For your security, sign-in is blocked for a while: "
        "try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. For your security, sign-in is blocked for a while: "
        "try again in %(minutes)d minutes.",
        lock.minutes,
    ) % {"minutes": lock.minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(lock.seconds)
    return response


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    context: dict[str, Any] = {"next": next_url}
    if request.method != "POST":
        context["form"] = SignInForm(request)
        return render(request, "web/login.html", context)

    form = SignInForm(request, data=request.POST)
    context["form"] = form
    username = request.POST.get("username", "")
    if not (username.strip() and request.POST.get("password")):
        form.is_valid()  # "This field is required." on the empty field; not an attempt
        return render(request, "web/login.html", context)

    if not form.username_is_well_formed(username):
        # NUL characters, too long: the field's own error, no attempt, and the text never
        # reaches the database (PostgreSQL text cannot hold NUL).
        form.is_valid()
        return render(request, "web/login.html", context, status=422)

    ip = client_ip(request)
    lock = throttle.lock_for(username=username, ip=ip)
    if lock is not None:
        # An unbound form: a bound one would authenticate (check the password) when rendered.
        context["form"] = SignInForm(request, initial={"username": username})
        return _locked(request, "web/login.html", context, lock, method=second_factor.LOCAL,
                       username=username)
    if not form.is_valid():
        throttle.record_failure(username=username, ip=ip)
        record_auth_event(request=request, action=SIGN_IN_REFUSED, method=second_factor.LOCAL,
                          username=username, reason="wrong username or password")
        return render(request, "web/login.html", context)

    user = form.get_user()
    backend = getattr(user, "backend", "") or settings.AUTHENTICATION_BACKENDS[0]
    if second_factor.requires_second_factor(user):
        second_factor.start_pending(request, user, backend=backend, next_url=next_url)
        target = ("web:login_totp" if second_factor.confirmed_device(user) is not None
                  else "web:login_totp_enrol")
        return redirect(target)
    second_factor.complete_sign_in(request, user, backend=backend)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _pending_or_restart(request: HttpRequest) -> second_factor.Pending | None:
    state = second_factor.pending(request)
    if state is None:
        messages.info(request, _("Your sign-in has expired. Please sign in again."))
    return state


def _refuse_code(request: HttpRequest, state: second_factor.Pending, form: CodeForm) -> None:
    throttle.record_failure(username=state.user.get_username(), ip=client_ip(request))
    record_auth_event(request=request, action=SIGN_IN_REFUSED, method=second_factor.LOCAL_TOTP,
                      user=state.user, reason="wrong one-time code")
    form.add_error("code", _("The code is wrong or has expired. Wait for a new code in the app "
                             "and try again."))


def _code_step(request: HttpRequest, state: second_factor.Pending, device: Any, template: str,
               context: dict[str, Any]) -> tuple[Any, HttpResponse | None]:
    """The part the code page and the enrolment page share: show the form, or check the posted
    code under the throttle. Returns (verified device, None) or (None, the page to answer)."""
    form = context["form"]
    if request.method != "POST":
        return None, render(request, template, context)
    lock = throttle.lock_for(username=state.user.get_username(), ip=client_ip(request))
    if lock is not None:
        return None, _locked(request, template, context, lock,
                             method=second_factor.LOCAL_TOTP, user=state.user)
    if not form.is_valid():
        return None, render(request, template, context, status=422)
    verified = second_factor.verify(state.user, device, form.cleaned_data["code"])
    if verified is None:
        _refuse_code(request, state, form)
        return None, render(request, template, context, status=422)
    return verified, None


def _signed_in(request: HttpRequest, state: second_factor.Pending, device: Any) -> HttpResponse:
    second_factor.complete_sign_in(request, state.user, backend=state.backend, device=device)
    return redirect(_safe_next(request, state.next_url)
                    or resolve_url(settings.LOGIN_REDIRECT_URL))


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def totp_verify(request: HttpRequest) -> HttpResponse:
    """The second step for a staff user with a confirmed device."""
    state = _pending_or_restart(request)
    if state is None:
        return redirect("web:login")
    device = second_factor.confirmed_device(state.user)
    if device is None:
        return redirect("web:login_totp_enrol")
    form = CodeForm(request.POST if request.method == "POST" else None)
    verified, page = _code_step(request, state, device, "accounts/totp_verify.html",
                                {"form": form})
    if page is not None:
        return page
    return _signed_in(request, state, verified)


@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def totp_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of a staff user without a device: scan the QR code (or type the secret),
    confirm with the first code."""
    state = _pending_or_restart(request)
    if state is None:
        return redirect("web:login")
    if second_factor.confirmed_device(state.user) is not None:
        return redirect("web:login_totp")
    device = second_factor.enrolment_device(request, state)
    form = CodeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "form": form,
        "qr": second_factor.qr_svg(device, title=_("QR code for the authenticator app")),
        "secret": second_factor.secret_text(device),
        "username": state.user.get_username(),
    }
    verified, page = _code_step(request, state, device, "accounts/totp_enrol.html", context)
    if page is not None:
        return page
    verified.confirmed = True
    verified.save(update_fields=["confirmed"])
    response = _signed_in(request, state, verified)
    _record_enrolment(request, verified)
    messages.success(request, _("Two-step sign-in is set up. Next time, enter a code from the "
                                "app after your password."))
    return response


def _record_enrolment(request: HttpRequest, device: Any) -> None:
    audit.record(actor_from_request(request, AuditEvent.Channel.WEB), action=TOTP_ENROLLED,
                 patient_id=None, obj=device)


@require_POST
@csrf_protect
@never_cache
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out: audited; for an OpenID Connect sign-in, on to the provider's end-session
    endpoint (asked before the session is flushed)."""
    user = request.user
    if user.is_authenticated:
        record_auth_event(request=request, action=SIGN_OUT,
                          method=second_factor.sign_in_method(request), user=user)
    end_session_url = provider_logout_url(request)
    logout(request)
    return redirect(end_session_url or reverse("web:login"))
