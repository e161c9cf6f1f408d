from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Meetings on a pathway: the cooperation meeting before discharge, the follow-up meeting
    after it, and network meetings with next of kin. Participants from every level, agenda,
    minutes and decisions that become tasks; each participant downloads the meeting as an
    .ics file (docs/decisions/0026-meetings.md).

    The portal shows the patient's next meetings through its registry."""

    name = "ettervern.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from ettervern.meetings import selectors
        from ettervern.portal.sections import Section, register

        register(Section(key="meetings", order=45, template="meetings/_portal_card.html",
                         context=selectors.portal_card))
