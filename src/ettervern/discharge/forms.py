from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.discharge.models import NOTE_MAX_LENGTH
from ettervern.pathways.forms import DateInput, conditional, note_field
from ettervern.pathways.models import REASON_MAX_LENGTH


class DischargeForm(forms.Form):
    on = forms.DateField(label=_("Discharge date"), widget=DateInput())
    # Required while checkpoints are open (the gate says so), and only shown then: not
    # labelled optional.
    reason = conditional(note_field(_("Reason for discharging with open checkpoints"),
                                    required=False, max_length=REASON_MAX_LENGTH))


class TickForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH,
                           help_text=_("For example who was informed, and how."))
