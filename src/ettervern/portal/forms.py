"""The portal's forms: plain words, one question each."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.access.consent_kinds import KINDS
from ettervern.patients.models import Consent, NextOfKin
from ettervern.patients.services import (
    NAME_MAX_LENGTH,
    RELATION_MAX_LENGTH,
    WHAT_MATTERS_MAX_LENGTH,
)


class GrantForm(forms.Form):
    next_of_kin = forms.ChoiceField(label=_("Who"))
    kinds = forms.MultipleChoiceField(
        label=_("What they may see"), widget=forms.CheckboxSelectMultiple,
        choices=[(k.code, k.plain_label) for k in KINDS])
    valid_until = forms.DateField(
        label=_("Until"), required=False, help_text=_("Leave empty: until you withdraw it."),
        widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, people: list[NextOfKin], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        who = self.fields["next_of_kin"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [
            (str(p.public_id), f"{p.name} ({p.get_kind_display()})") for p in people]


class PersonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who is this to you"), choices=NextOfKin.Kind.choices,
                             widget=forms.RadioSelect, initial=NextOfKin.Kind.NEXT_OF_KIN)
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    relation = forms.CharField(label=_("Relation (for example mother, friend, teacher)"),
                               max_length=RELATION_MAX_LENGTH, required=False)
    national_id = forms.CharField(
        label=_("National identity number (11 digits)"), max_length=20,
        help_text=_("So that they can sign in with ID-porten."))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class StaffPersonForm(PersonForm):
    """The clinic adds a person for the patient: the same fields, asked about the patient."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _("Who this is to the patient")
        self.fields["relation"].label = _("Relation to the patient (for example mother, "
                                          "friend, teacher)")


class WhatMattersForm(forms.Form):
    text = forms.CharField(
        label=_("What I want the people who help me to know"), required=False,
        max_length=WHAT_MATTERS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}))
    contact_preference = forms.CharField(
        label=_("How I prefer to be contacted"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}))


STAFF_METHODS = [(m.value, m.label) for m in Consent.Method if m != Consent.Method.DIGITAL]


class RecordConsentForm(GrantForm):
    """A clinician records the patient's decision, and how it was given."""

    # No answer chosen beforehand: the clinician records how it was given.
    method = forms.ChoiceField(label=_("How the patient gave it"), choices=STAFF_METHODS,
                               widget=forms.RadioSelect)
    valid_from = forms.DateField(label=_("From"), required=False,
                                 help_text=_("Leave empty: from today."),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["next_of_kin", "kinds", "method", "valid_from", "valid_until"]

    def __init__(self, *args: Any, people: list[NextOfKin], **kwargs: Any) -> None:
        super().__init__(*args, people=people, **kwargs)
        kinds = self.fields["kinds"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.label = _("What they may see")
        kinds.choices = [(k.code, k.label) for k in KINDS]
        until = self.fields["valid_until"]
        until.help_text = _("Leave empty: until the patient withdraws it.")


class WithdrawForm(forms.Form):
    method = forms.ChoiceField(label=_("How the patient withdrew it"),
                               choices=[("", _("Choose"))] + STAFF_METHODS)
