"""The pages' forms. The services check every rule again (the API has no forms)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from ettervern.core import clock
from ettervern.meetings.models import (
    AGENDA_MAX_LENGTH,
    DECISION_MAX_LENGTH,
    LINK_MAX_LENGTH,
    MINUTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    Meeting,
)
from ettervern.pathways.forms import DateInput

OSLO = ZoneInfo("Europe/Oslo")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class WhenWhereForm(forms.Form):
    """The day, the times (Norwegian time) and the place or video link."""

    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("To"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), required=False, max_length=PLACE_MAX_LENGTH,
                            help_text=_("Where you meet, or leave it empty for a video "
                                        "meeting."))
    video_link = forms.CharField(label=_("Video link"), required=False,
                                 max_length=LINK_MAX_LENGTH,
                                 help_text=_("An address starting with https://"),
                                 widget=forms.URLInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = dt.datetime.combine(data["day"], data["start"], tzinfo=OSLO)
            data["ends_at"] = dt.datetime.combine(data["day"], data["end"], tzinfo=OSLO)
        return data

    @staticmethod
    def initial_for(meeting: Meeting | None) -> dict[str, Any]:
        if meeting is None:
            return {"day": clock.today() + dt.timedelta(days=7), "start": dt.time(10),
                    "end": dt.time(11)}
        start, end = meeting.starts_at.astimezone(OSLO), meeting.ends_at.astimezone(OSLO)
        return {"day": start.date(), "start": start.time(), "end": end.time(),
                "place": meeting.place, "video_link": meeting.video_link,
                "version": meeting.version}


class ArrangeForm(WhenWhereForm):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    agenda = forms.CharField(label=_("Agenda"), required=False, max_length=AGENDA_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["kind", "day", "start", "end", "place", "video_link", "agenda"]


class UpdateForm(WhenWhereForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class NotesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agenda = forms.CharField(label=_("Agenda"), required=False, max_length=AGENDA_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label=_("Minutes"), required=False,
                              max_length=MINUTES_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 8}))


class ParticipantForm(forms.Form):
    """One person: `person` is "staff:<id>", "patient" or "kin:<id>"."""

    person = forms.ChoiceField(label=_("Who"))
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254,
                             help_text=_("The invitation is sent here, with no name and no "
                                         "health information. Staff get it at their work "
                                         "address."))

    def __init__(self, *args: Any, choices: list[tuple[str, Any]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [("", _("Choose a person")), *(choices or [])]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=DECISION_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(forms.Form):
    owner = forms.ChoiceField(label=_("Who does it"))
    due_on = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args: Any, choices: list[tuple[str, Any]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", _("Choose a person")), *(choices or [])]
