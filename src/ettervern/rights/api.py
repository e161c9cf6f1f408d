"""The patient's rights over access, as endpoints (mounted by api.api): the patient's access
log and blocks (`/me/…`), emergency access and the unit's follow-up list. The same services
and selectors as the pages."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, In, Text
from ettervern.rights import selectors, services
from ettervern.rights.models import (
    EMERGENCY_REASON_MAX_LENGTH,
    Block,
    EmergencyAccess,
)

router = Router(tags=["rights"])


# --- the access log ------------------------------------------------------------------------

class LogEntryOut(Schema):
    at: dt.datetime = Field(description="When (the latest, for a folded run of list views)")
    first_at: dt.datetime = Field(description="The earliest of a folded run (else = at)")
    count: int = Field(description="How many list views this line folds (1 for any other)")
    person: str
    organisation: str
    role: str = Field(description="The person's role or the consent, in plain words")
    what: str = Field(description="What was read or changed, in plain words")
    basis: str = Field(description="On what basis (or why it was refused), in plain words")
    allowed: bool
    emergency: bool = Field(description="An access under emergency access")


class AccessLogOut(Schema):
    items: list[LogEntryOut]
    next: str | None = Field(description="Pass as `before` for the next (older) page; null "
                                         "on the last page")


class AccessLogQuery(Schema):
    before: Text = Field(default="", max_length=64)


@router.get("/me/access-log", response={200: AccessLogOut, **ERRORS},
            summary="Who has looked at my data")
def access_log(request: HttpRequest, filters: Query[AccessLogQuery]) -> AccessLogOut:
    """The signed-in patient's access log (pasientjournalloven § 18), newest first; list views
    by one person in a row are one item with `count`. Keyset pages: follow `next`."""
    log = selectors.access_log(actor=actor_from_request(request, "api"),
                               before=filters.before or None)
    return AccessLogOut(
        items=[LogEntryOut(at=e.at, first_at=e.first_at or e.at, count=e.count, person=e.person,
                           organisation=e.organisation, role=e.role, what=e.what,
                           basis=e.basis, allowed=e.allowed, emergency=e.emergency)
               for e in log.entries],
        next=log.next_cursor or None)


# --- blocks --------------------------------------------------------------------------------

class BlockIn(In):
    staff_id: uuid.UUID = Field(description="The staff member to block (not the coordinator, "
                                            "not oneself)")


class BlockOut(Schema):
    id: uuid.UUID
    staff_id: uuid.UUID
    staff_name: str
    created_at: dt.datetime
    lifted_at: dt.datetime | None


def block_out(block: Block) -> BlockOut:
    return BlockOut(id=block.public_id, staff_id=block.staff.public_id,
                    staff_name=block.staff.name, created_at=block.created_at,
                    lifted_at=block.lifted_at)


@router.get("/me/blocks", response={200: list[BlockOut], **ERRORS}, summary="My blocks")
def blocks(request: HttpRequest) -> list[BlockOut]:
    """The signed-in patient's blocks: active ones first, then lifted ones."""
    return [block_out(b) for b in selectors.block_list(actor=actor_from_request(request, "api"))]


@router.post("/me/blocks", response={201: BlockOut, **ERRORS}, summary="Block a staff member")
def create_block(request: HttpRequest, payload: BlockIn) -> Status[BlockOut]:
    """The person can no longer read the patient's pathways (reads answer 404). Blocking the
    coordinator or oneself is refused (409 / 422), and so is blocking twice."""
    block = services.block_create(actor=actor_from_request(request, "api"),
                                  staff=payload.staff_id)
    return Status(201, block_out(block))


@router.post("/me/blocks/{id}/lift", response={200: BlockOut, **ERRORS},
             summary="Lift a block")
def lift_block(request: HttpRequest, id: uuid.UUID) -> BlockOut:
    return block_out(services.block_lift(actor=actor_from_request(request, "api"), block=id))


# --- emergency access ------------------------------------------------------------------------

class EmergencyIn(In):
    national_id: Text = Field(max_length=20, description="The patient's fødselsnummer or "
                                                         "D-nummer")
    reason: Text = Field(max_length=EMERGENCY_REASON_MAX_LENGTH,
                         description="Why, in at least 10 characters")


class EmergencyOut(Schema):
    id: uuid.UUID
    pathway_id: uuid.UUID
    staff_name: str
    unit_name: str
    reason: str
    opened_at: dt.datetime
    expires_at: dt.datetime


def emergency_out(access: EmergencyAccess) -> EmergencyOut:
    return EmergencyOut(id=access.public_id, pathway_id=access.pathway.public_id,
                        staff_name=access.staff.name, unit_name=access.unit.name,
                        reason=access.reason, opened_at=access.opened_at,
                        expires_at=access.expires_at)


@router.post("/emergency-accesses", response={201: EmergencyOut, **ERRORS},
             summary="Open emergency access")
def open_emergency_access(request: HttpRequest, payload: EmergencyIn) -> Status[EmergencyOut]:
    """A health professional with no role on the patient's open pathway reads it for 4 hours
    (`GET /pathways/{pathway_id}`), for the stated reason. The patient, the coordinator and
    the unit are told."""
    access = services.emergency_open(actor=actor_from_request(request, "api"),
                                     national_id=payload.national_id, reason=payload.reason)
    return Status(201, emergency_out(access))


class UnitEmergencyQuery(Schema):
    before: uuid.UUID | None = Field(default=None, description="The `next` of the previous "
                                                                "page")


class EmergencyPage(Schema):
    items: list[EmergencyOut]
    next: str | None = Field(description="Pass as `before` for the next (older) page; null on "
                                         "the last page")


@router.get("/units/{id}/emergency-accesses", response={200: EmergencyPage, **ERRORS},
            summary="A unit's emergency accesses")
def unit_emergency_accesses(request: HttpRequest, id: uuid.UUID,
                            filters: Query[UnitEmergencyQuery]) -> EmergencyPage:
    """For the unit's follow-up (Normen): the emergency accesses its staff opened, newest
    first. For staff of the unit only."""
    found = selectors.emergency_list_for_unit(actor=actor_from_request(request, "api"),
                                              unit=id, before=filters.before)
    return EmergencyPage(items=[emergency_out(a) for a in found],
                         next=str(found[-1].public_id) if len(found) == selectors.UNIT_PAGE
                         else None)
