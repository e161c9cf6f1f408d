"""The pages' forms. The services check every rule again (the API has no forms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock, workdays
from ettervern.pathways.forms import DateInput
from ettervern.tasks import checkpoints
from ettervern.tasks.models import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH

# A task added by hand is due in this many working days unless someone says otherwise.
DEFAULT_WORKING_DAYS = 5


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=TITLE_MAX_LENGTH)
    owner = forms.ChoiceField(label=_("Who does it"))
    due_on = forms.DateField(label=_("Due"), widget=DateInput(),
                             help_text=_("Counted in working days: weekends and public holidays "
                                         "are not working days."))
    note = forms.CharField(label=_("Note"), required=False,
                           max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    checkpoint = forms.ChoiceField(label=_("Checkpoint before discharge"),
                                   required=False)
    measure = forms.ChoiceField(label=_("Measure in the plan"), required=False)

    def __init__(self, *args: Any, owners: list[tuple[str, str]],
                 measures: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"due_on": self.default_due()})
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", _("Choose")), *owners]
        known = checkpoints.choices()
        if known:
            checkpoint = self.fields["checkpoint"]
            assert isinstance(checkpoint, forms.ChoiceField)
            checkpoint.choices = [("", _("None")), *known]
        else:
            del self.fields["checkpoint"]
        if measures:
            measure = self.fields["measure"]
            assert isinstance(measure, forms.ChoiceField)
            measure.choices = [("", _("None")), *measures]
        else:
            del self.fields["measure"]

    @staticmethod
    def default_due() -> dt.date:
        return workdays.add_working_days(clock.today(), DEFAULT_WORKING_DAYS)
