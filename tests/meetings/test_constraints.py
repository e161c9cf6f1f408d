"""The database's own guards on meetings, whatever writes the rows (both databases): a meeting
ends after it starts and has a place or an https video link; a participant is exactly one
kind of person, once per meeting."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ettervern.meetings.models import Meeting, Participant
from tests.meetings.conftest import at

pytestmark = pytest.mark.django_db


def _meeting(pathway, coordinator, **changes):  # type: ignore[no-untyped-def]
    fields = {"pathway": pathway, "kind": "network", "starts_at": at(3),
              "ends_at": at(3, 11), "place": "Rådhuset",
              "arranged_by": coordinator.user} | changes
    return Meeting.objects.create(**fields)


@pytest.mark.parametrize("changes", [
    {"ends_at": at(3, 10)},
    {"ends_at": at(3, 9)},
    {"place": "", "video_link": ""},
    {"video_link": "http://video.example.no"},
    {"status": "held"},
    {"status": "cancelled"},
])
def test_a_meeting_the_database_refuses(pathway, coordinator, changes):  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting(pathway, coordinator, **changes)
    assert Meeting.objects.count() == 0


def test_participants(pathway, coordinator, municipal, kin):  # type: ignore[no-untyped-def]
    meeting = _meeting(pathway, coordinator)
    Participant.objects.create(meeting=meeting, staff=municipal, name="a")
    Participant.objects.create(meeting=meeting, patient=pathway.patient, name="b")
    Participant.objects.create(meeting=meeting, next_of_kin=kin, name="c")
    for fields in ({"staff": municipal}, {"patient": pathway.patient}, {"next_of_kin": kin},
                   {}, {"staff": coordinator, "patient": pathway.patient},
                   {"staff": coordinator, "next_of_kin": kin}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Participant.objects.create(meeting=meeting, name="x", **fields)
    assert meeting.participants.count() == 3
    # The same people on another meeting are fine.
    other = _meeting(pathway, coordinator)
    Participant.objects.create(meeting=other, staff=municipal, name="a")
