"""Template helpers for the pages: accessible form fields and a few display filters."""

from __future__ import annotations

from typing import Any

from django import forms, template

from ettervern.core.identifiers import mask_national_id
from ettervern.pathways import events
from ettervern.web.routes import reverse_by_id

register = template.Library()


@register.inclusion_tag("web/_field.html")
def field(bound_field: forms.BoundField, hide_label: bool = False) -> dict[str, Any]:
    """A labelled field whose hint and error are tied to the input with aria-describedby."""
    auto_id = bound_field.auto_id or bound_field.html_name
    help_id, error_id = f"{auto_id}-help", f"{auto_id}-error"
    # Read once here: each of these is a property (errors builds a new list every time), and
    # the template reads them more than once for every field on the page.
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
    is_hidden = widget.is_hidden
    return {
        "bf": bound_field,
        "widget": bound_field.as_widget(attrs=attrs),
        "is_hidden": is_hidden,
        "is_group": is_group,
        "help_id": help_id,
        "error_id": error_id,
        "describedby": " ".join(described),
        "hide_label": hide_label,
        "errors": errors,
        "help_text": help_text,
        "label": bound_field.label,
        "label_for": "" if is_hidden or is_group else bound_field.id_for_label,
        "optional": not field.required and not getattr(field, "conditional", False),
    }


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
