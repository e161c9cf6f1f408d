"""The crisis plan's page form: the texts, and rows of whom to call (a formset). Shape only;
the rules (phone numbers, limits) are the service's, whose errors land on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.planning.crisis.models import (
    BED_MAX_LENGTH,
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_WHEN_MAX_LENGTH,
    MAX_CONTACTS,
    SECTION_MAX_LENGTH,
)
from ettervern.planning.crisis.phones import display_phone

EMPTY_ROWS = 2  # blank rows for new people to call


def _area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CrisisPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    warning_signs = forms.CharField(
        label=_("Warning signs"), required=False, max_length=SECTION_MAX_LENGTH, widget=_area(),
        help_text=_("What the patient and others notice when things start to go wrong."))
    own_actions = forms.CharField(
        label=_("What the patient does"), required=False, max_length=SECTION_MAX_LENGTH,
        widget=_area())
    others_actions = forms.CharField(
        label=_("What others do"), required=False, max_length=SECTION_MAX_LENGTH,
        widget=_area(), help_text=_("Next of kin, the municipality, the clinic."))
    bed = forms.CharField(
        label=_("User-controlled bed"), required=False, max_length=BED_MAX_LENGTH,
        widget=_area(3), help_text=_("Where and how the patient books a stay, and for how long "
                                     "the agreement runs."))


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=CONTACT_NAME_MAX_LENGTH)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    when = forms.CharField(label=_("When to call"), required=False,
                           max_length=CONTACT_WHEN_MAX_LENGTH)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("phone", "").strip() and not data.get("name", "").strip():
            self.add_error("name", _("Every person to call needs a name."))
        if data.get("name", "").strip() and not data.get("phone", "").strip():
            self.add_error("phone", _("Give a phone number."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any((data.get(k) or "").strip() for k in ("name", "phone", "when"))


ContactFormSet = forms.formset_factory(ContactForm, extra=EMPTY_ROWS, max_num=MAX_CONTACTS,
                                       validate_max=True, absolute_max=MAX_CONTACTS + EMPTY_ROWS)


def initial_contacts(contacts: list[Any]) -> list[dict[str, str]]:
    return [{"name": c.name, "phone": display_phone(c.phone), "when": c.when} for c in contacts]
