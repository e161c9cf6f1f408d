"""What the local sign-out needs from an OpenID Connect sign-in (RP-initiated logout)."""

from __future__ import annotations

import logging
from typing import Any

from django.urls import reverse

from ettervern.oidc.client import OIDCError, end_session_url
from ettervern.oidc.conf import get_provider

# Session keys written by the callback after a successful OIDC sign-in.
PROVIDER = "oidc_provider"
ID_TOKEN = "oidc_id_token"  # noqa: S105 - a session key, not a secret
LEVEL = "oidc_level"
PENDING = "oidc_pending"

log = logging.getLogger(__name__)


def oidc_provider_name(request: Any) -> str:
    """The provider this session signed in with, or "" for a local login."""
    return str(request.session.get(PROVIDER, ""))


def provider_logout_url(request: Any) -> str | None:
    """The provider's end-session URL for this session's OIDC login, or None for a local login.

    Call before the session is flushed."""
    name = request.session.get(PROVIDER)
    id_token = request.session.get(ID_TOKEN)
    provider = get_provider(name) if name else None
    if provider is None or not id_token:
        return None
    try:
        return end_session_url(
            provider, id_token=id_token,
            post_logout_redirect_uri=request.build_absolute_uri(reverse("web:login")),
        )
    except OIDCError:
        log.warning("OIDC provider %s unreachable at sign-out", name, exc_info=True)
        return None
