"""Page forms: they parse and check the shape of input only. Rules live in the services.

Field names match the `field` that services put on their domain errors, so an error raised by
a service lands on the right field (see views.run_service).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ettervern.directory.models import Staff, Unit
from ettervern.directory.selectors import staff_list, unit_list
from ettervern.pathways.models import CareTeamMember
from ettervern.pathways.phases import ALLOWED, Phase
from ettervern.pathways.selectors import SCOPES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelChoiceField):
    """Units by public id (internal keys stay internal), labelled with their organisation."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} – {obj.organisation.name}"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_profession_display()})"


# --- worklist ------------------------------------------------------------------------------

SCOPE_LABELS = {"mine": _("Mine"), "unit": _("My unit")}


class WorklistFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    phase = forms.ChoiceField(
        label=_("Phase"), required=False,
        choices=[("", _("All active phases")), *Phase.choices],
    )
    scope = forms.ChoiceField(
        label=_("Show"), required=False, widget=forms.RadioSelect,
        choices=[(scope, SCOPE_LABELS[scope]) for scope in SCOPES],
    )

    def values(self) -> dict[str, str]:
        """Clean values; a bad value falls back to the default (a filter never fails)."""
        if not self.is_valid():
            return {"q": "", "phase": "", "scope": "mine"}
        data = self.cleaned_data
        return {"q": data["q"].strip(), "phase": data["phase"] or "",
                "scope": data["scope"] or "mine"}


# --- opening a pathway ----------------------------------------------------------------------

class PathwayOpenForm(forms.Form):
    START_REFERRAL = "referral"
    START_CONTACT = "contact"

    national_id = forms.CharField(
        label=_("National identity number"), max_length=20,
        help_text=_("Fødselsnummer or D-nummer, 11 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    coordinating_unit = UnitChoiceField(label=_("Coordinating outpatient clinic"),
                                        queryset=Unit.objects.none(), to_field_name="public_id",
                                        empty_label=None)
    start = forms.ChoiceField(
        label=_("The pathway starts with"), widget=forms.RadioSelect, initial=START_REFERRAL,
        choices=[(START_REFERRAL, _("A referral")),
                 (START_CONTACT, _("Contact before a referral"))],
    )
    referral_received_on = forms.DateField(label=_("Referral received"), required=False,
                                           widget=DateInput())
    referrer = forms.CharField(label=_("Referrer"), required=False, max_length=200,
                               help_text=_("For example the GP or the municipal service."))
    first_contact_on = forms.DateField(label=_("Date of first contact"), required=False,
                                       widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["coordinating_unit"]
        field.queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start")
        if start == self.START_REFERRAL:
            if not data.get("referral_received_on") and "referral_received_on" not in self.errors:
                self.add_error("referral_received_on",
                               _("Give the date the referral was received."))
            if not (data.get("referrer") or "").strip():
                self.add_error("referrer", _("Name the referrer."))
            data["first_contact_on"] = None
        elif start == self.START_CONTACT:
            if not data.get("first_contact_on") and "first_contact_on" not in self.errors:
                self.add_error("first_contact_on", _("Give the date of first contact."))
            data["referral_received_on"] = None
            data["referrer"] = ""
        return data


# --- the pathway page -----------------------------------------------------------------------

class TransitionForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("New phase"))
    on = forms.DateField(label=_("Effective date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, current_phase: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = ALLOWED.get(current_phase, frozenset())
        field: Any = self.fields["to_phase"]
        field.choices = [(value, label) for value, label in Phase.choices if value in targets]


class StayPlanForm(forms.Form):
    unit = UnitChoiceField(label=_("Residential unit"), queryset=Unit.objects.none(),
                           to_field_name="public_id", empty_label=_("Choose a unit"))
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["unit"]
        field.queryset = unit_list(kind=Unit.Kind.RESIDENTIAL).order_by(
            "organisation__name", "name", "id")


class StayDateForm(forms.Form):
    """Admit or discharge a stay: just the date it happened."""

    on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = (_("Admission date") if action == "admit"
                                   else _("Discharge date"))


class VersionForm(forms.Form):
    """Actions that only need the version the user saw (cancel a stay, end a role)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PathwayUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    referral_received_on = forms.DateField(label=_("Referral received"), required=False,
                                           widget=DateInput())
    referrer = forms.CharField(label=_("Referrer"), required=False, max_length=200)
    first_contact_on = forms.DateField(label=_("Date of first contact"), required=False,
                                       widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class CareTeamAddForm(forms.Form):
    staff = StaffChoiceField(label=_("Person"), queryset=Staff.objects.none(),
                             to_field_name="public_id", empty_label=_("Choose a person"))
    role = forms.ChoiceField(label=_("Role"), choices=CareTeamMember.Role.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["staff"]
        field.queryset = staff_list().exclude(profession=Staff.Profession.ADMIN)


class HandoverForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to_staff = StaffChoiceField(label=_("New coordinator"), queryset=Staff.objects.none(),
                                to_field_name="public_id", empty_label=_("Choose a person"),
                                help_text=_("Staff at an outpatient clinic."))
    reason = forms.CharField(label=_("Reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_staff"]
        field.queryset = staff_list(unit_kind=Unit.Kind.OUTPATIENT)
