"""Display helpers for the planning pages."""

from __future__ import annotations

from django import template

from ettervern.planning.crisis.phones import display_phone
from ettervern.planning.plan.versions import KINDS

register = template.Library()


@register.filter
def plan_change(kind: str) -> str:
    """What a save of the plan was, in the reader's language."""
    return str(KINDS.get(kind, kind))


@register.filter
def phone_display(phone: str) -> str:
    """'+4741234567' as a Norwegian reads it: '412 34 567'."""
    return display_phone(phone)
