"""Display helpers for the planning pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext

from ettervern.planning.crisis.phones import display_phone
from ettervern.planning.plan.selectors import PlanFlags
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


@register.simple_tag
def plan_flag_tags(flags: PlanFlags | None) -> str:
    """The worklist row's tags for its plan (late or due soon, unseen). Python rather than an
    included template: it is written once per row of every worklist page."""
    if flags is None:
        return ""
    tags: list[tuple[str, str]] = []
    if flags.late:
        tags.append(("tag tag--warning", gettext("Plan late")))
    elif flags.due_soon:
        tags.append(("tag", gettext("Plan due soon")))
    if flags.unseen:
        tags.append(("tag", gettext("Plan not seen by the patient")))
    return format_html_join("", ' <span class="{}">{}</span>', tags)
