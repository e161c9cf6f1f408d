from __future__ import annotations

from django import template

from ettervern.oidc.conf import Provider, providers

register = template.Library()


@register.simple_tag
def oidc_providers() -> list[Provider]:
    """The configured OpenID Connect providers, for the login buttons."""
    return list(providers().values())
