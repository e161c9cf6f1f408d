"""The .ics file: it parses, has its UID across updates, the SEQUENCE, Europe/Oslo with a
VTIMEZONE, an ATTENDEE per participant with an address, METHOD:REQUEST, and on cancel
METHOD:CANCEL with STATUS:CANCELLED. The e-mailed invitation (and its attachment) names no
patient and carries no health data."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail

from ettervern.meetings import selectors, services
from ettervern.meetings.ics import OSLO
from ettervern.messaging import jobs
from tests.meetings.conftest import at, with_email
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db


def _event(content: bytes | str) -> tuple[icalendar.Calendar, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(content)
    (event,) = cal.walk("VEVENT")
    return cal, event


def _attendees(event: icalendar.Event) -> list[str]:
    found = event.get("attendee", [])
    found = found if isinstance(found, list) else [found]
    return sorted(str(a).removeprefix("mailto:") for a in found)


@pytest.fixture
def invited(meeting, arranger, municipal, kin):  # type: ignore[no-untyped-def]
    with_email(municipal, "kommune@example.no")
    services.participant_add(actor=act(arranger), meeting=meeting, staff=municipal)
    services.participant_add(actor=act(arranger), meeting=meeting, patient=True)  # no address
    services.participant_add(actor=act(arranger), meeting=meeting, next_of_kin=kin,
                             email="randi@example.no")
    meeting.refresh_from_db()
    return meeting


def test_the_downloaded_file(invited, arranger):  # type: ignore[no-untyped-def]
    download = selectors.meeting_ics(actor=act(arranger), public_id=invited.public_id)
    assert download.filename.endswith(".ics")
    cal, event = _event(download.content)
    assert str(cal["method"]) == "REQUEST"
    assert str(event["uid"]) == invited.uid
    assert int(event["sequence"]) == 0
    assert str(event["summary"]) == "Samarbeidsmøte før utskriving"
    start, end = event["dtstart"], event["dtend"]
    assert start.params["TZID"] == "Europe/Oslo" and end.params["TZID"] == "Europe/Oslo"
    assert start.dt == at(7) and end.dt == at(7, 11)
    assert start.dt.utcoffset() == at(7).astimezone(OSLO).utcoffset()
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    # The staff taking part, named, with their work addresses; a next of kin's private address
    # is in their own file only.
    assert _attendees(event) == ["kommune@example.no", "koordinator@poliklinikken.example.no"]
    names = sorted(a.params["CN"] for a in event["attendee"])
    assert names == sorted(["Staff koord", "Staff kommune"])
    assert "Ettervern" in str(event["organizer"].params["CN"])
    kin = invited.participants.get(next_of_kin__isnull=False)
    _cal, own = _event(selectors.meeting_ics(actor=act(arranger), public_id=invited.public_id,
                                             participant=kin.public_id).content)
    assert _attendees(own) == ["kommune@example.no", "koordinator@poliklinikken.example.no",
                               "randi@example.no"]


def test_an_update_keeps_the_uid_and_raises_the_sequence(invited, arranger):  # type: ignore[no-untyped-def]
    services.meeting_update(actor=act(arranger), meeting=invited,
                            expected_version=invited.version,
                            starts_at=dt.datetime(2027, 1, 12, 13, 30, tzinfo=OSLO),
                            ends_at=dt.datetime(2027, 1, 12, 15, tzinfo=OSLO), place="Rådhuset")
    _cal, event = _event(selectors.meeting_ics(actor=act(arranger),
                                               public_id=invited.public_id).content)
    assert (str(event["uid"]), int(event["sequence"])) == (invited.uid, 1)
    assert event["dtstart"].dt == dt.datetime(2027, 1, 12, 13, 30, tzinfo=OSLO)
    assert event["dtstart"].dt.utcoffset() == dt.timedelta(hours=1)  # winter: CET
    assert str(event["location"]) == "Rådhuset"


def test_a_cancellation(invited, arranger):  # type: ignore[no-untyped-def]
    services.meeting_cancel(actor=act(arranger), meeting=invited)
    cal, event = _event(selectors.meeting_ics(actor=act(arranger),
                                              public_id=invited.public_id).content)
    assert str(cal["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert (str(event["uid"]), int(event["sequence"])) == (invited.uid, 1)


def test_the_patient_and_the_next_of_kin_download_their_own(invited, patient_user,  # type: ignore[no-untyped-def]
                                                               kin_meetings):
    mine = next(p for p in invited.participants.all() if p.patient_id)
    theirs = next(p for p in invited.participants.all() if p.next_of_kin_id)
    for who, participant in ((patient_user, mine), (kin_meetings, theirs)):
        download = selectors.meeting_ics(actor=act(who), public_id=invited.public_id,
                                         participant=participant.public_id)
        _cal, event = _event(download.content)
        assert str(event["uid"]) == invited.uid


def test_a_next_of_kin_whose_consent_is_withdrawn_gets_nothing(invited, kin, arranger):  # type: ignore[no-untyped-def]
    from ettervern.core import clock
    from ettervern.core.errors import NotFound
    from ettervern.patients.models import Consent

    theirs = next(p for p in invited.participants.all() if p.next_of_kin_id)
    Consent.objects.filter(next_of_kin=kin).update(withdrawn_at=clock.now())
    with pytest.raises(NotFound):
        selectors.meeting_ics(actor=act(arranger), public_id=invited.public_id,
                              participant=theirs.public_id)
    _cal, event = _event(selectors.meeting_ics(actor=act(arranger),
                                               public_id=invited.public_id).content)
    assert "randi@example.no" not in _attendees(event)


def test_the_emailed_invitation_names_no_patient_and_carries_no_health_data(  # type: ignore[no-untyped-def]
        invited, arranger, pathway):
    services.meeting_update(actor=act(arranger), meeting=invited,
                            expected_version=invited.version, starts_at=at(9),
                            ends_at=at(9, 11), place="Døgnavdelingen for rusbehandling")
    services.meeting_cancel(actor=act(arranger), meeting=invited)
    jobs.run_pending()
    patient = pathway.patient
    secrets = [patient.given_name, patient.family_name, patient.national_id,
               "Bolig etter utskriving", "Døgnavdeling", "rusbehandling", "Samarbeidsmøte",
               "utskriving", "Randi Berg", "Staff"]
    assert {m.to[0] for m in mail.outbox} == {"koordinator@poliklinikken.example.no",
                                              "kommune@example.no", "randi@example.no"}
    methods = set()
    for message in mail.outbox:
        assert message.subject == "Ettervern-møte"
        ((filename, content, mimetype),) = message.attachments
        assert filename == "ettervern-mote.ics" and mimetype.startswith("text/calendar")
        for text in (message.subject, message.body, content):
            for secret in secrets:
                assert secret not in text, (secret, message.to)
        link = f"/moter/{invited.public_id}/"
        assert link in message.body
        cal, event = _event(content)
        methods.add(str(cal["method"]))
        assert str(event["summary"]) == "Ettervern-møte"
        assert str(event["description"]).endswith(link)
        assert "location" not in event
        # Only the recipient, without a name.
        assert _attendees(event) == [message.to[0]]
        assert "CN" not in event["attendee"].params
        assert "kl." in message.body  # the time
    assert methods == {"REQUEST", "CANCEL"}
