"""Reads of user-controlled beds that pages and the API share: published programmes, the
search across the country, free nights, agreements and bookings, the unit's day list and the
usage figures. Reads of patient data go through access.policy (and leave audit rows); the
programmes, the search and the usage figures hold none."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.consent_kinds import BEDS_VIEW
from ettervern.access.policy import Actor, Basis, require, require_staff
from ettervern.beds.access import UNIT_ROLE
from ettervern.beds.capacity import nights, scheduled
from ettervern.beds.models import (
    ACTIVE_STATUSES,
    Agreement,
    BedNight,
    Booking,
    Programme,
)
from ettervern.core import clock, sqlrows
from ettervern.core.dates import display_date
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.directory.models import Unit
from ettervern.directory.selectors import standing
from ettervern.pathways.notices import Notice
from ettervern.pathways.selectors import pathway_get

# The search looks at most this many nights at a time (a month and a bit).
SEARCH_MAX_NIGHTS = 62
# A unit's agreements, a page at a time.
UNIT_PAGE = 50


def _not_found() -> NotFound:
    return NotFound(_("Not found, or you have no access to it."))


def _uuid_or_none(value: Any) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


# --- programmes (no patient data) -------------------------------------------------------------

def _programmes() -> Any:
    return (Programme.objects.select_related("unit__organisation")
            .prefetch_related("target_groups"))


def programme_list(*, actor: Actor) -> list[Programme]:
    """Every published programme, by region and unit: any staff member reads them."""
    require_staff(actor, "bedprogramme.view")
    return published_programmes()


def published_programmes() -> list[Programme]:
    """The published programmes, for a form's choices (no patient data; the caller decides
    who sees the form)."""
    return list(_programmes().filter(published=True)
                .order_by("unit__organisation__region", "unit__name"))


def programme_get(*, actor: Actor, public_id: Any) -> Programme:
    """A published programme (or, unpublished, for its own unit's staff)."""
    require_staff(actor, "bedprogramme.view")
    key = _uuid_or_none(public_id)
    programme = _programmes().filter(public_id=key).first() if key else None
    if programme is None or not (programme.published or programme.unit_id in standing(
            actor.user, fresh=False).unit_ids):
        raise _not_found()
    return programme


def capacity_now(programme: Programme) -> int:
    return scheduled(programme, clock.today(), clock.today() + dt.timedelta(days=1))[
        clock.today()]


def capacity_changes(programme: Programme) -> list[Any]:
    return list(programme.capacity_changes.order_by("valid_from"))


def admin_units(actor: Actor) -> list[Unit]:
    """The residential units whose programme the actor keeps (as administrator or leader)."""
    staff = getattr(actor.user, "staff", None)
    if staff is None:
        return []
    mine = Q(leaders=staff)
    if staff.profession == "admin":
        mine |= Q(staff=staff)
    return list(Unit.objects.filter(mine, kind=Unit.Kind.RESIDENTIAL).distinct()
                .select_related("organisation"))


def programme_of(unit: Unit) -> Programme | None:
    return _programmes().filter(unit=unit).first()


# --- the search across the country --------------------------------------------------------------

@dataclass
class SearchRow:
    programme_id: str
    unit: str
    organisation: str
    region: str
    gender_separated: bool
    free_nights: int  # nights with at least one free bed
    free_beds: int    # free bed-nights in all
    first_free: dt.date | None


# One statement: every published programme that matches, each night of the range (a VALUES
# list), the night's row if it has one, else its capacity by the schedule (the change in force
# that night: a join on the changes' spans, not a subquery per night, whose estimated cost
# made PostgreSQL compile the statement with JIT on every search); summed per programme, then
# named. Only the range's night rows are read (bednight_by_night), not the table, which keeps
# every night of every year.
_SEARCH_SQL = """
WITH wanted(night) AS (VALUES {nights}),
schedule AS (
  SELECT c.programme_id, c.valid_from, c.beds,
    LEAD(c.valid_from) OVER (PARTITION BY c.programme_id ORDER BY c.valid_from) AS valid_until
  FROM beds_capacitychange c WHERE c.valid_from < {date}
), free AS (
  SELECT p.id AS programme_id, w.night AS night,
    COALESCE(b.capacity, s.beds, 0) - COALESCE(b.booked, 0) AS free
  FROM beds_programme p
  CROSS JOIN wanted w
  LEFT JOIN schedule s ON s.programme_id = p.id AND s.valid_from <= w.night
    AND (s.valid_until IS NULL OR w.night < s.valid_until)
  LEFT JOIN beds_bednight b ON b.programme_id = p.id AND b.night = w.night
    AND b.night >= {date} AND b.night < {date}
  WHERE p.published = %s{filters}
), totals AS (
  SELECT programme_id, SUM(CASE WHEN free > 0 THEN 1 ELSE 0 END) AS free_nights,
    SUM(CASE WHEN free > 0 THEN free ELSE 0 END) AS free_beds,
    MIN(CASE WHEN free > 0 THEN night END) AS first_free
  FROM free GROUP BY programme_id
)
SELECT p.public_id, u.name, o.name, o.region, p.gender_separated, t.free_nights, t.free_beds,
  t.first_free
FROM totals t
JOIN beds_programme p ON p.id = t.programme_id
JOIN directory_unit u ON u.id = p.unit_id
JOIN directory_organisation o ON o.id = u.organisation_id
ORDER BY 6 DESC, u.name
"""
_UNIT_FILTER = """ AND p.unit_id IN (SELECT u2.id FROM directory_unit u2
  JOIN directory_organisation o2 ON o2.id = u2.organisation_id WHERE {condition})"""
_GROUP_FILTER = """ AND EXISTS (SELECT 1 FROM beds_programme_target_groups g
  JOIN beds_targetgroup t ON t.id = g.targetgroup_id WHERE g.programme_id = p.id AND t.code = %s)"""


def search_sql(first: dt.date, until: dt.date, *, region: str = "", trust: Any = None,
               target_group: str = "", gender_separated: bool = False
               ) -> tuple[str, list[Any]]:
    """The search's statement and parameters (bench/ prints it beside its timings)."""
    days = list(nights(first, until))
    postgresql = connection.vendor == "postgresql"
    date = "CAST(%s AS date)" if postgresql else "%s"
    params: list[Any] = [connection.ops.adapt_datefield_value(d)
                         for d in (*days, until, first, until)]
    params.append(True)
    filters = ""
    if region:
        filters += _UNIT_FILTER.format(condition="o2.region = %s")
        params.append(region)
    if trust:
        filters += _UNIT_FILTER.format(condition="o2.public_id = %s")
        params.append(str(trust) if postgresql else str(trust).replace("-", ""))
    if target_group:
        filters += _GROUP_FILTER
        params.append(target_group)
    if gender_separated:
        filters += " AND p.gender_separated = %s"
        params.append(True)
    sql = _SEARCH_SQL.format(nights=", ".join([f"({date})"] * len(days)), date=date,
                             filters=filters)
    return sql, params


def check_range(first: dt.date, until: dt.date) -> None:
    if first < clock.today():
        raise InvalidInput(_("Search from today on: beds that have passed cannot be booked."),
                           field="first")
    if until <= first:
        raise InvalidInput(_("The end of the period must be after its start."), field="until")
    if (until - first).days > SEARCH_MAX_NIGHTS:
        raise InvalidInput(_("Search at most %(n)d nights at a time.")
                           % {"n": SEARCH_MAX_NIGHTS}, field="until")


def search(*, actor: Actor, first: dt.date, until: dt.date, region: str = "",
           trust: Any = None, target_group: str = "", gender_separated: bool = False
           ) -> list[SearchRow]:
    """Free user-controlled capacity per unit for the nights first … until − 1, for the
    coordinators of every region. No patient data."""
    require_staff(actor, "bedprogramme.search")
    check_range(first, until)
    if trust is not None and trust != "" and _uuid_or_none(trust) is None:
        raise InvalidInput(_("There is no such hospital trust."), field="trust")
    sql, params = search_sql(first, until, region=region, trust=_uuid_or_none(trust) if trust
                             else None, target_group=target_group,
                             gender_separated=gender_separated)
    date_field = Booking._meta.get_field("arrival")
    id_field = Programme._meta.get_field("public_id")
    return [SearchRow(programme_id=str(sqlrows.convert(id_field, public_id)), unit=unit,
                      organisation=organisation, region=region_code,
                      gender_separated=bool(separated),
                      free_nights=int(free_nights or 0), free_beds=int(free_beds or 0),
                      first_free=sqlrows.convert(date_field, first_free))
            for (public_id, unit, organisation, region_code, separated, free_nights, free_beds,
                 first_free) in sqlrows.fetch(sql, params)]


# --- free nights for a booking ---------------------------------------------------------------

@dataclass
class Night:
    night: dt.date
    free: int

    @property
    def is_free(self) -> bool:
        return self.free > 0


def free_nights(programme: Programme, first: dt.date, until: dt.date) -> list[Night]:
    """Each night first … until − 1 with its free beds (two queries)."""
    if until <= first:
        return []
    plan = scheduled(programme, first, until)
    for night, capacity, booked in BedNight.objects.filter(
            programme=programme, night__gte=first, night__lt=until).values_list(
                "night", "capacity", "booked"):
        plan[night] = capacity - booked
    return [Night(night, free) for night, free in sorted(plan.items())]


def bookable_window(agreement: Agreement) -> tuple[dt.date, dt.date]:
    """The arrivals the patient may choose now: from the notice the unit needs (and the
    agreement's start) to the booking horizon (and the agreement's end)."""
    programme, today = agreement.programme, clock.today()
    first = max(today + dt.timedelta(days=programme.min_notice_days), agreement.valid_from)
    last = min(today + dt.timedelta(days=programme.book_ahead_days), agreement.valid_to)
    return first, last


# --- agreements and bookings -----------------------------------------------------------------

def _agreements() -> Any:
    return (Agreement.objects.select_related("programme__unit__organisation", "pathway",
                                             "patient")
            .prefetch_related(Prefetch("bookings", queryset=Booking.objects.order_by(
                "arrival", "id"))))


def agreement_get(*, actor: Actor, public_id: Any, action: str = BEDS_VIEW) -> Agreement:
    key = _uuid_or_none(public_id)
    agreement = _agreements().filter(public_id=key).first() if key else None
    if agreement is None:
        raise _not_found()
    require(actor, agreement, action)
    return agreement


def booking_get(*, actor: Actor, public_id: Any, action: str) -> Booking:
    key = _uuid_or_none(public_id)
    booking = (Booking.objects.select_related("agreement__pathway",
                                              "agreement__programme__unit", "programme__unit",
                                              "patient")
               .filter(public_id=key).first()) if key else None
    if booking is None:
        raise _not_found()
    require(actor, booking, action)
    return booking


def agreement_lookup(public_id: Any) -> Agreement:
    """The agreement a write names. Reveals nothing by itself: the service's access check
    decides (and audits) whether the actor may act on it; unknown and forbidden both end as
    404."""
    key = _uuid_or_none(public_id)
    agreement = _agreements().filter(public_id=key).first() if key else None
    if agreement is None:
        raise _not_found()
    return agreement


def booking_lookup(public_id: Any) -> Booking:
    """Like agreement_lookup, for a booking."""
    key = _uuid_or_none(public_id)
    booking = (Booking.objects.select_related("agreement__pathway",
                                              "agreement__programme__unit", "programme__unit",
                                              "patient")
               .filter(public_id=key).first()) if key else None
    if booking is None:
        raise _not_found()
    return booking


def pathway_agreements(*, actor: Actor, public_id: Any) -> tuple[Any, list[Agreement]]:
    """The pathway and its agreements (with their bookings), for those who may read them."""
    pathway = pathway_get(actor=actor, public_id=public_id, action=BEDS_VIEW)
    return pathway, list(_agreements().filter(pathway=pathway))


def own_agreements(patient: Any) -> list[Agreement]:
    """The patient's agreements, newest first (the portal's; the caller is the patient)."""
    return list(_agreements().filter(patient=patient))


def unit_agreements(*, actor: Actor, unit: Unit, page: Any = 1) -> Page[Agreement]:
    """The agreements of one of the actor's units that their patients have accepted, newest
    first, a page of UNIT_PAGE at a time; patients who have blocked the reader are left out.
    Each patient named is an audited list read."""
    require_unit_staff(actor, unit)
    from ettervern.rights.models import Block

    rows = (_agreements().filter(programme__unit=unit, pathway__closed_at=None,
                                 accepted_at__isnull=False)
            .exclude(patient_id__in=Block.objects.filter(staff__user_id=actor.user_pk,
                                                         lifted_at__isnull=True)
                     .values("patient_id"))
            .order_by("-valid_to", "-id"))
    found = Paginator(rows, UNIT_PAGE).get_page(page)
    audit.record_many(audit.build(actor, action="bedagreement.list", patient_id=a.patient_id,
                                  obj=a, pathway_id=a.pathway_id, basis=Basis(UNIT_ROLE))
                      for a in found)
    return found


def require_unit_staff(actor: Actor, unit: Unit) -> None:
    require_staff(actor, "bedunit.view")
    if unit.pk not in standing(actor.user).unit_ids:
        audit.record(actor, action="bedunit.view", patient_id=None, obj=unit,
                     denied_because="not the unit's staff")
        raise _not_found()


def staff_bed_units(actor: Actor) -> list[Unit]:
    """The actor's units that have a programme (whose day lists they keep)."""
    ids = standing(actor.user, fresh=False).unit_ids
    return list(Unit.objects.filter(pk__in=ids, bed_programme__isnull=False)
                .select_related("organisation", "bed_programme"))


def unit_by_public_id(public_id: Any) -> Unit:
    key = _uuid_or_none(public_id)
    unit = Unit.objects.select_related("organisation").filter(public_id=key).first() if key \
        else None
    if unit is None:
        raise _not_found()
    return unit


@dataclass
class DayList:
    day: dt.date
    arrivals: list[Booking] = field(default_factory=list)
    staying: list[Booking] = field(default_factory=list)
    departures: list[Booking] = field(default_factory=list)
    capacity: int = 0
    booked: int = 0


def unit_day(*, actor: Actor, unit: Unit, day: dt.date) -> DayList:
    """The unit's arrivals, stays and departures on `day`: what the staff need at the door.
    Each patient named is an audited list read; patients who have blocked the reader are
    left out."""
    require_unit_staff(actor, unit)
    programme = Programme.objects.filter(unit=unit).first()
    result = DayList(day=day)
    if programme is None:
        return result
    rows = list(Booking.objects.filter(programme=programme, arrival__lte=day,
                                       departure__gte=day, status__in=ACTIVE_STATUSES)
                .select_related("patient", "agreement__pathway", "agreement__programme",
                                "stay").order_by("arrival", "id"))
    me = standing(actor.user, fresh=False)
    blocked = set(_blocked_patients(me.staff_id, {b.patient_id for b in rows}))
    rows = [b for b in rows if b.patient_id not in blocked]
    for booking in rows:
        left = booking.departed_on
        if left is not None and left < day:
            continue  # left early: no longer here that day
        if booking.arrival == day:
            result.arrivals.append(booking)
        elif booking.departure == day or left == day:
            result.departures.append(booking)
        else:
            result.staying.append(booking)
    night = free_nights(programme, day, day + dt.timedelta(days=1))[0]
    result.capacity = scheduled(programme, day, day + dt.timedelta(days=1))[day]
    result.booked = result.capacity - night.free
    audit.record_many(audit.build(actor, action="bedbooking.list", patient_id=b.patient_id,
                                  obj=b, pathway_id=b.agreement.pathway_id,
                                  basis=Basis(UNIT_ROLE))
                      for b in (*result.arrivals, *result.staying, *result.departures))
    return result


def _blocked_patients(staff_id: int | None, patient_ids: set[int]) -> list[int]:
    if staff_id is None or not patient_ids:
        return []
    from ettervern.rights.models import Block

    return list(Block.objects.filter(staff_id=staff_id, lifted_at__isnull=True,
                                     patient_id__in=patient_ids)
                .values_list("patient_id", flat=True))


# --- usage (no patient data) -----------------------------------------------------------------

@dataclass
class MonthUsage:
    month: dt.date
    agreements: int = 0
    bookings: int = 0
    nights_used: int = 0
    cancellations: int = 0
    refusals: Counter[str] = field(default_factory=Counter)

    @property
    def refusal_count(self) -> int:
        return sum(self.refusals.values())

    @property
    def refusal_lines(self) -> list[tuple[str, int]]:
        return [(str(Booking.RefusalReason(code).label), n)
                for code, n in sorted(self.refusals.items())]


def usage(*, actor: Actor, unit: Unit, year: int) -> list[MonthUsage]:
    """Per month of `year`: agreements made, stays booked (by arrival), nights used, stays
    cancelled, and stays the unit turned down with the reason. Counts only: any staff member
    reads them (the figure that shows whether the beds are used)."""
    require_staff(actor, "bedusage.view")
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("Choose a year."), field="year")
    months = {m: MonthUsage(month=dt.date(year, m, 1)) for m in range(1, 13)}
    programme = Programme.objects.filter(unit=unit).first()
    if programme is None:
        return list(months.values())
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    for made in Agreement.objects.filter(
            programme=programme, created_at__date__gte=start,
            created_at__date__lt=end).values_list("created_at", flat=True):
        months[clock_local(made).month].agreements += 1
    for arrival, departure, status, reason, departed_on in Booking.objects.filter(
            Q(arrival__gte=start, arrival__lt=end)
            | Q(departure__gt=start, departure__lte=end), programme=programme).values_list(
                "arrival", "departure", "status", "refusal_reason", "departed_on"):
        if start <= arrival < end:
            row = months[arrival.month]
            if status == Booking.Status.CANCELLED:
                row.cancellations += 1
            elif status == Booking.Status.REFUSED:
                row.refusals[reason] += 1
            else:
                row.bookings += 1
        if status in (Booking.Status.ARRIVED, Booking.Status.DEPARTED):
            last = min(departed_on or departure, departure, clock.today())
            for night in nights(arrival, last):
                if start <= night < end:
                    months[night.month].nights_used += 1
    return list(months.values())


def clock_local(value: dt.datetime) -> dt.datetime:
    from django.utils.timezone import localtime

    return localtime(value)


def month_name(month: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")


def days_in(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


# --- what others show: the pathway page, the portal, the crisis plan ---------------------------

def _line(agreement: Agreement) -> str:
    upcoming = [b for b in agreement.bookings.all()
                if b.status in (Booking.Status.BOOKED, Booking.Status.ARRIVED)]
    text = _("%(unit)s, %(start)s to %(end)s") % {
        "unit": agreement.programme.unit.name, "start": display_date(agreement.valid_from),
        "end": display_date(agreement.valid_to)}
    if not agreement.is_accepted:
        text += " — " + str(_("not yet accepted by the patient"))
    for booking in upcoming:
        status = (_("staying now, until %(end)s") if booking.status == Booking.Status.ARRIVED
                  else _("booked %(start)s to %(end)s"))
        text += " — " + str(status % {"start": display_date(booking.arrival),
                                      "end": display_date(booking.departure)})
    return str(text)


def pathway_notices(actor: Actor, pathway: Any, allowed: frozenset[str]) -> list[Notice]:
    """The pathway page names the patient's current agreements and booked stays, for those
    who may read them."""
    if BEDS_VIEW not in allowed:
        return []
    current = [a for a in _agreements().filter(pathway=pathway,
                                                valid_to__gte=clock.today())]
    if not current:
        return []
    return [Notice(title=str(_("User-controlled bed")),
                   lines=tuple(_line(a) for a in current))]


def worklist_notices(actor: Actor) -> list[Notice]:
    """Staff of a unit with user-controlled beds see today's arrivals and departures above
    their worklist, with the way to the day list (counts only: no patient named). One query."""
    me = standing(actor.user, fresh=False)
    if me.staff_id is None or Unit.Kind.RESIDENTIAL not in me.unit_kinds:
        return []
    today = clock.today()
    rows = list(Booking.objects.filter(
        programme__unit_id__in=me.unit_ids, status__in=ACTIVE_STATUSES)
        .filter(Q(arrival=today, status=Booking.Status.BOOKED)
                | Q(departure=today, status=Booking.Status.ARRIVED))
        .values_list("programme__unit__name", "arrival"))
    if not rows:
        return []
    lines = []
    for name in sorted({unit for unit, _arrival in rows}):
        arrivals = sum(1 for unit, arrival in rows if unit == name and arrival == today)
        departures = sum(1 for unit, arrival in rows if unit == name and arrival != today)
        lines.append(str(_("%(unit)s: %(arrivals)d arriving and %(departures)d leaving today "
                           "(user-controlled beds, see the unit's day list).")
                         % {"unit": name, "arrivals": arrivals, "departures": departures}))
    return [Notice(title=str(_("User-controlled beds today")), lines=tuple(lines))]


def crisis_plan_agreements(pathway: Any) -> list[Agreement]:
    """The current agreements the crisis plan shows (its page has checked CRISIS_VIEW)."""
    return [a for a in _agreements().filter(pathway=pathway, in_crisis_plan=True,
                                            valid_to__gte=clock.today())]


def portal_card(page: Any) -> dict[str, Any] | None:
    """The portal's card: the patient's agreement, what to do next. Not for next of kin
    (they see the agreement on its own page, with the patient's consent)."""
    if page.basis.role != "patient":
        return None
    agreements = [a for a in _agreements().filter(patient_id=page.pathway.patient_id,
                                                  valid_to__gte=clock.today())]
    if not agreements:
        return None
    return {"agreements": agreements,
            "pending": [a for a in agreements if not a.is_accepted]}
