"""The form renderer writes the plain widgets out in Python: the markup must be exactly what
Django's own widget templates give."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from ettervern.web.renderers import FastWidgetRenderer


class _Everything(forms.Form):
    text = forms.CharField(max_length=10, help_text="hint")
    optional = forms.CharField(required=False, widget=forms.TextInput(
        attrs={"autocomplete": "off", "data-flag": True, "data-off": False,
               "data-quote": 'a"b<c>&'}))
    number = forms.IntegerField(min_value=1)
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    pick = forms.ChoiceField(choices=[("", "Choose"), ("a", "A & <b>"),
                                      ("b", gettext_lazy("Phase")),
                                      (3, mark_safe("<i>safe</i>"))])  # noqa: S308
    grouped = forms.ChoiceField(choices=[("", "None"), ("Group <1>", [("x", "X"), ("y", "Y")]),
                                         ("z", "Z")])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


CASES: list[dict[str, Any] | None] = [
    None,
    {},
    {"text": 'x"<y>&', "optional": "", "number": "12", "hidden": "3", "day": "2025-01-31",
     "note": "line 1\nline <2> & 'three'", "email": "a@b.no", "secret": "s3<",
     "pick": "a", "grouped": "y", "many": ["a", "b"], "radio": "b"},
    {"text": "", "number": "x", "day": "not a date", "pick": "nope", "grouped": "z"},
]


def _initial() -> dict[str, Any]:
    return {"day": dt.date(2024, 12, 24), "number": 1000, "pick": 3, "note": "<initial>"}


@pytest.mark.parametrize("data", CASES)
@pytest.mark.parametrize("attrs", [None, {"aria-describedby": "a-help", "aria-invalid": "true"}])
def test_every_field_renders_as_the_templates_do(data: dict[str, Any] | None,
                                                 attrs: dict[str, str] | None) -> None:
    fast, slow = FastWidgetRenderer(), DjangoTemplates()
    a = _Everything(data, initial=_initial(), renderer=fast)
    b = _Everything(data, initial=_initial(), renderer=slow)
    for name in a.fields:
        assert a[name].as_widget(attrs=attrs) == b[name].as_widget(attrs=attrs), name
    assert str(a) == str(b)


def test_the_pathway_page_forms_render_as_the_templates_do(db: Any) -> None:
    from ettervern.pathways import forms as pathway_forms
    from tests import factories

    factories.unit(name="Tyrili <Ås>", kind="residential")
    factories.unit(name="Blå Kors", kind="residential")
    for make in (lambda r: pathway_forms.StayPlanForm(prefix="stay", renderer=r),
                 lambda r: pathway_forms.TransitionForm(current_phase="contact",
                                                        prefix="transition", renderer=r),
                 lambda r: pathway_forms.PathwayUpdateForm(
                     prefix="details", renderer=r,
                     initial={"version": 3, "referrer": 'Dr. "Å" & co', "note": "a\nb"})):
        a, b = make(FastWidgetRenderer()), make(DjangoTemplates())
        for name in a.fields:
            assert a[name].as_widget() == b[name].as_widget(), name


def test_an_overridden_template_is_left_to_the_template(monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = FastWidgetRenderer()
    monkeypatch.setattr(renderer, "_plain", {"django/forms/widgets/text.html": False})
    called: list[str] = []
    original = DjangoTemplates.render

    def spy(self: Any, template_name: str, context: Any, request: Any = None) -> str:
        called.append(template_name)
        return original(self, template_name, context, request=request)

    monkeypatch.setattr(DjangoTemplates, "render", spy)
    form = _Everything(renderer=renderer)
    form["text"].as_widget()
    form["number"].as_widget()
    assert called == ["django/forms/widgets/text.html"]


def test_the_setting_uses_it() -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastWidgetRenderer)


def test_unit_options_are_those_of_the_stock_iterator(db: Any) -> None:
    """The unit select reads three columns instead of building instances: same options."""
    from django.forms.models import ModelChoiceIterator

    from ettervern.pathways import forms as pathway_forms
    from tests import factories

    for name in ("Tyrili <Ås>", "Blå Kors", "Abc"):
        factories.unit(name=name, kind="residential")
    field = pathway_forms.StayPlanForm().fields["unit"]
    ours = [(str(value), label) for value, label in field.choices]  # type: ignore[attr-defined]
    stock = [(str(value), label) for value, label in ModelChoiceIterator(field)]
    assert len(ours) == 4
    assert ours == stock
