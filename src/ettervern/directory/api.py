"""Directory endpoints: units and staff, with their schemas. Not patient data, but only for
staff members: patients and next of kin have no reason to browse who works where.

`unit_ref`/`staff_ref` are how every other context shows a unit or a person in its answers.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ettervern.access.policy import actor_from_request, require_staff
from ettervern.api.schemas import ERRORS, Blankable, PageNumber, PageOut, Text, page_fields
from ettervern.directory.models import Staff, Unit
from ettervern.directory.selectors import staff_list, unit_by_id, unit_list

router = Router(tags=["directory"])
PAGE_SIZE = 50


# --- schemas ---------------------------------------------------------------------------------

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


# --- endpoints -------------------------------------------------------------------------------

@router.get("/units", response={200: UnitPage, **ERRORS}, summary="List units")
def units(request: HttpRequest, filters: Query[UnitQuery]) -> UnitPage:
    require_staff(actor_from_request(request, "api"), "directory.read")
    page = Paginator(unit_list(kind=filters.kind, query=filters.q), PAGE_SIZE).get_page(
        filters.page)
    return UnitPage(items=[unit_out(u) for u in page.object_list], **page_fields(page))


@router.get("/staff", response={200: StaffPage, **ERRORS}, summary="List staff")
def staff(request: HttpRequest, filters: Query[StaffQuery]) -> StaffPage:
    require_staff(actor_from_request(request, "api"), "directory.read")
    unit = unit_by_id(filters.unit_id, field="unit_id") if filters.unit_id else None
    people = staff_list(query=filters.q, unit=unit).prefetch_related("units")
    page = Paginator(people, PAGE_SIZE).get_page(filters.page)
    return StaffPage(items=[staff_out(s) for s in page.object_list], **page_fields(page))
