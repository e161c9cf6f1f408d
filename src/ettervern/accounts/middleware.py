"""Sessions that end when idle, and the sign-in gate.

IdleSessionMiddleware: a session ends after `ETTERVERN_SESSION_IDLE_MINUTES` without a request.
The database row's expiry is `SESSION_COOKIE_AGE` (the idle time) after its last save; instead
of saving the session on every request (SESSION_SAVE_EVERY_REQUEST: one write per request),
the last activity is stamped, and the session so saved, at most once a minute. A session idle
for longer than the limit is flushed here even if its row has not expired yet.

SignInGateMiddleware: one door in, and no staff session without its second factor.

- The admin site's own login page is sent to ours (`web:login`), so every password sign-in is
  throttled, audited and asked for its code in one place.
- When TOTP is on (`settings.ETTERVERN_TOTP`), an authenticated staff session that has not
  passed a second factor (see `second_factor.session_is_verified`) reaches no page: it is
  turned back into a pending sign-in and sent to the code (or enrolment) page. On /api/ such a
  session is answered 401; a request that carries `Authorization: Bearer …` is left to the
  API's own authentication, which judges it by the token alone (and whose session check
  refuses an unverified staff session in its own right).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ettervern.accounts import second_factor
from ettervern.core import clock
from ettervern.directory.selectors import request_standing
from ettervern.web.routes import reverse_by_id

LAST_ACTIVITY_SESSION_KEY = "ettervern.last_activity"
# How stale the stamp may get before it is written again.
ACTIVITY_RESOLUTION_SECONDS = 60


def stamp_activity(session: SessionBase) -> None:
    session[LAST_ACTIVITY_SESSION_KEY] = int(clock.now().timestamp())


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An API call with a bearer token is judged by the token alone: it neither uses nor
        # keeps alive a session it may also send.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not _bearer_api_call(request):
            self._touch(request)
        return self.get_response(request)

    @staticmethod
    def _touch(request: HttpRequest) -> None:
        session = request.session
        if session.is_empty():
            return
        now = int(clock.now().timestamp())
        last = session.get(LAST_ACTIVITY_SESSION_KEY)
        if isinstance(last, int) and now - last > settings.ETTERVERN_SESSION_IDLE_MINUTES * 60:
            session.flush()
            return
        if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            session[LAST_ACTIVITY_SESSION_KEY] = now


def _sends_bearer_token(request: HttpRequest) -> bool:
    """`Authorization: Bearer …`: the API judges the request by the token alone. Any other
    scheme (Basic, junk) is ignored by the API's bearer check, which would then fall back to
    the session, so such a request does not get past the gate."""
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    return header[:7].lower() == "bearer "


def _bearer_api_call(request: HttpRequest) -> bool:
    """/api/ with `Authorization: Bearer …`: the session, its idle time and the second-factor
    gate do not apply (the API's bearer check judges it; a bad token is refused, never passed
    on to the session). Any other API call is a session call and goes through all of them."""
    return request.path.startswith("/api/") and _sends_bearer_token(request)


def _exempt_paths() -> tuple[str, ...]:
    return (reverse("web:logout"), reverse("web:login"), "/healthz", "/i18n/", "/static/")


class SignInGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _bearer_api_call(request):  # what `_refuse` would let through: skip reading the user
            return self.get_response(request)
        # Asked on every request: reversed once (web.routes), not a regular expression each time.
        if request.path == reverse_by_id("admin:login"):
            return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
        user = request.user
        if second_factor.totp_enabled() and user.is_authenticated:
            # Read once for the request here: the check below, the page's access decisions
            # and its shell use it without asking again.
            request_standing(user)
        if (second_factor.requires_second_factor(user)
                and not second_factor.session_is_verified(request)):
            refused = self._refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            if _sends_bearer_token(request):
                return None
            return JsonResponse(
                {"code": "not_authenticated", "field": None,
                 "message": _("Sign in with your one-time code to use the API.")},
                status=401,
            )
        if request.path.startswith(_exempt_paths()):
            return None
        user = request.user
        backend = str(request.session.get("_auth_user_backend", ""))
        next_url = request.get_full_path() if request.method == "GET" else ""
        logout(request)
        second_factor.start_pending(request, user, backend=backend, next_url=next_url)
        target = ("web:login_totp" if second_factor.confirmed_device(user) is not None
                  else "web:login_totp_enrol")
        url = reverse(target)
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
