"""Meetings, as endpoints (mounted by api.api): a pathway's meetings, arranging, changing,
cancelling and marking one held, its participants, agenda and minutes, decisions (and the
task a decision becomes), and the .ics file.

Each endpoint parses input, builds the Actor, calls the one selector or service the pages call
too, and renders; access, audit and every rule live there. A write looks the meeting up
without reading it (`meeting_lookup`), so that the service's check is the one audited
decision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, Blankable, In, PageNumber, PageOut, Text, page_fields
from ettervern.meetings import selectors, services
from ettervern.meetings.ics import CONTENT_TYPE
from ettervern.meetings.models import (
    AGENDA_MAX_LENGTH,
    DECISION_MAX_LENGTH,
    LINK_MAX_LENGTH,
    MINUTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    Decision,
    Meeting,
    Participant,
)
from ettervern.pathways.selectors import pathway_lookup
from ettervern.rights.services import patient_of

router = Router(tags=["meetings"])
PAGE_SIZE = 50


# --- schemas -----------------------------------------------------------------------------------

class ParticipantOut(Schema):
    id: uuid.UUID
    kind: str = Field(description="staff, patient or next_of_kin")
    name: str
    email: str
    response: str
    staff_id: uuid.UUID | None
    next_of_kin_id: uuid.UUID | None
    ics_url: str = Field(description="This participant's .ics file in the API")


class DecisionOut(Schema):
    id: uuid.UUID
    text: str
    created_at: dt.datetime
    task_id: uuid.UUID | None = Field(description="The task the decision became, if any")


class MeetingOut(Schema):
    id: uuid.UUID
    pathway_id: uuid.UUID
    kind: str
    kind_label: str
    stay_id: uuid.UUID | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    video_link: str
    agenda: str
    minutes: str
    status: str
    status_label: str
    held_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    uid: str = Field(description="The iCalendar UID, the same across updates")
    sequence: int = Field(description="The iCalendar SEQUENCE: grows with each change")
    version: int
    participants: list[ParticipantOut]
    decisions: list[DecisionOut]
    url: str
    page_url: str


class MeetingPage(PageOut):
    items: list[MeetingOut]


class MeetingIn(In):
    kind: Meeting.Kind
    starts_at: dt.datetime = Field(description="With its offset, e.g. 2026-12-01T10:00:00+01:00")
    ends_at: dt.datetime
    place: Text = Field(default="", max_length=PLACE_MAX_LENGTH)
    video_link: Text = Field(default="", max_length=LINK_MAX_LENGTH,
                             description="https:// only; a place or a video link is needed")
    agenda: Text = Field(default="", max_length=AGENDA_MAX_LENGTH)
    stay_id: uuid.UUID | None = Field(default=None, description="The residential stay a "
                                      "meeting before or after discharge belongs to; default "
                                      "the ongoing (before) or last discharged (after) stay")


class MeetingUpdateIn(In):
    version: int = Field(ge=1, description="The version read")
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: Text = Field(default="", max_length=PLACE_MAX_LENGTH)
    video_link: Text = Field(default="", max_length=LINK_MAX_LENGTH)
    agenda: Text | None = Field(default=None, max_length=AGENDA_MAX_LENGTH,
                                description="Left out: unchanged")


class MinutesIn(In):
    version: int = Field(ge=1, description="The version read")
    agenda: Text | None = Field(default=None, max_length=AGENDA_MAX_LENGTH)
    minutes: Text | None = Field(default=None, max_length=MINUTES_MAX_LENGTH)


class ParticipantIn(In):
    kind: Literal["staff", "patient", "next_of_kin"]
    staff_id: uuid.UUID | None = Field(default=None, description="For kind staff")
    next_of_kin_id: uuid.UUID | None = Field(default=None, description="For kind next_of_kin")
    email: Text = Field(default="", max_length=254, description="Where the invitation goes "
                                                                "(staff: default their own)")


class DecisionIn(In):
    text: Text = Field(max_length=DECISION_MAX_LENGTH)


class TaskIn(In):
    owner: Text = Field(max_length=40, description="A staff member's id, or `patient`")
    due_on: dt.date


class IcsQuery(Schema):
    participant: Annotated[uuid.UUID | None, Blankable] = Field(
        default=None, description="The participant whose file it is")


class ListQuery(Schema):
    page: PageNumber = 1


# --- answers -----------------------------------------------------------------------------------

def participant_out(meeting: Meeting, p: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=p.public_id, kind=p.kind, name=p.name, email=p.email, response=p.response,
        staff_id=p.staff.public_id if p.staff is not None else None,
        next_of_kin_id=p.next_of_kin.public_id if p.next_of_kin is not None else None,
        ics_url=reverse("api:meeting_ics", kwargs={"id": meeting.public_id})
        + f"?participant={p.public_id}")


def decision_out(d: Decision) -> DecisionOut:
    task = getattr(d, "task", None)
    return DecisionOut(id=d.public_id, text=d.text, created_at=d.created_at,
                       task_id=task.public_id if task is not None else None)


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.public_id, pathway_id=meeting.pathway.public_id, kind=meeting.kind,
        kind_label=str(meeting.get_kind_display()),
        stay_id=meeting.stay.public_id if meeting.stay is not None else None,
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, place=meeting.place,
        video_link=meeting.video_link, agenda=meeting.agenda, minutes=meeting.minutes,
        status=meeting.status, status_label=str(meeting.get_status_display()),
        held_at=meeting.held_at, cancelled_at=meeting.cancelled_at, uid=meeting.uid,
        sequence=meeting.sequence, version=meeting.version,
        participants=[participant_out(meeting, p) for p in meeting.participants.all()],
        decisions=[decision_out(d) for d in meeting.decisions.all()],
        url=reverse("api:meeting", kwargs={"id": meeting.public_id}),
        page_url=reverse("meetings:meeting", kwargs={"public_id": meeting.public_id}))


def _fresh(meeting: Meeting) -> MeetingOut:
    return meeting_out(selectors.meeting_lookup(meeting.public_id))


def _page(meetings: list[Meeting], page: int) -> MeetingPage:
    found = Paginator(meetings, PAGE_SIZE).get_page(page)
    return MeetingPage(items=[meeting_out(m) for m in found.object_list], **page_fields(found))


# --- a pathway's meetings -------------------------------------------------------------------------

@router.get("/pathways/{id}/meetings", response={200: MeetingPage, **ERRORS},
            summary="A pathway's meetings")
def pathway_meetings(request: HttpRequest, id: uuid.UUID, params: Query[ListQuery]
                     ) -> MeetingPage:
    """The coming meetings first (soonest first), then past and cancelled ones: for the care
    team, the patient, and a next of kin with the patient's consent to "meetings"."""
    _pathway, meetings = selectors.pathway_meetings(actor=actor_from_request(request, "api"),
                                                    public_id=id)
    return _page(meetings, params.page)


@router.post("/pathways/{id}/meetings", response={201: MeetingOut, **ERRORS},
             summary="Arrange a meeting")
def arrange_meeting(request: HttpRequest, id: uuid.UUID, payload: MeetingIn
                    ) -> Status[MeetingOut]:
    """The clinics, the residential unit and the municipality. The arranger takes part (and
    is invited); add the others with `/meetings/{id}/participants`."""
    made = services.meeting_arrange(
        actor=actor_from_request(request, "api"), pathway=pathway_lookup(id),
        kind=payload.kind, starts_at=payload.starts_at, ends_at=payload.ends_at,
        place=payload.place, video_link=payload.video_link, agenda=payload.agenda,
        stay=payload.stay_id)
    return Status(201, _fresh(made))


@router.get("/me/meetings", response={200: MeetingPage, **ERRORS}, summary="My meetings")
def my_meetings(request: HttpRequest, params: Query[ListQuery]) -> MeetingPage:
    """The signed-in patient's meetings."""
    patient = patient_of(actor_from_request(request, "api"))
    return _page(selectors.own_meetings(patient), params.page)


# --- one meeting --------------------------------------------------------------------------------

@router.get("/meetings/{id}", response={200: MeetingOut, **ERRORS}, summary="A meeting")
def meeting(request: HttpRequest, id: uuid.UUID) -> MeetingOut:
    return meeting_out(selectors.meeting_get(actor=actor_from_request(request, "api"),
                                             public_id=id))


@router.patch("/meetings/{id}", response={200: MeetingOut, **ERRORS},
              summary="Change the time or place")
def update_meeting(request: HttpRequest, id: uuid.UUID, payload: MeetingUpdateIn
                   ) -> MeetingOut:
    """A planned meeting, against the `version` read. A new time or place reaches the
    participants' calendars as an update (the sequence grows)."""
    found = selectors.meeting_lookup(id)
    services.meeting_update(actor=actor_from_request(request, "api"), meeting=found,
                            expected_version=payload.version, starts_at=payload.starts_at,
                            ends_at=payload.ends_at, place=payload.place,
                            video_link=payload.video_link, agenda=payload.agenda)
    return _fresh(found)


@router.post("/meetings/{id}/cancel", response={200: MeetingOut, **ERRORS},
             summary="Cancel a meeting")
def cancel_meeting(request: HttpRequest, id: uuid.UUID) -> MeetingOut:
    """Every participant's calendar receives the cancellation. Cannot be undone."""
    found = selectors.meeting_lookup(id)
    services.meeting_cancel(actor=actor_from_request(request, "api"), meeting=found)
    return _fresh(found)


@router.post("/meetings/{id}/held", response={200: MeetingOut, **ERRORS},
             summary="Mark a meeting as held")
def mark_meeting_held(request: HttpRequest, id: uuid.UUID) -> MeetingOut:
    """Once it has started. Cannot be undone."""
    found = selectors.meeting_lookup(id)
    services.meeting_mark_held(actor=actor_from_request(request, "api"), meeting=found)
    return _fresh(found)


@router.put("/meetings/{id}/minutes", response={200: MeetingOut, **ERRORS},
            summary="Write the agenda and minutes")
def write_minutes(request: HttpRequest, id: uuid.UUID, payload: MinutesIn) -> MeetingOut:
    found = selectors.meeting_lookup(id)
    services.meeting_write(actor=actor_from_request(request, "api"), meeting=found,
                           expected_version=payload.version, agenda=payload.agenda,
                           minutes=payload.minutes)
    return _fresh(found)


@router.post("/meetings/{id}/participants", response={201: ParticipantOut, **ERRORS},
             summary="Invite a participant")
def add_participant(request: HttpRequest, id: uuid.UUID, payload: ParticipantIn
                    ) -> Status[ParticipantOut]:
    """A staff member on the care team, the patient, or a next of kin or trust person while
    the patient's consent to "meetings" is active. Invited at once."""
    found = selectors.meeting_lookup(id)
    made = services.participant_add(
        actor=actor_from_request(request, "api"), meeting=found,
        staff=payload.staff_id if payload.kind == "staff" else None,
        patient=payload.kind == "patient",
        next_of_kin=payload.next_of_kin_id if payload.kind == "next_of_kin" else None,
        email=payload.email)
    return Status(201, participant_out(found, made))


@router.delete("/meetings/{id}/participants/{participant_id}", response={204: None, **ERRORS},
               summary="Take a participant off")
def remove_participant(request: HttpRequest, id: uuid.UUID,
                       participant_id: uuid.UUID) -> Status[None]:
    """Their calendar receives a cancellation."""
    found = selectors.meeting_lookup(id)
    participant = selectors.participant_lookup(found, participant_id)
    services.participant_remove(actor=actor_from_request(request, "api"),
                                participant=participant)
    return Status(204, None)


@router.post("/meetings/{id}/decisions", response={201: DecisionOut, **ERRORS},
             summary="Record a decision")
def add_decision(request: HttpRequest, id: uuid.UUID, payload: DecisionIn
                 ) -> Status[DecisionOut]:
    found = selectors.meeting_lookup(id)
    made = services.decision_add(actor=actor_from_request(request, "api"), meeting=found,
                                 text=payload.text)
    return Status(201, decision_out(made))


class TaskOut(Schema):
    id: uuid.UUID
    title: str
    owner_name: str
    due_on: dt.date
    decision_id: uuid.UUID


@router.post("/meeting-decisions/{id}/task", response={201: TaskOut, **ERRORS},
             summary="Make a decision a task")
def decision_task(request: HttpRequest, id: uuid.UUID, payload: TaskIn) -> Status[TaskOut]:
    """The task goes to a staff member on the care team or the patient, due on `due_on`; the
    decision links to it. Once per decision."""
    from ettervern.tasks.selectors import owner_name

    decision = selectors.decision_lookup(id)
    task = services.decision_to_task(actor=actor_from_request(request, "api"),
                                     decision=decision, owner=payload.owner,
                                     due_on=payload.due_on)
    return Status(201, TaskOut(id=task.public_id, title=task.title, owner_name=owner_name(task),
                               due_on=task.due_on, decision_id=decision.public_id))


@router.get("/meetings/{id}/ics", response={200: None, **ERRORS},
            summary="The meeting as an .ics file")
def meeting_ics(request: HttpRequest, id: uuid.UUID, params: Query[IcsQuery]) -> HttpResponse:
    """text/calendar: the event (UID stable across updates, SEQUENCE, Europe/Oslo), every
    participant with an e-mail address as an attendee; METHOD:CANCEL once cancelled."""
    download = selectors.meeting_ics(actor=actor_from_request(request, "api"), public_id=id,
                                     participant=params.participant)
    response = HttpResponse(download.content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    return response
