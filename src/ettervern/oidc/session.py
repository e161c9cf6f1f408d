"""What the local sign-out needs from an OpenID Connect sign-in (RP-initiated logout)."""

from __future__ import annotations

from typing import Any


def provider_logout_url(request: Any) -> str | None:
    """The provider's end-session URL for this session's OIDC login, or None for a local login.

    Call before the session is flushed."""
    return None
