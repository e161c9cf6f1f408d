"""Sign-in with an OpenID Connect provider: /auth/<provider>/login and /auth/<provider>/callback.

A refusal shows one Norwegian page ("Du har ikke tilgang"), status 403, stores nothing and is
written to the audit log, as is every sign-in.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from authlib.common.security import generate_token
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ettervern.access.signin import SIGN_IN, SIGN_IN_REFUSED, record_auth_event
from ettervern.accounts.second_factor import EXTERNAL, SIGN_IN_METHOD_SESSION_KEY
from ettervern.oidc import client, identity
from ettervern.oidc.conf import Provider, get_provider
from ettervern.oidc.session import ID_TOKEN, LEVEL, PENDING, PROVIDER

log = logging.getLogger(__name__)

METHOD = "oidc"
PENDING_SECONDS = 600  # how long a started sign-in may take
PENDING_MAX = 5  # started sign-ins kept per session (several tabs)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _provider(name: str) -> Provider:
    provider = get_provider(name)
    if provider is None:
        raise Http404
    return provider


def _redirect_uri(request: HttpRequest, provider: Provider) -> str:
    return request.build_absolute_uri(reverse("oidc:callback", args=[provider.name]))


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def _reason_message(reason: str) -> str:
    if reason in ("state", "state_expired"):
        return _("The sign-in could not be completed: it had expired or was already used. "
                 "Please start again.")
    if reason in ("acr", "security_level"):
        return _("Your sign-in level is too low for Ettervern. Sign in again with a higher "
                 "security level, for example BankID.")
    if reason in ("unknown_hpr", "unknown_pid", "inactive_user", "no_identity_claim"):
        return _("Ettervern does not know you. Ask your unit administrator or your clinic "
                 "for access.")
    if reason in ("provider_error", "token_request", "provider_unavailable"):
        return _("The identity provider did not complete the sign-in. Please try again "
                 "later.")
    return _("The answer from the identity provider could not be verified.")


def refuse(request: HttpRequest, provider: Provider, reason: str, *, level: str = "",
           username: str = "", status: int = 403) -> HttpResponse:
    record_auth_event(request=request, action=SIGN_IN_REFUSED, method=METHOD,
                      provider=provider.name, level=level, reason=reason, username=username)
    context = {"provider": provider, "message": _reason_message(reason)}
    return render(request, "oidc/refused.html", context, status=status)


@never_cache
@require_safe
def login(request: HttpRequest, provider: str) -> HttpResponse:
    conf = _provider(provider)
    state, nonce = generate_token(40), generate_token(40)
    verifier, challenge = client.new_pkce()
    pending: dict[str, Any] = dict(request.session.get(PENDING) or {})
    now = time.time()
    pending = {key: value for key, value in pending.items()
               if now - value.get("at", 0) < PENDING_SECONDS}
    while len(pending) >= PENDING_MAX:
        pending.pop(min(pending, key=lambda key: pending[key]["at"]))
    try:
        url = client.authorization_url(conf, redirect_uri=_redirect_uri(request, conf),
                                       state=state, nonce=nonce, code_challenge=challenge)
    except client.OIDCError:
        log.warning("OIDC provider %s: authorization request failed", conf.name, exc_info=True)
        return refuse(request, conf, "provider_unavailable", status=502)
    pending[state] = {"provider": conf.name, "nonce": nonce, "verifier": verifier,
                      "next": _safe_next(request, request.GET.get("next", "")), "at": now}
    request.session[PENDING] = pending
    return redirect(url)


@never_cache
@require_safe
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    conf = _provider(provider)
    state = request.GET.get("state", "")
    pending: dict[str, Any] = dict(request.session.get(PENDING) or {})
    started = pending.pop(state, None) if state else None  # single use, even when refused
    request.session[PENDING] = pending
    if started is None or started.get("provider") != conf.name:
        return refuse(request, conf, "state")
    if time.time() - started.get("at", 0) > PENDING_SECONDS:
        return refuse(request, conf, "state_expired")
    if request.GET.get("error"):
        return refuse(request, conf, "provider_error",
                      username=request.GET.get("error", "")[:100])
    if "iss" in request.GET and request.GET["iss"] != conf.issuer:  # RFC 9207
        return refuse(request, conf, "id_token_issuer")
    code = request.GET.get("code", "")
    if not code:
        return refuse(request, conf, "provider_error")
    try:
        tokens = client.exchange_code(conf, code=code, redirect_uri=_redirect_uri(request, conf),
                                      code_verifier=started["verifier"])
    except client.OIDCError:
        log.warning("OIDC provider %s: token request failed", conf.name, exc_info=True)
        return refuse(request, conf, "token_request")
    username = ""
    level = ""
    try:
        claims = client.validate_id_token(conf, str(tokens.get("id_token", "")),
                                          nonce=started["nonce"])
        try:
            username = identity.masked(conf, identity.identifier(conf, claims))
        except client.Refused:
            username = ""
        level = identity.check_level(conf, claims)
        user = identity.user_for(conf, claims)
    except client.Refused as refusal:
        return refuse(request, conf, refusal.reason, level=refusal.level or level,
                      username=username)
    except client.OIDCError:
        log.warning("OIDC provider %s: keys unavailable", conf.name, exc_info=True)
        return refuse(request, conf, "provider_unavailable", status=502)
    auth_login(request, user, backend=BACKEND)
    # The provider enforced its own strong authentication: no local second factor.
    request.session[SIGN_IN_METHOD_SESSION_KEY] = EXTERNAL
    request.session[PROVIDER] = conf.name
    request.session[ID_TOKEN] = tokens["id_token"]
    request.session[LEVEL] = level
    record_auth_event(request=request, action=SIGN_IN, method=METHOD, user=user,
                      provider=conf.name, level=level)
    return redirect(_safe_next(request, started.get("next", "")) or settings.LOGIN_REDIRECT_URL)
