"""Directory reads. Not patient data: any signed-in staff member may look units up."""

from __future__ import annotations

from django.db.models import QuerySet

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
