"""Template helpers for the pages: accessible form fields and a few display filters."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ettervern.core.identifiers import mask_national_id
from ettervern.pathways import events
from ettervern.web.routes import reverse_by_id

register = template.Library()


@register.simple_tag
def field(bound_field: forms.BoundField, hide_label: bool = False) -> str:
    """A labelled field whose hint and error are tied to the input with aria-describedby.

    Written with format_html rather than an included template: pages such as the pathway's
    carry dozens of fields, and rendering a template for each was a sixth of the page's time."""
    auto_id = bound_field.auto_id or bound_field.html_name
    help_id, error_id = f"{auto_id}-help", f"{auto_id}-error"
    # Read once here: each of these is a property (errors builds a new list every time).
    errors, help_text = bound_field.errors, bound_field.help_text
    described = [i for i, present in ((help_id, help_text), (error_id, errors)) if present]
    field = bound_field.field
    widget = field.widget
    is_group = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    attrs: dict[str, Any] = {}
    if described and not is_group:
        attrs["aria-describedby"] = " ".join(described)
    if errors:
        attrs["aria-invalid"] = "true"
    rendered = bound_field.as_widget(attrs=attrs)
    if widget.is_hidden:
        return rendered
    hint = format_html('<p class="hint" id="{}">{}</p>', help_id, help_text) if help_text else ""
    error = format_html(
        '<p class="error-message" id="{}"><span class="visually-hidden">{} </span>{}</p>',
        error_id, gettext("Error:"), " ".join(str(e) for e in errors)) if errors else ""
    css = "field field--error" if errors else "field"
    if is_group:
        described_attr = format_html(' aria-describedby="{}"', " ".join(described)) \
            if described else ""
        return format_html('<fieldset class="{}"{}><legend>{}</legend>{}{}'
                           '<div class="choices">{}</div></fieldset>',
                           css, described_attr, bound_field.label, hint, error, rendered)
    # A checkbox is a yes or no: "(optional)" beside it says nothing.
    optional = (not field.required and not getattr(field, "conditional", False)
                and not isinstance(widget, forms.CheckboxInput))
    marker = format_html(' <span class="optional">({})</span>', gettext("optional")) \
        if optional else ""
    label_class = mark_safe(' class="visually-hidden"') if hide_label else ""  # noqa: S308
    return format_html('<div class="{}"><label for="{}"{}>{}{}</label>{}{}{}</div>', css,
                       bound_field.id_for_label, label_class, bound_field.label, marker, hint,
                       error, rendered)


@register.simple_tag
def url_by_id(viewname: str, *ids: Any) -> str:
    """`{% url viewname id … %}` for routes with UUID arguments, reversed once (see
    `reverse_by_id`); the same URL, escaped (by simple_tag) as `{% url %}` escapes it."""
    return reverse_by_id(viewname, *ids)


@register.filter
def masked(national_id: str) -> str:
    return mask_national_id(national_id or "")


@register.filter
def event_text(event: Any) -> str:
    return events.render(event)


@register.filter
def event_text_for_patient(event: Any) -> str:
    """For the patient and next of kin: the sentence without staff's free-text reasons."""
    return events.render(event, with_reason=False)


@register.filter
def phase_sentence(phase: str, viewer: str) -> str:
    """Where the person is now, in plain words (pathways.plain)."""
    from ettervern.pathways.plain import phase_sentence as sentence

    return sentence(phase, viewer)
