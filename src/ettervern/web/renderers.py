"""The form renderer: Django's own widget templates, with the plain ones written out in Python.

Every field on a page renders its widget through a template (`input.html`, which includes
`attrs.html`; a select includes `select_option.html` once per option, which includes
`attrs.html` again). On the pathway page that is well over a hundred template renders per
request, most of them for the residential units in "Plan a stay", and it was the largest
share of the page's CPU time. The functions here produce the very same markup as those
templates (tests/web/test_renderers.py compares them), so nothing a user or a browser sees
changes; any template they do not cover, or one that a project template overrides, is
rendered by the template as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

_WIDGETS = "django/forms/widgets/"
_INPUTS = ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time",
           "search", "tel", "color")


def _attrs(attrs: Mapping[str, Any]) -> str:
    # attrs.html: ` name="value"`, a bare ` name` for True, nothing for False.
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_shown(name)}")
        else:
            parts.append(f' {_shown(name)}="{_formatted(value)}"')
    return "".join(parts)


def _formatted(value: Any) -> str:
    # `{{ value|stringformat:'s' }}`: "%s" of the value (a safe value stays safe), escaped.
    if type(value) is str:  # the common case, and the quickest
        return escape(value)
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _shown(value: Any) -> str:
    # `{{ value }}` (render_value_in_context): local time, localised, str, escaped unless safe.
    if type(value) is str:  # neither a date nor a number nor safe: only escaped
        return escape(value)
    value = localize(template_localtime(value))
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    # `{% if widget.value != None %}`: an equality test, as the template has it.
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711
    return (f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{shown}'
            f'{_attrs(widget["attrs"])}>\n')


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{_shown(value) if value else ""}</textarea>\n')


def _option(option: Mapping[str, Any]) -> str:
    return (f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
            f'{_shown(option["label"])}</option>\n')


class _NotPlain(Exception):
    """An option with a template of its own: the select is left to its template."""


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                raise _NotPlain
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


_ATTRS = _WIDGETS + "attrs.html"
_INPUT = _WIDGETS + "input.html"
_OPTION = _WIDGETS + "select_option.html"

# Each template written out, and the templates it stands for (itself and what it includes).
PLAIN: dict[str, tuple[Callable[[Mapping[str, Any]], str], tuple[str, ...]]] = {
    **{f"{_WIDGETS}{kind}.html": (_input, (f"{_WIDGETS}{kind}.html", _INPUT, _ATTRS))
       for kind in _INPUTS},
    _INPUT: (_input, (_INPUT, _ATTRS)),
    _WIDGETS + "textarea.html": (_textarea, (_WIDGETS + "textarea.html", _ATTRS)),
    _WIDGETS + "select.html": (_select, (_WIDGETS + "select.html", _OPTION, _ATTRS)),
    _OPTION: (_option, (_OPTION, _ATTRS)),
}


class FastWidgetRenderer(DjangoTemplates):
    """Django's template form renderer; the plain widgets above skip the template engine."""

    def __init__(self) -> None:
        super().__init__()
        self._plain: dict[str, bool] = {}

    def _is_django_own(self, names: tuple[str, ...]) -> bool:
        """Only where every template involved is Django's own file: an override in an app's
        templates keeps working."""
        known = self._plain.get(names[0])
        if known is None:
            known = all(
                str(self.get_template(name).origin.name).replace("\\", "/").endswith(
                    "/django/forms/templates/" + name)
                for name in names)
            self._plain[names[0]] = known
        return known

    def render(self, template_name: str, context: dict[str, Any],
               request: Any = None) -> str:
        plain = PLAIN.get(template_name)
        widget = context.get("widget") if plain is not None else None
        if plain is not None and isinstance(widget, Mapping) and self._is_django_own(plain[1]):
            try:
                return SafeString(plain[0](widget).strip())
            except _NotPlain:
                pass
        return super().render(template_name, context, request=request)
