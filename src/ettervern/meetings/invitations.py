"""Invitations, updates and cancellations: to each participant who may still take part, by
e-mail (with the neutral .ics attached) where an address is known, and in the app where the
person has a login.

The e-mail goes through the job queue (messaging.mail.mail_later), the notification through
messaging.notify. Both are called inside the service's transaction, so a change that rolls
back sends nothing. What leaves the app by e-mail says only that there is a meeting, when,
and where to read about it: subject "Ettervern-møte", the time, a link. No patient's name, no
national id, no kind of meeting, no place, no agenda (docs/decisions/0026-meetings.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ettervern.core import clock
from ettervern.meetings import ics
from ettervern.meetings.models import Meeting, Participant
from ettervern.patients.models import Consent

SUBJECT = ics.NEUTRAL_TITLE
ICS_FILENAME = "ettervern-mote.ics"


def consent_active(participant: Participant) -> bool:
    """A next of kin or trust person takes part only while the patient's consent to
    "meetings" is active; anyone else always."""
    if participant.next_of_kin_id is None:
        return True
    return kin_consents(participant.next_of_kin_id)


def kin_consents(next_of_kin_id: int) -> bool:
    """Whether the patient's consent to share meetings with this next of kin is active today."""
    today = clock.today()
    return (Consent.objects.filter(next_of_kin_id=next_of_kin_id, kind="meetings",
                                   withdrawn_at__isnull=True, valid_from__lte=today)
            .exclude(valid_until__lt=today).exists())


def path_for(meeting: Meeting, participant: Participant | None = None) -> str:
    """Where the participant reads the meeting in the app: the patient on their own page,
    anyone else on the meeting's page."""
    if participant is not None and participant.patient_id is not None:
        return reverse("meetings:portal")
    return reverse("meetings:meeting", kwargs={"public_id": meeting.public_id})


def link_for(meeting: Meeting, participant: Participant | None = None) -> str:
    """The same, as a whole address (for e-mail and calendar files)."""
    return f"{settings.ETTERVERN_BASE_URL}{path_for(meeting, participant)}"


def _when(meeting: Meeting) -> str:
    start = meeting.starts_at.astimezone(ics.OSLO)
    end = meeting.ends_at.astimezone(ics.OSLO)
    return f"{start:%d.%m.%Y} kl. {start:%H:%M}–{end:%H:%M}"


def _body(meeting: Meeting, method: str, link: str) -> str:
    when = _when(meeting)
    if method == "CANCEL":
        first = _("The meeting %(when)s is cancelled.") % {"when": when}
    elif meeting.sequence > 0:
        first = _("A meeting you are invited to has changed. It is now %(when)s.") % {
            "when": when}
    else:
        first = _("You are invited to a meeting %(when)s.") % {"when": when}
    return "\n\n".join([
        first,
        _("Read more about the meeting in Ettervern (you sign in first):"),
        link,
        _("The calendar file is attached. This e-mail has been sent automatically; "
          "please do not reply to it."),
    ]) + "\n"


def _notice(meeting: Meeting, method: str) -> str:
    when = _when(meeting)
    if method == "CANCEL":
        return _("The meeting %(when)s is cancelled.") % {"when": when}
    if meeting.sequence > 0:
        return _("A meeting has changed: now %(when)s.") % {"when": when}
    return _("You are invited to a meeting %(when)s.") % {"when": when}


def send(meeting: Meeting, participants: Iterable[Participant], *,
         method: str | None = None) -> int:
    """Send the meeting as it now stands to `participants` (REQUEST, or CANCEL for a cancelled
    meeting or a participant taken off it). Returns how many e-mails were queued."""
    from ettervern.messaging.mail import mail_later
    from ettervern.messaging.notify import notify

    method = method or ics.method_of(meeting)
    queued = 0
    users = []
    with translation.override(settings.LANGUAGE_CODE):
        for participant in participants:
            if not consent_active(participant):
                continue  # checked again at each sending: a withdrawn consent ends it
            link = link_for(meeting, participant)
            if participant.email:
                attachment = ics.calendar(meeting, attendees=[participant], link=link,
                                          neutral=True, method=method)
                mail_later(to=[participant.email], subject=SUBJECT,
                           body=_body(meeting, method, link),
                           attachments=[(ICS_FILENAME, attachment.decode(),
                                         f"text/calendar; method={method}")])
                queued += 1
            user = participant.user
            if user is not None:
                users.append((user, path_for(meeting, participant)))
        for user, path in users:
            notify(users=[user], kind="meeting", text=_notice(meeting, method), link=path,
                   pathway=meeting.pathway)
    return queued
