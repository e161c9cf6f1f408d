"""A meeting as an iCalendar file (RFC 5545, with the iTIP methods of RFC 5546).

One event per meeting: its UID never changes and its SEQUENCE grows with each change, so that
an update (METHOD:REQUEST) replaces the event in a calendar and a cancellation (METHOD:CANCEL,
STATUS:CANCELLED) removes it. Times are written in Europe/Oslo (TZID) with its VTIMEZONE.

Two forms:
- the file a participant downloads in the app (`neutral=False`): the kind of meeting, the
  place or video link, the agenda, and every participant with an e-mail as an ATTENDEE (CN:
  their name);
- the file e-mailed with an invitation (`neutral=True`): SUMMARY "Ettervern-møte", DESCRIPTION
  only the link to the meeting in the app, no place, and only the recipient as ATTENDEE,
  without a name. An e-mail may pass through servers outside health care: it names no patient
  and carries no health data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from ettervern.core import clock
from ettervern.meetings.models import Meeting, Participant

OSLO = ZoneInfo("Europe/Oslo")
NEUTRAL_TITLE = "Ettervern-møte"
PRODID = "-//Ettervern//Møter//NO"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def method_of(meeting: Meeting) -> str:
    return "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"


def organizer() -> icalendar.vCalAddress:
    """The system sends the invitations: its address, the same on every revision."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "ikke-svar@ettervern.no"
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = "Ettervern"
    return organizer


def _attendee(participant: Participant, *, named: bool) -> icalendar.vCalAddress:
    attendee = icalendar.vCalAddress(f"mailto:{participant.email}")
    if named:
        attendee.params["CN"] = participant.name
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["CUTYPE"] = "INDIVIDUAL"
    partstat = {"accepted": "ACCEPTED", "tentative": "TENTATIVE",
                "declined": "DECLINED"}.get(participant.response, "NEEDS-ACTION")
    attendee.params["PARTSTAT"] = partstat
    attendee.params["RSVP"] = "FALSE"
    return attendee


def calendar(meeting: Meeting, *, attendees: Iterable[Participant], link: str,
             neutral: bool, summary: str = "", description: str = "",
             method: str | None = None) -> bytes:
    """The .ics file of `meeting`, with `attendees` (those with an e-mail address) listed.
    `summary` and `description` are the downloaded file's (the neutral form ignores them)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    method = method or method_of(meeting)
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", clock.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(OSLO))
    event.add("dtend", meeting.ends_at.astimezone(OSLO))
    event.add("organizer", organizer())
    if neutral:
        event.add("summary", NEUTRAL_TITLE)
        event.add("description", link)
    else:
        event.add("summary", summary or NEUTRAL_TITLE)
        event.add("description", "\n\n".join(part for part in (description, link) if part))
        if meeting.place or meeting.video_link:
            event.add("location", meeting.place or meeting.video_link)
    event.add("url", link)
    cancelled = method == "CANCEL"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    for participant in attendees:
        if participant.email:
            event.add("attendee", _attendee(participant, named=not neutral))
    cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
