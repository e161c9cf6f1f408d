"""Page forms: they parse and check the shape of input only. Rules live in the services.

Field names match the `field` that services put on their domain errors, so an error raised by
a service lands on the right field (see views.run_service).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock
from ettervern.core.errors import InvalidInput
from ettervern.core.identifiers import parse_national_id
from ettervern.directory.models import Staff, Unit
from ettervern.directory.selectors import unit_list
from ettervern.pathways.models import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REFERRER_MAX_LENGTH,
    CareTeamMember,
)
from ettervern.pathways.phases import ALLOWED, Phase
from ettervern.pathways.selectors import SCOPES
from ettervern.patients.models import NAME_MAX_LENGTH

# Free-text limits are the models' (the services enforce them too); a page stops the user
# before they type more than will be stored.
NOTE_MAX = NOTE_MAX_LENGTH
REASON_MAX = REASON_MAX_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def unit_label(name: str, organisation_name: str) -> str:
    return f"{name} – {organisation_name}"


class UnitChoiceIterator(forms.models.ModelChoiceIterator):
    """The options of a unit select from the three columns they show, in one plain query.

    The stock iterator builds a Unit and its Organisation for every option, and on PostgreSQL
    reads them through a server-side cursor (DECLARE, FETCH, CLOSE): for the 100-odd
    residential units of "Plan a stay" that was a good part of the pathway page's time. An
    option's value carries no instance (`ModelChoiceIteratorValue.instance` is None); the
    select widget only needs the value and the label."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("public_id", "name", "organisation__name")
        for public_id, name, organisation_name in rows:
            yield (forms.models.ModelChoiceIteratorValue(public_id, None),  # type: ignore[arg-type]
                   unit_label(name, organisation_name))


class UnitChoiceField(forms.ModelChoiceField):
    """Units by public id (internal keys stay internal), labelled with their organisation."""

    iterator = UnitChoiceIterator

    def label_from_instance(self, obj: Any) -> str:
        return unit_label(obj.name, obj.organisation.name)


class PersonField(forms.ModelChoiceField):
    """A staff member picked with the person search (pathways/_person_picker.html), by public
    id. It validates against everyone who could be picked; the page never lists them all."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Staff.objects.exclude(profession=Staff.Profession.ADMIN),
                         to_field_name="public_id", **kwargs)
        self.error_messages["required"] = _("Search for the person and choose them.")
        self.error_messages["invalid_choice"] = _("Choose a person from the search results.")


def conditional(field: forms.Field) -> forms.Field:
    """A field that is required or not depending on another answer: not marked optional."""
    field.conditional = True  # type: ignore[attr-defined]
    return field


def note_field(label: Any, *, required: bool = False, max_length: int = NOTE_MAX,
               help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": 2}))


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
    given_name = forms.CharField(label=_("Given name"), max_length=NAME_MAX_LENGTH)
    family_name = forms.CharField(label=_("Family name"), max_length=NAME_MAX_LENGTH)
    coordinating_unit = UnitChoiceField(label=_("Coordinating outpatient clinic"),
                                        queryset=Unit.objects.none(), to_field_name="public_id",
                                        empty_label=None)
    start = forms.ChoiceField(
        label=_("The pathway starts with"), widget=forms.RadioSelect, initial=START_REFERRAL,
        choices=[(START_REFERRAL, _("A referral")),
                 (START_CONTACT, _("Contact before a referral"))],
    )
    referral_received_on = conditional(forms.DateField(label=_("Referral received"),
                                                       required=False, widget=DateInput()))
    referrer = conditional(forms.CharField(
        label=_("Referrer"), required=False, max_length=REFERRER_MAX_LENGTH,
        help_text=_("For example the GP or the municipal service.")))
    first_contact_on = conditional(forms.DateField(label=_("Date of first contact"),
                                                   required=False, widget=DateInput()))
    note = note_field(_("Note"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["coordinating_unit"]
        field.queryset = units

    def clean_national_id(self) -> str:
        # Checked here as well as in the service, so that every error comes in one round.
        try:
            return parse_national_id(self.cleaned_data["national_id"]).value
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc.message)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("referral_received_on", "first_contact_on"):
            day = data.get(name)
            if day is not None and day > clock.today():
                self.add_error(name, _("The date cannot be in the future."))
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
    note = conditional(note_field(_("Note"),
                                  help_text=_("If you close the pathway, write why.")))

    def __init__(self, *args: Any, current_phase: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Admitting and discharging are done on the stay (with its date and a confirmation),
        # so the phase form offers neither.
        targets = ALLOWED.get(current_phase, frozenset()) - {Phase.RESIDENTIAL, Phase.AFTERCARE}
        field: Any = self.fields["to_phase"]
        # Nothing preselected: the first option may be a step backwards.
        field.choices = [("", _("Choose a phase")),
                         *[(value, label) for value, label in Phase.choices if value in targets]]
        self.fields["on"].initial = clock.today
        self.targets = targets

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_phase") == Phase.CLOSED and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for closing the pathway."))
        return data


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
    """Actions that only need the version the user saw (end a role)."""

    version = forms.IntegerField(label=_("Version"), widget=forms.HiddenInput, min_value=1)


class ReasonForm(VersionForm):
    """Actions that need a reason too (cancel a stay, reopen a pathway)."""

    reason = note_field(_("Reason"), required=True, max_length=REASON_MAX)


class PathwayUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    referral_received_on = forms.DateField(label=_("Referral received"), required=False,
                                           widget=DateInput())
    referrer = forms.CharField(label=_("Referrer"), required=False,
                               max_length=REFERRER_MAX_LENGTH)
    first_contact_on = forms.DateField(label=_("Date of first contact"), required=False,
                                       widget=DateInput())
    note = note_field(_("Note"))


class CareTeamAddForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"),
                             choices=[("", _("Choose a role")), *CareTeamMember.Role.choices])
    staff = PersonField(label=_("Person"))


class HandoverForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to_staff = PersonField(label=_("New coordinator"))
    reason = note_field(_("Reason"), required=True, max_length=REASON_MAX,
                        help_text=_("The new coordinator sees it at the top of their list."))


class PersonSearchForm(forms.Form):
    """The person search behind a picker: what the person is picked for, and a name."""

    purpose = forms.ChoiceField(choices=[*CareTeamMember.Role.choices,
                                         ("handover", _("New coordinator"))])
    q = forms.CharField(required=False, max_length=100)
