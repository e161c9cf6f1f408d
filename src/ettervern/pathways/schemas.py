"""What the pathway, stay and care-team endpoints take and give (see pathways/api.py).

Output schemas are built by the `*_out` functions below from what the selectors and services
return; no function here queries the database beyond what those objects hold. The shared
pieces (error body, page fields, `In`, `Text`) are in api.schemas.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from ettervern.api.schemas import Blankable, In, PageNumber, PageOut, Text
from ettervern.core.identifiers import mask_national_id
from ettervern.directory.api import StaffRef, UnitRef
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import (
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REFERRER_MAX_LENGTH,
    CareTeamMember,
    Pathway,
    PathwayEvent,
    Stay,
)
from ettervern.pathways.phases import ALLOWED, ORDER, Phase

# --- pathways --------------------------------------------------------------------------------

class WorklistQuery(Schema):
    scope: Literal["mine", "unit"] = "mine"
    phase: Annotated[Phase | None, Blankable] = None
    q: Text = Field(default="", max_length=200)
    page: PageNumber = 1


class WorklistItem(Schema):
    id: uuid.UUID
    patient_name: str
    national_id_masked: str
    phase: Phase
    phase_label: str
    days_waiting: int | None
    next_planned_date: dt.date | None
    responsible_unit: str
    coordinating_unit: UnitRef
    coordinator: StaffRef | None
    version: int
    checklist_progress: str | None = Field(
        default=None, description="Pre-admission checklist items done of all, e.g. `5/11`; "
                                  "null outside pre-admission")
    plan_flags: list[Literal["late", "due_soon", "unseen"]] = Field(
        default_factory=list, description="The individual plan: `late` (not ready and the "
        "planned discharge has come), `due_soon` (within 5 working days), `unseen` (the "
        "patient has not opened its current version)")


class WorklistPage(PageOut):
    items: list[WorklistItem]


class PatientOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    national_id: str = Field(description="In full for the patient and for staff with a role "
                                         "on the pathway; masked (birth date only) otherwise")
    id_kind: str
    birth_date: dt.date


class StayOut(Schema):
    id: uuid.UUID
    unit: UnitRef
    # "residential", or "user_controlled": booked by the patient under an agreement (beds).
    kind: str
    status: str
    status_label: str
    planned_start: dt.date
    planned_end: dt.date | None
    admitted_on: dt.date | None
    discharged_on: dt.date | None
    version: int


class CareTeamMemberOut(Schema):
    id: uuid.UUID
    staff: StaffRef
    role: str
    role_label: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    version: int


class CareTeamPage(PageOut):
    coordinator: StaffRef | None
    items: list[CareTeamMemberOut]


class PathwayOut(Schema):
    id: uuid.UUID
    patient: PatientOut
    phase: Phase
    phase_label: str
    next_phases: list[Phase] = Field(
        description="Phases this pathway can move to next (if the caller may move it)")
    coordinator: StaffRef | None
    coordinating_unit: UnitRef
    treatment_responsible_unit: str
    first_contact_on: dt.date | None
    referral_received_on: dt.date | None
    referrer: str
    note: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    days_waiting: int | None
    next_planned_date: dt.date | None
    version: int
    stays: list[StayOut]
    care_team: list[CareTeamMemberOut]
    allowed_actions: list[str] = Field(description="What the caller may do on this pathway")
    access_basis: str = Field(description="Why the caller may see this pathway")


class PathwayStateOut(Schema):
    """What a phase move or a hand-over leaves behind. Not the whole pathway: after closing it
    or handing it over, the caller may no longer be allowed to read it."""

    id: uuid.UUID
    phase: Phase
    phase_label: str
    coordinator: StaffRef | None
    coordinating_unit: UnitRef
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    version: int


class TimelineItem(Schema):
    at: dt.datetime
    kind: str
    text: str
    actor: str
    unit: str


class TimelinePage(PageOut):
    items: list[TimelineItem]


class PathwayOpenIn(In):
    national_id: Text = Field(max_length=20, description="Fødselsnummer or D-nummer, 11 digits")
    given_name: Text = Field(max_length=NAME_MAX_LENGTH)
    family_name: Text = Field(max_length=NAME_MAX_LENGTH)
    coordinating_unit_id: uuid.UUID
    referral_received_on: dt.date | None = None
    referrer: Text = Field(default="", max_length=REFERRER_MAX_LENGTH)
    first_contact_on: dt.date | None = None
    note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)


class PathwayPatchIn(In):
    """Send `version` and only the fields to change; a date sent as null is cleared."""

    version: int = Field(ge=1)
    referral_received_on: dt.date | None = None
    referrer: Text = Field(default="", max_length=REFERRER_MAX_LENGTH)
    first_contact_on: dt.date | None = None
    note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)


class TransitionIn(In):
    to_phase: Phase
    on: dt.date
    note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)
    stay_id: uuid.UUID | None = Field(
        default=None, description="Into a residential stay: which planned stay (default: next)")


# The answers below are built from the database's own values, already of the declared types:
# `model_construct` skips validating them a second time (ninja dumps a returned instance of
# the response schema without validating it again), which was most of an answer's CPU time.

def _unit(unit: Unit) -> UnitRef:
    return UnitRef.model_construct(id=unit.public_id, name=unit.name, kind=unit.kind)


def _staff(staff: Staff | None) -> StaffRef | None:
    if staff is None:
        return None
    return StaffRef.model_construct(id=staff.public_id, name=staff.name,
                                    profession=staff.profession)


def _phase(pathway: Pathway) -> tuple[Phase, str]:
    phase = Phase(pathway.phase)
    return phase, str(phase.label)


def worklist_item(pathway: Pathway, row: Any) -> WorklistItem:
    phase, label = _phase(pathway)
    patient = pathway.patient
    return WorklistItem.model_construct(
        id=pathway.public_id,
        patient_name=patient.full_name,
        national_id_masked=mask_national_id(patient.national_id),
        phase=phase,
        phase_label=label,
        days_waiting=row.days_waiting,
        next_planned_date=row.next_planned_date,
        responsible_unit=row.responsible_unit_name,
        coordinating_unit=_unit(pathway.coordinating_unit),
        coordinator=_staff(pathway.coordinator),
        version=pathway.version,
        checklist_progress=_str_or_none(getattr(pathway, "checklist_progress", None)),
        plan_flags=row.plan_flags.codes if getattr(row, "plan_flags", None) else [],
    )


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def stay_out(stay: Stay) -> StayOut:
    return StayOut.model_construct(
        id=stay.public_id, unit=_unit(stay.unit), kind=stay.kind, status=stay.status,
        status_label=str(stay.get_status_display()),
        planned_start=stay.planned_start, planned_end=stay.planned_end,
        admitted_on=stay.admitted_on, discharged_on=stay.discharged_on, version=stay.version)


def member_out(member: CareTeamMember) -> CareTeamMemberOut:
    return CareTeamMemberOut.model_construct(
        id=member.public_id, staff=_staff(member.staff), role=member.role,
        role_label=str(member.get_role_display()),
        started_at=member.started_at, ended_at=member.ended_at, version=member.version)


def next_phases(phase: str, allowed: frozenset[str]) -> list[Phase]:
    from ettervern.access.policy import STAY, TRANSITION

    if TRANSITION not in allowed and STAY not in allowed:
        return []
    return [p for p in ORDER if p in ALLOWED.get(phase, frozenset())]


def sees_full_national_id(basis: Any) -> bool:
    """The patient and staff with a role on the pathway see the whole number; anyone else (a
    next of kin, on the patient's consent: `consent:*`) only its birth date."""
    from ettervern.access.policy import PERMISSIONS

    role = str(basis.role)
    return role in PERMISSIONS and not role.startswith("consent:")


def pathway_out(detail: Any) -> PathwayOut:
    """From selectors.pathway_detail's PathwayDetail."""
    pathway: Pathway = detail.pathway
    patient = pathway.patient
    national_id = (patient.national_id if sees_full_national_id(detail.basis)
                   else mask_national_id(patient.national_id))
    phase, label = _phase(pathway)
    return PathwayOut.model_construct(
        id=pathway.public_id,
        patient=PatientOut.model_construct(
            id=patient.public_id, given_name=patient.given_name,
            family_name=patient.family_name, national_id=national_id,
            id_kind=patient.id_kind, birth_date=patient.birth_date),
        phase=phase,
        phase_label=label,
        next_phases=next_phases(pathway.phase, detail.allowed),
        coordinator=_staff(pathway.coordinator),
        coordinating_unit=_unit(pathway.coordinating_unit),
        treatment_responsible_unit=detail.treating_unit_name,
        first_contact_on=pathway.first_contact_on,
        referral_received_on=pathway.referral_received_on,
        referrer=pathway.referrer,
        note=pathway.note,
        opened_at=pathway.opened_at,
        closed_at=pathway.closed_at,
        days_waiting=detail.row.days_waiting,
        next_planned_date=detail.row.next_planned_date,
        version=pathway.version,
        stays=[stay_out(s) for s in detail.stays],
        care_team=[member_out(m) for m in detail.team],
        allowed_actions=sorted(detail.allowed),
        access_basis=str(detail.basis),
    )


def pathway_state_out(pathway: Pathway) -> PathwayStateOut:
    phase, label = _phase(pathway)
    return PathwayStateOut.model_construct(
        id=pathway.public_id, phase=phase, phase_label=label,
        coordinator=_staff(pathway.coordinator),
        coordinating_unit=_unit(pathway.coordinating_unit),
        opened_at=pathway.opened_at, closed_at=pathway.closed_at, version=pathway.version,
    )


def timeline_item(event: PathwayEvent, text: str) -> TimelineItem:
    return TimelineItem.model_construct(at=event.at, kind=event.kind, text=text,
                                        actor=event.actor_name, unit=event.actor_unit)


# --- stays and care team -----------------------------------------------------------------------

class StayPlanIn(In):
    unit_id: uuid.UUID = Field(description="A residential unit")
    planned_start: dt.date
    planned_end: dt.date | None = None


class StayPatchIn(In):
    """Send `version` and the fields to change; `planned_end: null` clears the planned end."""

    version: int = Field(ge=1)
    unit_id: uuid.UUID | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None


class OnIn(In):
    on: dt.date


class VersionIn(In):
    version: int = Field(ge=1)


class DischargeIn(OnIn):
    reason: Text = Field(
        default="", max_length=REASON_MAX_LENGTH,
        description="Required while checkpoints before discharge are open (GET "
                    "/stays/{id}/checkpoints): why the patient is discharged now. Stored with "
                    "the open checkpoints and shown on the pathway.")


class CancelIn(VersionIn):
    reason: Text = Field(max_length=REASON_MAX_LENGTH,
                         description="Why the stay is cancelled (required)")


class ReopenIn(VersionIn):
    reason: Text = Field(max_length=REASON_MAX_LENGTH,
                         description="Why the closed pathway is reopened (required)")


class CareTeamAddIn(In):
    staff_id: uuid.UUID
    role: CareTeamMember.Role


class HandoverIn(In):
    to_staff_id: uuid.UUID
    version: int = Field(ge=1, description="The pathway's version")
    reason: Text = Field(max_length=REASON_MAX_LENGTH,
                         description="Why; the new coordinator sees it (required)")
