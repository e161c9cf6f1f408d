"""The client's address, as far as it can be trusted (audit records, login throttling)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    """The connection's address, or, behind `ETTERVERN_TRUSTED_PROXIES` proxies, the address the
    outermost trusted proxy saw. Earlier X-Forwarded-For entries are written by the client and
    ignored."""
    proxies = getattr(settings, "ETTERVERN_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
