"""The `field` tag: a label tied to its input, the hint and the error tied by
aria-describedby, "(valgfritt)" on optional fields, radio groups as a fieldset, hidden fields
bare, and everything escaped."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.utils import translation


class _Form(forms.Form):
    name = forms.CharField(label="Navn <b>", help_text="Som i folkeregisteret & co")
    note = forms.CharField(label="Notat", required=False)
    kind = forms.ChoiceField(label="Type", choices=[("a", "A"), ("b", "B")],
                             widget=forms.RadioSelect, help_text="Velg én")
    version = forms.IntegerField(widget=forms.HiddenInput)
    agreed = forms.BooleanField(label="Enig", required=False)


def _render(form: forms.Form, name: str, hide_label: bool = False) -> str:
    template = Template("{% load web %}{% field f hide %}")
    with translation.override("nb"):
        return template.render(Context({"f": form[name], "hide": hide_label}))


def test_a_field_with_hint_and_error_is_described_by_both() -> None:
    form = _Form(data={"name": "", "kind": "a", "version": "1"})
    assert not form.is_valid()
    html = _render(form, "name")
    assert html.startswith('<div class="field field--error"><label for="id_name">Navn &lt;b&gt;')
    assert '<p class="hint" id="id_name-help">Som i folkeregisteret &amp; co</p>' in html
    assert 'id="id_name-error"><span class="visually-hidden">Feil: </span>' in html
    assert 'aria-describedby="id_name-help id_name-error"' in html
    assert 'aria-invalid="true"' in html
    assert "valgfritt" not in html


def test_an_optional_field_says_so_and_a_hidden_label_stays_for_screen_readers() -> None:
    html = _render(_Form(), "note", hide_label=True)
    assert '<label for="id_note" class="visually-hidden">Notat' in html
    assert '<span class="optional">(valgfritt)</span>' in html
    assert "aria-describedby" not in html and "error-message" not in html


def test_radio_buttons_are_a_fieldset_and_a_hidden_field_is_bare() -> None:
    html = _render(_Form(), "kind")
    assert html.startswith('<fieldset class="field" aria-describedby="id_kind-help">'
                           "<legend>Type</legend>")
    assert '<div class="choices">' in html and 'type="radio"' in html
    assert _render(_Form(initial={"version": 3}), "version") == (
        '<input type="hidden" name="version" value="3" id="id_version">')


def test_a_checkbox_is_not_called_optional() -> None:
    html = _render(_Form(), "agreed")
    assert "valgfritt" not in html and 'type="checkbox"' in html
