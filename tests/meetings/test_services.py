"""The meeting services: arranging, changing, cancelling, marking held, participants (the
care team, the patient, a next of kin only with the patient's consent to "meetings"),
minutes, decisions and the task a decision becomes. Refusals store nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, StaleVersion
from ettervern.meetings import services
from ettervern.meetings.models import Decision, Meeting, Participant
from ettervern.messaging import jobs
from ettervern.messaging.models import Notification
from ettervern.patients.models import Consent
from tests.meetings.conftest import at, with_email
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db


def _arrange(pathway, who, **changes):  # type: ignore[no-untyped-def]
    fields = {"kind": "network", "starts_at": at(3), "ends_at": at(3, 11),
              "place": "Poliklinikken"} | changes
    return services.meeting_arrange(actor=act(who), pathway=pathway, **fields)


def test_arranging_makes_the_arranger_a_participant_and_invites_them(meeting, arranger):  # type: ignore[no-untyped-def]
    assert meeting.status == "planned"
    assert meeting.stay is not None and meeting.stay.pathway_id == meeting.pathway_id
    assert meeting.uid.endswith("@ettervern") and meeting.sequence == 0
    (me,) = meeting.participants.all()
    assert (me.staff_id, me.email) == (arranger.pk, "koordinator@poliklinikken.example.no")
    assert Notification.objects.filter(user=arranger.user, kind="meeting").count() == 1
    jobs.run_pending()
    assert [m.to for m in mail.outbox] == [["koordinator@poliklinikken.example.no"]]
    assert mail.outbox[0].subject == "Ettervern-møte"


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_at": at(3, 9)}, "ends_at"),
    ({"ends_at": at(3, 23)}, "ends_at"),
    ({"place": "", "video_link": ""}, "place"),
    ({"place": "", "video_link": "http://video.example.no/rom"}, "video_link"),
    ({"video_link": "javascript:alert(1)"}, "video_link"),
    ({"kind": "party"}, "kind"),
    ({"starts_at": at(3000), "ends_at": at(3000, 11)}, "starts_at"),
    ({"starts_at": dt.datetime(2026, 1, 1, 10), "ends_at": dt.datetime(2026, 1, 1, 11)},
     "starts_at"),
    ({"place": "x" * 201}, "place"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(pathway, coordinator,  # type: ignore[no-untyped-def]
                                                                    changes, field):
    with pytest.raises(InvalidInput) as refused:
        _arrange(pathway, coordinator, **changes)
    assert refused.value.field == field
    assert Meeting.objects.count() == 0


def test_a_discharge_meeting_needs_a_residential_stay(pathway, coordinator):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        _arrange(pathway, coordinator, kind="before_discharge")
    assert refused.value.field == "kind"
    assert Meeting.objects.count() == 0


def test_a_video_meeting_needs_no_place(pathway, coordinator):  # type: ignore[no-untyped-def]
    made = _arrange(pathway, coordinator, place="", video_link="https://video.example.no/r/1")
    assert made.video_link == "https://video.example.no/r/1"


def test_who_may_arrange(pathway, treating_clinician, municipal, nav, gp, patient_user,  # type: ignore[no-untyped-def]
                         kin_meetings, outsider, colleague):
    for allowed in (treating_clinician, municipal, colleague):
        _arrange(pathway, allowed)
    for refused_as, error in ((nav, Forbidden), (gp, Forbidden), (patient_user, Forbidden),
                              (kin_meetings, Forbidden), (outsider, NotFound)):
        with pytest.raises(error):
            _arrange(pathway, refused_as)
    assert Meeting.objects.count() == 3


def test_participants_from_the_team_the_patient_and_consenting_next_of_kin(  # type: ignore[no-untyped-def]
        meeting, arranger, municipal, patient_user, kin, outsider):
    with_email(municipal, "kommune@example.no")
    services.participant_add(actor=act(arranger), meeting=meeting, staff=municipal)
    services.participant_add(actor=act(arranger), meeting=meeting, patient=True,
                             email="pasient@example.no")
    services.participant_add(actor=act(arranger), meeting=meeting, next_of_kin=kin.public_id,
                             email="randi@example.no")
    kinds = sorted(p.kind for p in meeting.participants.all())
    assert kinds == ["next_of_kin", "patient", "staff", "staff"]
    assert Participant.objects.get(meeting=meeting, staff=municipal).email == "kommune@example.no"
    # Someone not on the care team is refused, and so is inviting anyone twice.
    with pytest.raises(InvalidInput):
        services.participant_add(actor=act(arranger), meeting=meeting, staff=outsider)
    with pytest.raises(RuleViolation):
        services.participant_add(actor=act(arranger), meeting=meeting, staff=municipal)
    with pytest.raises(InvalidInput):
        services.participant_add(actor=act(arranger), meeting=meeting)
    assert meeting.participants.count() == 4
    # Each was told in the app where they have a login.
    assert Notification.objects.filter(kind="meeting", user=patient_user).exists()
    assert Notification.objects.filter(kind="meeting", user=kin.user).exists()


def test_a_next_of_kin_without_consent_to_meetings_is_refused(meeting, arranger, pathway):  # type: ignore[no-untyped-def]
    from ettervern.patients.models import NextOfKin

    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name="Per", relation="bror")
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="pathway",
                           given_at=clock.now(), valid_from=clock.today())
    with pytest.raises(RuleViolation) as refused:
        services.participant_add(actor=act(arranger), meeting=meeting, next_of_kin=kin)
    assert "samtykket til å dele møter" in str(refused.value)
    assert not meeting.participants.filter(next_of_kin=kin).exists()


def test_a_withdrawn_consent_stops_the_next_invitation(meeting, arranger, kin):  # type: ignore[no-untyped-def]
    services.participant_add(actor=act(arranger), meeting=meeting, next_of_kin=kin,
                             email="randi@example.no")
    jobs.run_pending()
    assert any(m.to == ["randi@example.no"] for m in mail.outbox)
    Consent.objects.filter(next_of_kin=kin).update(withdrawn_at=clock.now())
    mail.outbox.clear()
    services.meeting_update(actor=act(arranger), meeting=meeting,
                            expected_version=meeting.version, starts_at=at(8),
                            ends_at=at(8, 11), place=meeting.place)
    jobs.run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == ["koordinator@poliklinikken.example.no"]


def test_an_update_bumps_the_sequence_and_tells_everyone(meeting, arranger):  # type: ignore[no-untyped-def]
    uid = meeting.uid
    services.meeting_update(actor=act(arranger), meeting=meeting,
                            expected_version=meeting.version, starts_at=at(8),
                            ends_at=at(8, 11), place="Rådhuset")
    meeting.refresh_from_db()
    assert (meeting.uid, meeting.sequence, meeting.place) == (uid, 1, "Rådhuset")
    # A stale version changes nothing.
    with pytest.raises(StaleVersion):
        services.meeting_update(actor=act(arranger), meeting=meeting, expected_version=1,
                                starts_at=at(9), ends_at=at(9, 11), place="Et annet sted")
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.place) == (1, "Rådhuset")
    # Only the agenda: no new revision in anybody's calendar.
    services.meeting_update(actor=act(arranger), meeting=meeting,
                            expected_version=meeting.version, starts_at=meeting.starts_at,
                            ends_at=meeting.ends_at, place=meeting.place, agenda="Ny agenda")
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.agenda) == (1, "Ny agenda")


def test_cancel_sends_a_cancellation_and_ends_the_changes(meeting, arranger):  # type: ignore[no-untyped-def]
    services.meeting_cancel(actor=act(arranger), meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    assert meeting.cancelled_at is not None
    jobs.run_pending()
    assert "avlyst" in mail.outbox[-1].body
    for step in (lambda: services.meeting_cancel(actor=act(arranger), meeting=meeting),
                 lambda: services.meeting_mark_held(actor=act(arranger), meeting=meeting),
                 lambda: services.decision_add(actor=act(arranger), meeting=meeting, text="x")):
        with pytest.raises(RuleViolation):
            step()


def test_mark_held_once_it_has_started(meeting, arranger):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation):
        services.meeting_mark_held(actor=act(arranger), meeting=meeting)
    with clock.frozen(at(7, 10, 30)):
        services.meeting_mark_held(actor=act(arranger), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.held_at is not None
    # The discharge checkpoint's query, as the discharge app reads it.
    assert Meeting.objects.filter(pathway=meeting.pathway, kind="before_discharge",
                                  status="held").exists()
    # Held: the time stays as it was, the minutes can still be written.
    with pytest.raises(RuleViolation):
        services.meeting_update(actor=act(arranger), meeting=meeting,
                                expected_version=meeting.version, starts_at=at(9),
                                ends_at=at(9, 11), place="x")
    services.meeting_write(actor=act(arranger), meeting=meeting,
                           expected_version=meeting.version, minutes="Bolig er avklart.")
    meeting.refresh_from_db()
    assert meeting.minutes == "Bolig er avklart."


def test_removing_a_participant_sends_them_a_cancellation(meeting, arranger, municipal):  # type: ignore[no-untyped-def]
    with_email(municipal, "kommune@example.no")
    added = services.participant_add(actor=act(arranger), meeting=meeting, staff=municipal)
    jobs.run_pending()
    mail.outbox.clear()
    services.participant_remove(actor=act(arranger), participant=added)
    assert not Participant.objects.filter(pk=added.pk).exists()
    jobs.run_pending()
    assert [m.to for m in mail.outbox] == [["kommune@example.no"]]
    assert "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]


def test_a_decision_becomes_a_task_once(meeting, arranger, municipal):  # type: ignore[no-untyped-def]
    services.participant_add(actor=act(arranger), meeting=meeting, staff=municipal)
    decision = services.decision_add(actor=act(arranger), meeting=meeting,
                                     text="Kommunen skaffer bolig før utskriving")
    due = clock.today() + dt.timedelta(days=14)
    task = services.decision_to_task(actor=act(arranger), decision=decision,
                                     owner=str(municipal.public_id), due_on=due)
    decision.refresh_from_db()
    assert decision.task_id == task.pk
    assert (task.owner_id, task.due_on, task.source, task.pathway_id) == (
        municipal.user_id, due, "meeting", meeting.pathway_id)
    assert task.title == "Kommunen skaffer bolig før utskriving"
    with pytest.raises(RuleViolation):
        services.decision_to_task(actor=act(arranger), decision=decision,
                                  owner=str(municipal.public_id), due_on=due)


def test_an_empty_decision_is_refused(meeting, arranger):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        services.decision_add(actor=act(arranger), meeting=meeting, text="   ")
    assert Decision.objects.count() == 0


def test_refused_writes_change_nothing(meeting, nav, kin_meetings, outsider):  # type: ignore[no-untyped-def]
    before = (meeting.version, meeting.sequence, meeting.participants.count())
    for who, error in ((nav, Forbidden), (kin_meetings, Forbidden), (outsider, NotFound)):
        with pytest.raises(error):
            services.meeting_cancel(actor=act(who), meeting=meeting)
        with pytest.raises(error):
            services.meeting_write(actor=act(who), meeting=meeting,
                                   expected_version=meeting.version, minutes="x")
        with pytest.raises(error):
            services.decision_add(actor=act(who), meeting=meeting, text="x")
    meeting.refresh_from_db()
    assert (meeting.version, meeting.sequence, meeting.participants.count()) == before
    assert Decision.objects.count() == 0


def test_a_decision_can_be_the_patients_task(meeting, arranger, patient_user):  # type: ignore[no-untyped-def]
    from ettervern.meetings.selectors import task_owners

    assert "patient" not in dict(task_owners(meeting))
    services.participant_add(actor=act(arranger), meeting=meeting, patient=True)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert "patient" in dict(task_owners(meeting))
    decision = services.decision_add(actor=act(arranger), meeting=meeting,
                                     text="Søke om bostøtte")
    task = services.decision_to_task(actor=act(arranger), decision=decision, owner="patient",
                                     due_on=clock.today() + dt.timedelta(days=7))
    assert task.owner_id == patient_user.pk
