"""Directory endpoints: units and staff. Not patient data, but only for staff members:
patients and next of kin have no reason to browse who works where."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.responses import codes_4xx

from ettervern.access.policy import actor_from_request, require_staff
from ettervern.api.schemas import (
    ErrorOut,
    StaffPage,
    StaffQuery,
    UnitPage,
    UnitQuery,
    page_fields,
    staff_out,
    unit_out,
)
from ettervern.core.errors import InvalidInput
from ettervern.directory.models import Staff, Unit
from ettervern.directory.selectors import staff_list, unit_list

router = Router(tags=["directory"])
PAGE_SIZE = 50


def unit_by_id(public_id: uuid.UUID, *, field: str) -> Unit:
    """A unit named in a request body; an unknown id is bad input on that field."""
    unit = unit_list().filter(public_id=public_id).first()
    if unit is None:
        raise InvalidInput(_("There is no such unit."), field=field)
    return unit


def staff_by_id(public_id: uuid.UUID, *, field: str) -> Staff:
    """A staff member named in a request body; an unknown id is bad input on that field."""
    staff = staff_list().filter(public_id=public_id).first()
    if staff is None:
        raise InvalidInput(_("There is no such staff member."), field=field)
    return staff


@router.get("/units", response={200: UnitPage, codes_4xx: ErrorOut}, summary="List units")
def units(request: HttpRequest, filters: Query[UnitQuery]) -> UnitPage:
    require_staff(actor_from_request(request, "api"), "directory.read")
    page = Paginator(unit_list(kind=filters.kind, query=filters.q), PAGE_SIZE).get_page(
        filters.page)
    return UnitPage(items=[unit_out(u) for u in page.object_list], **page_fields(page))


@router.get("/staff", response={200: StaffPage, codes_4xx: ErrorOut}, summary="List staff")
def staff(request: HttpRequest, filters: Query[StaffQuery]) -> StaffPage:
    require_staff(actor_from_request(request, "api"), "directory.read")
    unit = unit_by_id(filters.unit_id, field="unit_id") if filters.unit_id else None
    people = staff_list(query=filters.q, unit=unit).prefetch_related("units")
    page = Paginator(people, PAGE_SIZE).get_page(filters.page)
    return StaffPage(items=[staff_out(s) for s in page.object_list], **page_fields(page))
