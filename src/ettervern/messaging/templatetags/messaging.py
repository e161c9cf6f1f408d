"""The menu's notification badge: `{% load messaging %}{% notifications_menu_item %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ettervern.messaging.selectors import unread_notifications

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_menu_item(context: Any) -> str:
    """The menu's "Varsler" link with my unread count: one COUNT, only on pages that show the
    menu (a signed-in user)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    count = unread_notifications(user.pk)
    current = mark_safe(' aria-current="page"') if getattr(  # noqa: S308 - a constant
        request.resolver_match, "url_name", "") == "notifications" else ""
    badge = format_html(' <span class="badge">{}<span class="visually-hidden"> {}</span></span>',
                        count, ngettext("unread", "unread", count)) if count else ""
    return format_html('<li><a href="{}"{}>{}{}</a></li>', reverse("messaging:notifications"),
                       current, _("Notifications"), badge)
