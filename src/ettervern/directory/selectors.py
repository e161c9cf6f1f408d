"""Directory reads. Not patient data: any signed-in staff member may look units up."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ettervern.core.errors import InvalidInput
from ettervern.directory.models import Staff, Unit


def unit_list(*, kind: str | None = None, query: str = "") -> QuerySet[Unit]:
    units = Unit.objects.select_related("organisation").order_by("name", "id")
    if kind:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(name__icontains=query)
    return units


def staff_list(*, query: str = "", unit: Unit | None = None,
               unit_kind: str | None = None) -> QuerySet[Staff]:
    staff = Staff.objects.order_by("name", "id")
    if unit is not None:
        staff = staff.filter(units=unit)
    if unit_kind is not None:
        staff = staff.filter(pk__in=Staff.units.through.objects.filter(
            unit__kind=unit_kind).values("staff_id"))
    if query:
        staff = staff.filter(name__icontains=query)
    return staff


def unit_by_id(public_id: uuid.UUID, *, field: str) -> Unit:
    """A unit named by its id in a request; an unknown id is bad input on `field`.

    A write on a pathway resolves the ids it names only after the access check, so that an
    unknown id tells a caller without access nothing about the pathway (see pathways.services).
    """
    unit = unit_list().filter(public_id=public_id).first()
    if unit is None:
        raise InvalidInput(_("There is no such unit."), field=field)
    return unit


def staff_by_id(public_id: uuid.UUID, *, field: str) -> Staff:
    """A staff member named by their id in a request; an unknown id is bad input on `field`."""
    staff = staff_list().filter(public_id=public_id).first()
    if staff is None:
        raise InvalidInput(_("There is no such staff member."), field=field)
    return staff
