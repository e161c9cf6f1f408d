"""The pages' forms. The services check every rule again (the API has no forms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.beds.models import (
    MAX_BEDS,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Booking,
    Programme,
    TargetGroup,
)
from ettervern.core import clock
from ettervern.directory.models import Organisation, Region
from ettervern.pathways.forms import DateInput


def _number(label: Any, low: int, high: int, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=low, max_value=high, **kwargs)


class SearchForm(forms.Form):
    first = forms.DateField(label=_("From"), widget=DateInput())
    until = forms.DateField(label=_("To"), widget=DateInput(),
                            help_text=_("The last day, when the stay ends."))
    region = forms.ChoiceField(label=_("Health region"), required=False,
                               choices=[("", _("All regions")), *Region.choices])
    trust = forms.ChoiceField(label=_("Hospital trust or provider"), required=False)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    gender_separated = forms.BooleanField(label=_("Only gender-separated offers"),
                                          required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trusts = (Organisation.objects.filter(units__bed_programme__published=True).distinct()
                  .order_by("name").values_list("public_id", "name"))
        trust = self.fields["trust"]
        assert isinstance(trust, forms.ChoiceField)
        trust.choices = [("", _("All")), *((str(pk), name) for pk, name in trusts)]
        group = self.fields["target_group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [("", _("All")), *TargetGroup.objects.values_list("code", "name")]

    @staticmethod
    def defaults() -> dict[str, Any]:
        today = clock.today()
        return {"first": today, "until": today + dt.timedelta(days=14)}


class ProgrammeForm(forms.Form):
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    gender_separated = forms.BooleanField(label=_("Gender-separated"), required=False)
    prerequisites = forms.CharField(label=_("Prerequisites for a stay"), required=False,
                                    max_length=TEXT_MAX_LENGTH,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    content = forms.CharField(label=_("Content of the stay"), required=False,
                              max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    min_stay_days = _number(_("Shortest stay (days)"), 1, 14)
    max_stay_days = _number(_("Longest stay (days)"), 1, 14)
    min_days_between = _number(_("Days between stays, at least"), 0, 365)
    book_ahead_days = _number(_("Bookable up to how many days ahead"), 1, 365)
    min_notice_days = _number(_("Booked at least how many days before arrival"), 0, 364,
                              help_text=_("0: the patient can book for the same day."))
    offer_after_discharge_days = _number(_("The offer stands for how many days after "
                                           "discharge"), 1, 3 * 365)
    standard_agreement_days = _number(_("Standard agreement length (days)"), 1, 2 * 365)
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_note = forms.CharField(label=_("How to reach the unit"), required=False,
                                   max_length=NOTE_MAX_LENGTH,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    published = forms.BooleanField(label=_("Published (coordinators in every region can read "
                                           "it)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = self.fields["target_groups"]
        assert isinstance(groups, forms.MultipleChoiceField)
        groups.choices = list(TargetGroup.objects.values_list("code", "name"))

    @staticmethod
    def initial_for(programme: Programme | None) -> dict[str, Any]:
        if programme is None:
            return {"min_stay_days": 1, "max_stay_days": 5, "min_days_between": 14,
                    "book_ahead_days": 60, "min_notice_days": 0,
                    "offer_after_discharge_days": 365, "standard_agreement_days": 182}
        initial = {name: getattr(programme, name) for name in ProgrammeForm.base_fields
                   if name not in ("target_groups", "version")}
        initial["target_groups"] = [g.code for g in programme.target_groups.all()]
        initial["version"] = programme.version
        return initial


class CapacityForm(forms.Form):
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    beds = _number(_("Beds per night"), 0, MAX_BEDS)


class AgreementForm(forms.Form):
    programme = forms.ChoiceField(label=_("Unit"))
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput())
    max_stays = _number(_("Number of stays, at most"), 1, 52)
    max_days_per_stay = _number(_("Days per stay, at most"), 1, 14)
    conditions = forms.CharField(label=_("Conditions"), required=False, max_length=TEXT_MAX_LENGTH,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    in_crisis_plan = forms.BooleanField(label=_("Show the agreement in the crisis plan"),
                                        required=False, initial=True)

    def __init__(self, *args: Any, programmes: list[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a unit")), *(
            (str(p.public_id), f"{p.unit.name} – {p.unit.organisation.name}")
            for p in programmes)]
        if len(programmes) == 1:
            field.initial = str(programmes[0].public_id)
            programme = programmes[0]
            self.fields["valid_from"].initial = clock.today()
            self.fields["valid_to"].initial = clock.today() + dt.timedelta(
                days=programme.standard_agreement_days)
            self.fields["max_days_per_stay"].initial = programme.max_stay_days


class UnitAgreementForm(AgreementForm):
    """The unit's staff make the agreement with the patient, found by national id."""

    national_id = forms.CharField(label=_("The patient's national identity number (11 digits)"),
                                  max_length=20)
    field_order = ["national_id"]


class BookingForm(forms.Form):
    arrival = forms.DateField(label=_("Arrival"), widget=DateInput())
    days = forms.TypedChoiceField(label=_("Number of days"), coerce=int)

    def __init__(self, *args: Any, longest: int, shortest: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["days"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(n, str(n)) for n in range(shortest, longest + 1)]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RefuseForm(NoteForm):
    reason = forms.ChoiceField(label=_("Why the stay is turned down"), widget=forms.RadioSelect,
                               choices=Booking.RefusalReason.choices)
    field_order = ["reason", "note"]
