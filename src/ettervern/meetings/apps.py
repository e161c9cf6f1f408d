from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings on a pathway: the cooperation meeting before discharge, the follow-up meeting
    after it, and network meetings with next of kin. Participants from every level, agenda,
    minutes and decisions that become tasks; each participant downloads the meeting as an
    .ics file."""

    name = "ettervern.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
