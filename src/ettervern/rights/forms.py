from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.directory.models import Staff
from ettervern.rights.models import EMERGENCY_REASON_MAX_LENGTH


class BlockForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("Who do you want to block?"), queryset=Staff.objects.none(),
        to_field_name="public_id",
        help_text=_("The person can no longer see your pathway. Your coordinator cannot be "
                    "blocked: ask the clinic for a new coordinator instead."),
        error_messages={"required": _("Choose the person you want to block."),
                        "invalid_choice": _("Choose a person from the list.")})

    def __init__(self, *args: Any, candidates: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["staff"]
        field.queryset = Staff.objects.filter(pk__in=[s.pk for s in candidates]).order_by(
            "name", "id")
        field.label_from_instance = lambda staff: staff.name


class EmergencyForm(forms.Form):
    national_id = forms.CharField(
        label=_("The patient's national identity number"), max_length=20,
        error_messages={"required": _("Enter the patient's national identity number.")})
    reason = forms.CharField(
        label=_("Why do you need emergency access?"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=EMERGENCY_REASON_MAX_LENGTH, required=False,
        help_text=_("At least 10 characters. The patient, their coordinator and your unit's "
                    "leader see it. Access is read-only and ends after 4 hours."))
    # Required, though the service says so (with the length) rather than the form: no
    # "(optional)" beside its label.
    reason.conditional = True  # type: ignore[attr-defined]
