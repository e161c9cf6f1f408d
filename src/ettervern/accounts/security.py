"""Security headers on every response: a Content-Security-Policy without inline script, and a
Permissions-Policy. Django's SecurityMiddleware and XFrameOptionsMiddleware add the rest
(X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy, X-Frame-Options, and
Strict-Transport-Security on HTTPS outside demo mode); see settings.py.

Sits right after SecurityMiddleware so that every response, error pages included, passes it.
A view that sets its own Content-Security-Policy keeps it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def content_security_policy() -> str:
    # The same string on every response: built once per value of the setting.
    return _policy(tuple(settings.ETTERVERN_CSP_FORM_ACTION_EXTRA))


@functools.lru_cache(maxsize=8)
def _policy(form_action_extra: tuple[str, ...]) -> str:
    form_action = " ".join(["'self'", *form_action_extra])
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        f"form-action {form_action}",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy()
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        return response
