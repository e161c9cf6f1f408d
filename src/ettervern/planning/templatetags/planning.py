from __future__ import annotations

from django import template

from ettervern.planning.crisis.phones import display_phone

register = template.Library()


@register.filter
def phone_display(phone: str) -> str:
    """'+4741234567' as a Norwegian reads it: '412 34 567'."""
    return display_phone(phone)
