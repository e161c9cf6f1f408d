"""Every write of meetings: one function per use case, one transaction each.

Access is decided (and audited) by access.policy.require before the transaction opens:
MEETING_MANAGE to arrange, change, cancel, write the agenda and minutes, mark held, add and
remove participants and record decisions. A rule that refuses stores nothing and sends
nothing; the invitations are queued inside the transaction (meetings.invitations).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access.consent_kinds import MEETING_VIEW
from ettervern.access.policy import MEETING_MANAGE, Actor, permitted, require
from ettervern.core import clock
from ettervern.core.errors import InvalidInput, NotFound, RuleViolation
from ettervern.core.models import update_versioned
from ettervern.directory.models import Staff
from ettervern.meetings import invitations
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
from ettervern.pathways.models import Pathway, Stay
from ettervern.patients.models import NextOfKin

# A meeting lasts at most this long, and is arranged at most this far ahead or back.
MAX_DURATION = dt.timedelta(hours=12)
MAX_AHEAD = dt.timedelta(days=2 * 365)
# A meeting that took place can be recorded afterwards (arranged in the past) within this.
MAX_BACK = dt.timedelta(days=365)
DISCHARGE_KINDS = (Meeting.Kind.BEFORE_DISCHARGE, Meeting.Kind.AFTER_DISCHARGE)
# Roles that put a person on a meeting as a member of staff (not the patient's own people).
_PERSONAL = ("patient", "consent:")


def _text(value: Any, limit: int, what: Any, field: str) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not isinstance(value, str):
        raise InvalidInput(_("%(what)s must be text.") % {"what": what}, field=field)
    if len(value) > limit:
        raise InvalidInput(_("%(what)s can be at most %(limit)s characters.")
                           % {"what": what, "limit": limit}, field=field)
    return value


def _aware(value: Any, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise InvalidInput(_("Give a date and a time."), field=field)
    if value.tzinfo is None:
        raise InvalidInput(_("Give the time with its time zone."), field=field)
    return value


def _check_time(starts_at: Any, ends_at: Any) -> tuple[dt.datetime, dt.datetime]:
    starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise InvalidInput(_("The meeting must end after it starts."), field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise InvalidInput(_("A meeting can last at most 12 hours. Check the times."),
                           field="ends_at")
    now = clock.now()
    if starts_at > now + MAX_AHEAD:
        raise InvalidInput(_("A meeting is arranged at most two years ahead. Check the year."),
                           field="starts_at")
    if starts_at < now - MAX_BACK:
        raise InvalidInput(_("A meeting can be recorded at most a year after it took place. "
                             "Check the year."), field="starts_at")
    return starts_at, ends_at


def _check_where(place: Any, video_link: Any) -> tuple[str, str]:
    place = _text(place, PLACE_MAX_LENGTH, _("The place"), "place")
    video_link = _text(video_link, LINK_MAX_LENGTH, _("The video link"), "video_link")
    if not place and not video_link:
        raise InvalidInput(_("Give a place or a video link."), field="place")
    if video_link:
        from django.core.exceptions import ValidationError
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["https"])(video_link)
        except ValidationError:
            raise InvalidInput(_("The video link must be a whole address starting with "
                                 "https://."), field="video_link") from None
    return place, video_link


def _stay_for(pathway: Pathway, kind: str, stay: Stay | uuid.UUID | None) -> Stay | None:
    """The stay a meeting before or after discharge belongs to: the one given (on this
    pathway), or else the ongoing residential stay (before) or the last discharged one (after).
    A network meeting belongs to no stay."""
    if kind == Meeting.Kind.NETWORK:
        if stay is not None:
            raise InvalidInput(_("A network meeting belongs to no stay."), field="stay")
        return None
    stays = Stay.objects.filter(pathway=pathway, kind=Stay.Kind.RESIDENTIAL)
    if stay is not None:
        found = (stays.filter(pk=stay.pk) if isinstance(stay, Stay)
                 else stays.filter(public_id=stay)).first()
        if found is None:
            raise InvalidInput(_("Choose a residential stay on this pathway."), field="stay")
        return found
    if kind == Meeting.Kind.BEFORE_DISCHARGE:
        found = (stays.filter(status=Stay.Status.ONGOING).order_by("-admitted_on").first()
                 or stays.filter(status=Stay.Status.PLANNED).order_by("planned_start").first())
    else:
        found = (stays.filter(status=Stay.Status.DISCHARGED).order_by("-discharged_on").first()
                 or stays.filter(status=Stay.Status.ONGOING).first())
    if found is None:
        raise InvalidInput(_("A meeting before or after discharge needs a residential stay on "
                             "the pathway."), field="kind")
    return found


def _kind(value: Any) -> str:
    if value not in Meeting.Kind.values:
        raise InvalidInput(_("Choose the kind of meeting from the list."), field="kind")
    return str(value)


def _planned(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise RuleViolation(_("The meeting is cancelled."), field="status")
    if meeting.status == Meeting.Status.HELD:
        raise RuleViolation(_("The meeting has been held; its time and place stay as they "
                              "were."), field="status")


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("pathway").get(pk=meeting.pk)


def _recipients(meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.select_related("staff", "patient", "next_of_kin"))


# --- arranging --------------------------------------------------------------------------------

def meeting_arrange(*, actor: Actor, pathway: Pathway, kind: str, starts_at: dt.datetime,
                    ends_at: dt.datetime, place: str = "", video_link: str = "",
                    agenda: str = "", stay: Stay | uuid.UUID | None = None) -> Meeting:
    """Arrange a meeting on the pathway. The arranger, if on the care team, takes part; others
    are added as participants (each is invited as they are added)."""
    require(actor, pathway, MEETING_MANAGE)
    kind = _kind(kind)
    starts_at, ends_at = _check_time(starts_at, ends_at)
    place, video_link = _check_where(place, video_link)
    agenda = _text(agenda, AGENDA_MAX_LENGTH, _("The agenda"), "agenda")
    with transaction.atomic():
        found = _stay_for(pathway, kind, stay)
        meeting = Meeting.objects.create(
            pathway=pathway, kind=kind, stay=found, starts_at=starts_at, ends_at=ends_at,
            place=place, video_link=video_link, agenda=agenda, arranged_by_id=actor.user_pk)
        staff = Staff.objects.filter(user_id=actor.user_pk).select_related("user").first()
        if staff is not None and _on_team(pathway, staff):
            participant = Participant.objects.create(
                meeting=meeting, staff=staff, name=staff.name, email=staff.user.email)
            invitations.send(meeting, [participant])
    return meeting


def meeting_update(*, actor: Actor, meeting: Meeting, expected_version: int,
                   starts_at: dt.datetime, ends_at: dt.datetime, place: str = "",
                   video_link: str = "", agenda: str | None = None) -> Meeting:
    """A new time, place or video link (and agenda): calendars take it over as an update (the
    sequence grows) and every participant is told."""
    require(actor, meeting, MEETING_MANAGE)
    starts_at, ends_at = _check_time(starts_at, ends_at)
    place, video_link = _check_where(place, video_link)
    changes: dict[str, Any] = {"starts_at": starts_at, "ends_at": ends_at, "place": place,
                               "video_link": video_link}
    if agenda is not None:
        changes["agenda"] = _text(agenda, AGENDA_MAX_LENGTH, _("The agenda"), "agenda")
    with transaction.atomic():
        current = _locked(meeting)
        _planned(current)
        moved = any(getattr(current, name) != changes[name]
                    for name in ("starts_at", "ends_at", "place", "video_link"))
        if moved:
            changes["sequence"] = current.sequence + 1
        update_versioned(current, expected_version=expected_version, **changes)
        if moved:
            invitations.send(current, _recipients(current))
    _copy(current, meeting)
    return meeting


def meeting_cancel(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting: each participant's calendar receives the cancellation."""
    require(actor, meeting, MEETING_MANAGE)
    with transaction.atomic():
        current = _locked(meeting)
        _planned(current)
        update_versioned(current, expected_version=current.version,
                         status=Meeting.Status.CANCELLED, cancelled_at=clock.now(),
                         sequence=current.sequence + 1)
        invitations.send(current, _recipients(current), method="CANCEL")
    _copy(current, meeting)
    return meeting


def meeting_mark_held(*, actor: Actor, meeting: Meeting) -> Meeting:
    """The meeting took place (the checkpoint "cooperation meeting before discharge held"
    reads this)."""
    require(actor, meeting, MEETING_MANAGE)
    with transaction.atomic():
        current = _locked(meeting)
        if current.status == Meeting.Status.HELD:
            raise RuleViolation(_("The meeting is already marked as held."), field="status")
        if current.status == Meeting.Status.CANCELLED:
            raise RuleViolation(_("The meeting is cancelled."), field="status")
        if current.starts_at > clock.now():
            raise RuleViolation(_("A meeting can be marked as held once it has started."),
                                field="status")
        update_versioned(current, expected_version=current.version,
                         status=Meeting.Status.HELD, held_at=clock.now())
    _copy(current, meeting)
    return meeting


def meeting_write(*, actor: Actor, meeting: Meeting, expected_version: int,
                  agenda: str | None = None, minutes: str | None = None) -> Meeting:
    """The agenda (before) and the minutes (during and after). Not on a cancelled meeting."""
    require(actor, meeting, MEETING_MANAGE)
    changes: dict[str, Any] = {}
    if agenda is not None:
        changes["agenda"] = _text(agenda, AGENDA_MAX_LENGTH, _("The agenda"), "agenda")
    if minutes is not None:
        changes["minutes"] = _text(minutes, MINUTES_MAX_LENGTH, _("The minutes"), "minutes")
    with transaction.atomic():
        current = _locked(meeting)
        if current.status == Meeting.Status.CANCELLED:
            raise RuleViolation(_("The meeting is cancelled."), field="status")
        update_versioned(current, expected_version=expected_version, **changes)
    _copy(current, meeting)
    return meeting


def _copy(source: Meeting, target: Meeting) -> None:
    if source is target:
        return
    for field in Meeting._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# --- participants -------------------------------------------------------------------------------

def _on_team(pathway: Pathway, staff: Staff) -> bool:
    """A staff member takes part as staff when their own standing on the pathway lets them
    read its meetings (coordinator, care team, the coordinating or treating unit)."""
    bases = [b for b in pathway.access_bases(staff.user)
             if not b.role.startswith(_PERSONAL)]
    return permitted(bases, MEETING_VIEW) is not None


def participant_add(*, actor: Actor, meeting: Meeting, staff: Staff | uuid.UUID | None = None,
                    patient: bool = False, next_of_kin: NextOfKin | uuid.UUID | None = None,
                    email: str = "") -> Participant:
    """Invite one person: a staff member on the care team, the patient, or a next of kin or
    trust person while the patient's consent to "meetings" is active. They are invited at
    once (by e-mail if an address is known, in the app if they have a login)."""
    require(actor, meeting, MEETING_MANAGE)
    email = _email(email)
    chosen = sum(1 for given in (staff is not None, patient, next_of_kin is not None) if given)
    if chosen != 1:
        raise InvalidInput(_("Choose one person: a member of the care team, the patient, or a "
                           "next of kin."), field="person")
    with transaction.atomic():
        current = _locked(meeting)
        _planned(current)
        pathway = current.pathway
        values: dict[str, Any] = {}
        if staff is not None:
            person = _staff(staff)
            if person is None or not _on_team(pathway, person):
                raise InvalidInput(_("Choose a member of the care team."), field="staff")
            values = {"staff": person, "name": person.name,
                      "email": email or person.user.email}
            taken = current.participants.filter(staff=person)
        elif patient:
            user = pathway.patient.user
            values = {"patient": pathway.patient, "name": pathway.patient.full_name,
                      "email": email or (user.email if user is not None else "")}
            taken = current.participants.filter(patient=pathway.patient)
        else:
            kin = _kin(pathway, next_of_kin)
            if not invitations.kin_consents(kin.pk):
                raise RuleViolation(
                    _("%(name)s can take part only with the patient's consent to share "
                      "meetings. Record the consent first.") % {"name": kin.name},
                    field="next_of_kin")
            values = {"next_of_kin": kin, "name": kin.name, "email": email}
            taken = current.participants.filter(next_of_kin=kin)
        if taken.exists():
            raise RuleViolation(_("%(name)s is already invited.") % {"name": values["name"]},
                                field="person")
        participant = Participant.objects.create(meeting=current, **values)
        invitations.send(current, [participant])
    return participant


def _email(value: Any) -> str:
    value = _text(value, 254, _("The e-mail address"), "email")
    if value:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput(_("Write a whole e-mail address, like navn@eksempel.no."),
                               field="email") from None
    return value


def _staff(ref: Staff | uuid.UUID) -> Staff | None:
    if isinstance(ref, Staff):
        return ref
    try:
        key = uuid.UUID(str(ref))
    except ValueError:
        return None
    return Staff.objects.select_related("user").filter(public_id=key).first()


def _kin(pathway: Pathway, ref: NextOfKin | uuid.UUID | None) -> NextOfKin:
    found: NextOfKin | None
    if isinstance(ref, NextOfKin):
        found = ref if ref.patient_id == pathway.patient_id else None
    else:
        try:
            key = uuid.UUID(str(ref))
        except ValueError:
            key = None
        found = (NextOfKin.objects.filter(public_id=key, patient_id=pathway.patient_id).first()
                 if key else None)
    if found is None:
        raise InvalidInput(_("Choose one of the patient's next of kin or trust persons."),
                           field="next_of_kin")
    return found


def participant_remove(*, actor: Actor, participant: Participant) -> None:
    """Take someone off a planned meeting: their calendar receives a cancellation."""
    meeting = participant.meeting
    require(actor, meeting, MEETING_MANAGE, obj=participant)
    with transaction.atomic():
        current = _locked(meeting)
        _planned(current)
        found = current.participants.select_related("staff", "patient", "next_of_kin").filter(
            pk=participant.pk).first()
        if found is None:
            raise NotFound(_("Not found, or you have no access to it."))
        invitations.send(current, [found], method="CANCEL")
        found.delete()


# --- decisions ----------------------------------------------------------------------------------

def decision_add(*, actor: Actor, meeting: Meeting, text: str) -> Decision:
    """A decision taken at the meeting (it can become a task)."""
    require(actor, meeting, MEETING_MANAGE)
    text = _text(text, DECISION_MAX_LENGTH, _("The decision"), "text")
    if not text:
        raise InvalidInput(_("Write the decision."), field="text")
    with transaction.atomic():
        current = _locked(meeting)
        if current.status == Meeting.Status.CANCELLED:
            raise RuleViolation(_("The meeting is cancelled."), field="status")
        return Decision.objects.create(meeting=current, text=text, made_by_id=actor.user_pk)


def decision_to_task(*, actor: Actor, decision: Decision, owner: Any, due_on: dt.date,
                     checkpoint: str = "") -> Any:
    """The decision becomes a task on the pathway (tasks.services.task_create, which checks
    TASK_MANAGE, the owner and the due date), linked from the decision. Once only."""
    from ettervern.tasks.models import TITLE_MAX_LENGTH, Task
    from ettervern.tasks.services import task_create

    meeting = decision.meeting
    require(actor, meeting, MEETING_MANAGE, obj=decision)
    first_line = decision.text.strip().splitlines()[0]
    title = (first_line if len(first_line) <= TITLE_MAX_LENGTH
             else first_line[:TITLE_MAX_LENGTH - 1] + "…")
    note = decision.text if decision.text.strip() != title else ""
    with transaction.atomic():
        current = Decision.objects.select_for_update().get(pk=decision.pk)
        if current.task_id is not None:
            raise RuleViolation(_("The decision is already a task."), field="owner")
        task: Task = task_create(actor=actor, pathway=meeting.pathway, owner=owner, title=title,
                                 due_on=due_on, note=note, checkpoint=checkpoint,
                                 source=Task.MEETING)
        update_versioned(current, expected_version=current.version, task=task)
    decision.task, decision.version = task, current.version
    return task
