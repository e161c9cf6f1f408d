"""What goes in and out of the API. Ids are public_id UUIDs; internal keys never leave.

Input schemas refuse unknown fields, so a misspelt field is a 422 rather than silently
ignored. Output schemas are built by the `*_out` functions below from what the selectors and
services return; no function here queries the database beyond what those objects hold.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from django.core.paginator import Page
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ettervern.core.identifiers import mask_national_id
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import CareTeamMember, Pathway, PathwayEvent, Stay
from ettervern.pathways.phases import ALLOWED, ORDER, Phase


def _blank_to_none(value: Any) -> Any:
    """`?phase=&page=` from an HTML form means "not given"."""
    return None if value == "" else value


def _blank_page_to_one(value: Any) -> Any:
    """`?page=` (empty) is the first page. (Blankable's None would still meet `ge=1`.)"""
    return 1 if value == "" or value is None else value


def _no_nul(value: str) -> str:
    """PostgreSQL text cannot hold a NUL character: refuse it here (422), not in the
    database (500)."""
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Text must not contain NUL characters.")
    return value


Blankable = BeforeValidator(_blank_to_none)
PageNumber = Annotated[int, BeforeValidator(_blank_page_to_one), Field(ge=1)]
# Every free-text field of an input or query schema.
Text = Annotated[str, AfterValidator(_no_nul)]


class In(Schema):
    model_config = ConfigDict(extra="forbid")


# --- errors and pages ------------------------------------------------------------------------

class FieldErrorOut(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    code: str = Field(examples=["stale_version"])
    message: str
    field: str | None = None
    errors: list[FieldErrorOut] | None = None


class PageOut(Schema):
    page: int
    pages: int
    total: int


def page_fields(page: Page) -> dict[str, int]:
    return {"page": page.number, "pages": page.paginator.num_pages,
            "total": page.paginator.count}


# --- directory -------------------------------------------------------------------------------

class UnitRef(Schema):
    id: uuid.UUID
    name: str
    kind: str


class StaffRef(Schema):
    id: uuid.UUID
    name: str
    profession: str


class UnitOut(UnitRef):
    kind_label: str
    organisation: str
    municipality_name: str


class StaffOut(StaffRef):
    profession_label: str
    hpr_number: str
    units: list[UnitRef]


class UnitPage(PageOut):
    items: list[UnitOut]


class StaffPage(PageOut):
    items: list[StaffOut]


class UnitQuery(Schema):
    kind: Annotated[Unit.Kind | None, Blankable] = None
    q: Text = Field(default="", max_length=200)
    page: PageNumber = 1


class StaffQuery(Schema):
    q: Text = Field(default="", max_length=200)
    unit_id: Annotated[uuid.UUID | None, Blankable] = None
    page: PageNumber = 1


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(id=unit.public_id, name=unit.name, kind=unit.kind)


def staff_ref(staff: Staff) -> StaffRef:
    return StaffRef(id=staff.public_id, name=staff.name, profession=staff.profession)


def unit_out(unit: Unit) -> UnitOut:
    return UnitOut(id=unit.public_id, name=unit.name, kind=unit.kind,
                   kind_label=str(unit.get_kind_display()),
                   organisation=unit.organisation.name,
                   municipality_name=unit.municipality_name)


def staff_out(staff: Staff) -> StaffOut:
    return StaffOut(id=staff.public_id, name=staff.name, profession=staff.profession,
                    profession_label=str(staff.get_profession_display()),
                    hpr_number=staff.hpr_number,
                    units=[unit_ref(u) for u in staff.units.all()])


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
    given_name: Text = Field(max_length=100)
    family_name: Text = Field(max_length=100)
    coordinating_unit_id: uuid.UUID
    referral_received_on: dt.date | None = None
    referrer: Text = Field(default="", max_length=200)
    first_contact_on: dt.date | None = None
    note: Text = ""


class PathwayPatchIn(In):
    """Send `version` and only the fields to change; a date sent as null is cleared."""

    version: int = Field(ge=1)
    referral_received_on: dt.date | None = None
    referrer: Text = Field(default="", max_length=200)
    first_contact_on: dt.date | None = None
    note: Text = ""


class TransitionIn(In):
    to_phase: Phase
    on: dt.date
    note: Text = ""
    stay_id: uuid.UUID | None = Field(
        default=None, description="Into a residential stay: which planned stay (default: next)")


class PageQuery(Schema):
    page: PageNumber = 1


def worklist_item(pathway: Pathway, row: Any) -> WorklistItem:
    return WorklistItem(
        id=pathway.public_id,
        patient_name=pathway.patient.full_name,
        national_id_masked=mask_national_id(pathway.patient.national_id),
        phase=Phase(pathway.phase),
        phase_label=str(pathway.get_phase_display()),
        days_waiting=row.days_waiting,
        next_planned_date=row.next_planned_date,
        responsible_unit=row.responsible_unit_name,
        coordinating_unit=unit_ref(pathway.coordinating_unit),
        coordinator=staff_ref(pathway.coordinator) if pathway.coordinator else None,
        version=pathway.version,
    )


def stay_out(stay: Stay) -> StayOut:
    return StayOut(id=stay.public_id, unit=unit_ref(stay.unit), status=stay.status,
                   status_label=str(stay.get_status_display()),
                   planned_start=stay.planned_start, planned_end=stay.planned_end,
                   admitted_on=stay.admitted_on, discharged_on=stay.discharged_on,
                   version=stay.version)


def member_out(member: CareTeamMember) -> CareTeamMemberOut:
    return CareTeamMemberOut(id=member.public_id, staff=staff_ref(member.staff), role=member.role,
                             role_label=str(member.get_role_display()),
                             started_at=member.started_at, ended_at=member.ended_at,
                             version=member.version)


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
    return PathwayOut(
        id=pathway.public_id,
        patient=PatientOut(id=patient.public_id, given_name=patient.given_name,
                           family_name=patient.family_name, national_id=national_id,
                           id_kind=patient.id_kind, birth_date=patient.birth_date),
        phase=Phase(pathway.phase),
        phase_label=str(pathway.get_phase_display()),
        next_phases=next_phases(pathway.phase, detail.allowed),
        coordinator=staff_ref(pathway.coordinator) if pathway.coordinator else None,
        coordinating_unit=unit_ref(pathway.coordinating_unit),
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
    return PathwayStateOut(
        id=pathway.public_id, phase=Phase(pathway.phase),
        phase_label=str(pathway.get_phase_display()),
        coordinator=staff_ref(pathway.coordinator) if pathway.coordinator else None,
        coordinating_unit=unit_ref(pathway.coordinating_unit),
        opened_at=pathway.opened_at, closed_at=pathway.closed_at, version=pathway.version,
    )


def timeline_item(event: PathwayEvent, text: str) -> TimelineItem:
    return TimelineItem(at=event.at, kind=event.kind, text=text, actor=event.actor_name,
                        unit=event.actor_unit)


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


class CancelIn(VersionIn):
    reason: Text = Field(description="Why the stay is cancelled (required)")


class ReopenIn(VersionIn):
    reason: Text = Field(description="Why the closed pathway is reopened (required)")


class CareTeamAddIn(In):
    staff_id: uuid.UUID
    role: CareTeamMember.Role


class HandoverIn(In):
    to_staff_id: uuid.UUID
    version: int = Field(ge=1, description="The pathway's version")
    reason: Text = Field(description="Why; the new coordinator sees it (required)")
