"""Reads of meetings that pages and the API share. Every read of a pathway's meetings goes
through access.policy (MEETING_VIEW: the team, the patient, a next of kin with the patient's
consent to "meetings") and leaves an audit row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from ettervern.access.consent_kinds import MEETING_VIEW
from ettervern.access.policy import Actor, require
from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.meetings import ics, invitations
from ettervern.meetings.models import Decision, Meeting, Participant
from ettervern.pathways.models import Pathway
from ettervern.pathways.selectors import pathway_get


def _not_found() -> NotFound:
    return NotFound(_("Not found, or you have no access to it."))


def _key(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _meetings() -> QuerySet[Meeting]:
    return (Meeting.objects.select_related("pathway__patient", "stay__unit")
            .prefetch_related(
                Prefetch("participants", queryset=Participant.objects.select_related(
                    "staff", "patient", "next_of_kin").order_by("id")),
                Prefetch("decisions", queryset=Decision.objects.select_related(
                    "task__owner__staff", "task__pathway__patient").order_by("created_at", "id"))))


def meeting_lookup(public_id: Any) -> Meeting:
    """The meeting a write names. Reveals nothing by itself: the service's access check decides
    (and audits) whether the actor may act on it; unknown and forbidden both end as 404."""
    key = _key(public_id)
    meeting = _meetings().filter(public_id=key).first() if key else None
    if meeting is None:
        raise _not_found()
    return meeting


def meeting_get(*, actor: Actor, public_id: Any, action: str = MEETING_VIEW) -> Meeting:
    meeting = meeting_lookup(public_id)
    require(actor, meeting, action)
    return meeting


def participant_lookup(meeting: Meeting, public_id: Any) -> Participant:
    key = _key(public_id)
    found = next((p for p in meeting.participants.all() if p.public_id == key), None)
    if found is None:
        raise _not_found()
    return found


def decision_lookup(public_id: Any) -> Decision:
    key = _key(public_id)
    decision = (Decision.objects.select_related("meeting__pathway__patient")
                .filter(public_id=key).first()) if key else None
    if decision is None:
        raise _not_found()
    return decision


def pathway_meetings(*, actor: Actor, public_id: Any) -> tuple[Pathway, list[Meeting]]:
    """The pathway and its meetings, the coming ones first (soonest first), then the past and
    cancelled ones (latest first)."""
    pathway = pathway_get(actor=actor, public_id=public_id, action=MEETING_VIEW)
    return pathway, ordered(list(_meetings().filter(pathway=pathway)))


def ordered(meetings: list[Meeting]) -> list[Meeting]:
    now = clock.now()
    coming = sorted((m for m in meetings if m.is_planned and m.ends_at >= now),
                    key=lambda m: m.starts_at)
    rest = sorted((m for m in meetings if m not in coming), key=lambda m: m.starts_at,
                  reverse=True)
    return coming + rest


def own_meetings(patient: Any) -> list[Meeting]:
    """The patient's meetings on all their pathways (the caller is the patient)."""
    return ordered(list(_meetings().filter(pathway__patient=patient)))


@dataclass
class Download:
    filename: str
    content: bytes


def meeting_ics(*, actor: Actor, public_id: Any, participant: Any = None) -> Download:
    """The meeting as a participant downloads it: the staff taking part (and, in their own
    file, the patient or next of kin it is for) as attendees. Named by a participant, it is
    that participant's (a next of kin's only while the patient's consent to "meetings" is
    active)."""
    meeting = meeting_get(actor=actor, public_id=public_id)
    chosen = None
    if participant is not None:
        chosen = participant_lookup(meeting, participant)
        if not invitations.consent_active(chosen):
            raise _not_found()
    # Staff are listed with their work addresses; the patient's and a next of kin's private
    # addresses only in their own file, never in everyone else's.
    attendees = [p for p in meeting.participants.all() if invitations.consent_active(p)
                 and (p.staff_id is not None or (chosen is not None and p.pk == chosen.pk))]
    content = ics.calendar(
        meeting, attendees=attendees, link=invitations.link_for(meeting), neutral=False,
        summary=str(meeting.get_kind_display()), description=meeting.agenda)
    local = meeting.starts_at.astimezone(ics.OSLO)
    return Download(filename=f"ettervern-mote-{local:%Y-%m-%d}.ics", content=content)


# --- what others show: the portal ---------------------------------------------------------------

def portal_card(page: Any) -> dict[str, Any] | None:
    """The portal's card: the patient's next meetings (not for next of kin, who see the
    meetings on their own page with the patient's consent)."""
    if page.basis.role != "patient":
        return None
    now = clock.now()
    coming = list(Meeting.objects.filter(pathway__patient_id=page.pathway.patient_id,
                                         status=Meeting.Status.PLANNED, ends_at__gte=now)
                  .order_by("starts_at")[:3])
    return {"coming": coming}


# --- who can be invited ---------------------------------------------------------------------------

def invitable(meeting: Meeting) -> list[tuple[str, str]]:
    """(choice, label) for the people not yet invited: the coordinator and the care team, the
    patient, and the next of kin and trust persons the patient shares meetings with."""
    from ettervern.pathways.models import CareTeamMember
    from ettervern.patients.models import NextOfKin

    pathway = meeting.pathway
    taken = {(p.kind, p.staff_id or p.patient_id or p.next_of_kin_id)
             for p in meeting.participants.all()}
    choices: list[tuple[str, str]] = []
    staff: dict[int, tuple[Any, str]] = {}
    coordinator = pathway.coordinator
    if coordinator is not None:
        staff[coordinator.pk] = (coordinator, str(_("coordinator")))
    for member in (CareTeamMember.objects.filter(pathway=pathway, ended_at__isnull=True)
                   .select_related("staff").order_by("id")):
        staff.setdefault(member.staff_id, (member.staff, str(member.get_role_display())))
    for pk, (person, role) in staff.items():
        if ("staff", pk) not in taken:
            choices.append((f"staff:{person.public_id}", f"{person.name} ({role})"))
    if ("patient", pathway.patient_id) not in taken:
        choices.append(("patient", f"{pathway.patient.full_name} ({_('the patient')})"))
    for kin in NextOfKin.objects.filter(patient_id=pathway.patient_id).order_by("name"):
        if ("next_of_kin", kin.pk) not in taken and invitations.kin_consents(kin.pk):
            choices.append((f"kin:{kin.public_id}",
                            f"{kin.name} ({kin.get_kind_display().lower()}, {kin.relation})"))
    return choices


def task_owners(meeting: Meeting) -> list[tuple[str, str]]:
    """Who a decision's task can be given to: the staff who take part in the meeting, and the
    patient (if taking part, with a login to see it)."""
    owners = [(str(p.staff.public_id), p.name) for p in meeting.participants.all()
              if p.staff is not None]
    if any(p.patient is not None and p.patient.user_id is not None
           for p in meeting.participants.all()):
        owners.append(("patient", f"{meeting.pathway.patient.full_name} ({_('the patient')})"))
    return owners
