"""The checklist item's form: shape only; the rules (who may own, who may change what, the
limits) are the service's, and its errors land on these fields by name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.directory.models import Staff
from ettervern.pathways.forms import DateInput, note_field
from ettervern.planning.checklist.models import NOTE_MAX_LENGTH, ChecklistItem


class ChecklistItemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=ChecklistItem.Status.choices,
                               widget=forms.RadioSelect)
    # A public id, checked by the service against the care team: a page that went stale (the
    # person left the team) gets the service's clear message, not "invalid choice".
    owner = forms.UUIDField(label=_("Responsible"), required=False)
    due_on = forms.DateField(label=_("Date"), required=False, widget=DateInput(),
                             help_text=_("By when it should be clarified."))
    note = note_field(_("Note"), max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args: Any, team: list[Staff] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if team is None:  # may not assign owners: the field is not offered
            del self.fields["owner"]
        else:
            self.fields["owner"].widget = forms.Select(choices=[
                ("", _("Nobody yet")), *[(str(person.public_id), person.name) for person in team]])

    @classmethod
    def for_item(cls, item: ChecklistItem, *, team: list[Staff] | None,
                 data: Any = None) -> ChecklistItemForm:
        return cls(data, team=team, prefix=f"item-{item.public_id}", initial={
            "version": item.version, "status": item.status, "note": item.note,
            "due_on": item.due_on, "owner": str(item.owner.public_id) if item.owner else ""})
