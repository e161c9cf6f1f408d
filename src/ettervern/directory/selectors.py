"""Directory reads. Not patient data: any signed-in staff member may look units up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import STANDING_ATTR
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


# --- who a user is among staff -----------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """What a user is among staff, whatever the pathway."""

    staff_id: int | None = None
    name: str = ""
    unit_ids: tuple[int, ...] = ()  # ordered by id: the first is the home unit
    unit_kinds: tuple[str, ...] = ()  # the kind of each unit in unit_ids
    home_unit_name: str = ""
    home_organisation_name: str = ""

    @property
    def at_outpatient_clinic(self) -> bool:
        """Works at an outpatient clinic (TSB), where pathways are opened."""
        return Unit.Kind.OUTPATIENT in self.unit_kinds


_NOBODY = Standing()
# Written by hand: it runs on every access decision, and building it through the ORM cost
# more CPU than the query itself.
_STANDING_SQL = (
    "SELECT s.id, s.name, su.unit_id, u.name, o.name, u.kind FROM directory_staff s "
    "LEFT JOIN directory_staff_units su ON su.staff_id = s.id "
    "LEFT JOIN directory_unit u ON u.id = su.unit_id "
    "LEFT JOIN directory_organisation o ON o.id = u.organisation_id "
    "WHERE s.user_id = %s ORDER BY su.unit_id")
_CACHE = STANDING_ATTR
# Set on a request's user object once its standing is read for the request (request_standing).
_FOR_REQUEST = "_ettervern_standing_for_request"


def standing(user: Any, *, fresh: bool = True) -> Standing:
    """The user's staff record and units, in one short query.

    Every access decision reads it afresh (a unit left a moment ago no longer counts); it is
    kept on the user object so that what follows in the same decision (the audit row's
    identity, the bases of a list page) reuses it: `fresh=False`."""
    if not user.is_authenticated:
        return _NOBODY
    cached: Standing | None = getattr(user, _CACHE, None)
    if cached is not None and (not fresh or getattr(user, _FOR_REQUEST, False)):
        return cached
    with connection.cursor() as cursor:
        cursor.execute(_STANDING_SQL, [user.pk])
        rows = cursor.fetchall()
    if not rows:
        result = _NOBODY
    else:
        staff_id, name, _unit, unit_name, organisation, _kind = rows[0]
        units = [row for row in rows if row[2] is not None]
        result = Standing(staff_id=staff_id, name=name,
                          unit_ids=tuple(row[2] for row in units),
                          unit_kinds=tuple(row[5] for row in units),
                          home_unit_name=unit_name or "", home_organisation_name=organisation or "")
    setattr(user, _CACHE, result)
    return result


def request_standing(user: Any) -> Standing:
    """The standing of `request.user`, read once per request: by the first access decision or
    by this call, whichever comes first, and then what every later decision and the page shell
    of the same request use. Only for the user object of a request, which lives for that
    request alone; anything that keeps a user object longer uses `standing`, which reads
    afresh at each decision."""
    result = standing(user, fresh=False)
    if user.is_authenticated:
        setattr(user, _FOR_REQUEST, True)
    return result
