"""Who is calling the API: a signed-in browser session, or a bearer token.

Both end with `request.user` set, so `access.policy.actor_from_request(request, "api")` sees
the same user either way. Token lookup lives in one helper, `user_for_token`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from ettervern.accounts import second_factor
from ettervern.api.models import TOKEN_PREFIX, ApiToken, hash_token
from ettervern.core import clock, sqlrows

# last_used_at is a hint for operators, not an audit record (that is access.AuditEvent):
# write it at most once a minute per token instead of on every request.
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


# Written by hand (core.sqlrows): every API call runs it, and Django compiling it cost more
# than running it. tests/api/test_auth.py holds it to the same answers as the ORM.
_TOKEN = [sqlrows.Part(ApiToken, "t"), sqlrows.Part(get_user_model(), "u", "t", "user")]
_TOKEN_SQL = (f"SELECT {sqlrows.select_list(_TOKEN)} FROM api_apitoken t "  # noqa: S608
              f"JOIN {get_user_model()._meta.db_table} u ON u.id = t.user_id "
              "WHERE t.key_hash = %s AND t.revoked_at IS NULL ORDER BY t.id LIMIT 1")


def user_for_token(raw: str) -> AbstractBaseUser | None:
    """The active user behind a raw bearer token, or None (unknown, revoked, inactive user)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    found = sqlrows.read(_TOKEN, sqlrows.fetch(_TOKEN_SQL, [hash_token(raw)]))
    token: ApiToken | None = found[0][0] if found else None
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class InvalidToken(AuthenticationError):
    """A bearer token was sent but is unknown, revoked or belongs to an inactive user."""


class BearerToken(HttpBearer):
    """`Authorization: Bearer ev_…`. A token that is presented but not valid is refused (401)
    outright rather than falling back to the session, so a client learns its token is bad."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token.strip())
        if user is None:
            raise InvalidToken(message="Invalid or revoked token.")
        request.user = user  # type: ignore[assignment]  # (any AUTH_USER_MODEL)
        return user


class CsrfSessionAuth(SessionAuth):
    """Django's session login, with Django's CSRF check for unsafe methods.

    Unlike ninja's `django_auth`, the CSRF check runs only when a session user is present, so
    an anonymous call gets 401 (not authenticated) rather than 403 (CSRF). A staff session that
    has not passed its second factor (see `accounts.second_factor`) is not signed in here,
    whatever the sign-in gate let through.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if (second_factor.requires_second_factor(request.user)
                and not second_factor.session_is_verified(request)):
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed.")
        return request.user


bearer_auth = BearerToken()
session_auth = CsrfSessionAuth()
