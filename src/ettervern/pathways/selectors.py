"""Reads of pathways that pages and the API share. Each one passes the access policy and
leaves audit records: one per pathway shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import DateField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.consent_kinds import BY_CODE
from ettervern.access.policy import (
    CONSENT_VIEW,
    HANDOVER,
    TEAM,
    VIEW,
    WHAT_MATTERS_VIEW,
    Actor,
    Basis,
    allowed_actions,
    require,
    require_all,
)
from ettervern.core import clock, sqlrows
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.core.paging import WindowedList, windowed_page
from ettervern.directory.models import Organisation, Staff, Unit
from ettervern.directory.selectors import standing
from ettervern.pathways.events import HIDDEN_WITHOUT
from ettervern.pathways.models import (
    ROLE_PROFESSIONS,
    CareTeamMember,
    CoordinatorHandover,
    Pathway,
    PathwayEvent,
    Stay,
)
from ettervern.pathways.phases import Phase
from ettervern.pathways.team import bases_by_pathway, combine, reaching_conditions
from ettervern.patients.models import Consent, NextOfKin, Patient, WhatMatters

# Worklist scopes: "mine" = my own roles (coordinator, care team, my patient/consent);
# "unit" adds every pathway my unit coordinates or treats.
SCOPES = ("mine", "unit")
# A next of kin's worklist row shows the pathway overview, which only that kind of consent
# opens; what other kinds share is listed by portal.selectors.shared_with_me.
_MINE_ROLES = ["coordinator", *[f"team:{r.value}" for r in CareTeamMember.Role], "patient",
               "consent:pathway", "closed:coordinator"]


# The pathway with its patient, coordinating unit and coordinator, as the worklist's rows and
# every read of one pathway need it. The reads below are written by hand (core.sqlrows): they
# run on every page and endpoint, and Django compiling them cost more than running them.
# tests/pathways/test_hand_written_reads.py holds each equal to the ORM's answer.
_PATHWAY = [sqlrows.Part(Pathway, "p"), sqlrows.Part(Patient, "pt", "p", "patient"),
            sqlrows.Part(Unit, "cu", "p", "coordinating_unit"),
            sqlrows.Part(Staff, "co", "p", "coordinator")]
_PATHWAY_FROM = """FROM pathways_pathway p
JOIN patients_patient pt ON pt.id = p.patient_id
JOIN directory_unit cu ON cu.id = p.coordinating_unit_id
LEFT JOIN directory_staff co ON co.id = p.coordinator_id"""

# The worklist's rows add the figures a row shows from the stays (equal to what
# PathwayDetail.row computes from them in Python).
_ROWS_SQL = """
SELECT {parts},
  (SELECT u.name FROM pathways_stay s JOIN directory_unit u ON u.id = s.unit_id
   WHERE s.pathway_id = p.id AND s.status = %s AND s.kind = 'residential'
   ORDER BY s.planned_start, s.id LIMIT 1),
  (SELECT s.planned_end FROM pathways_stay s
   WHERE s.pathway_id = p.id AND s.status = %s ORDER BY s.planned_start, s.id LIMIT 1),
  (SELECT s.kind FROM pathways_stay s
   WHERE s.pathway_id = p.id AND s.status = %s ORDER BY s.planned_start, s.id LIMIT 1),
  (SELECT MIN(s.planned_start) FROM pathways_stay s
   WHERE s.pathway_id = p.id AND s.status = %s AND s.planned_start >= %s),
  (SELECT MIN(s.admitted_on) FROM pathways_stay s
   WHERE s.pathway_id = p.id AND s.admitted_on IS NOT NULL)
{joins}
WHERE p.id IN ({ids})
ORDER BY p.opened_at DESC, p.id DESC
"""
_DATE = DateField()


def _overview_rows(ids: Sequence[int], today: dt.date) -> list[Pathway]:
    """The pathways `ids`, newest first, with what a worklist row shows (no N+1)."""
    if not ids:
        return []
    sql = _ROWS_SQL.format(parts=sqlrows.select_list(_PATHWAY), joins=_PATHWAY_FROM,
                           ids=sqlrows.marks(ids))
    params = [Stay.Status.ONGOING.value, Stay.Status.ONGOING.value, Stay.Status.ONGOING.value,
              Stay.Status.PLANNED.value,
              connection.ops.adapt_datefield_value(today), *ids]
    pathways: list[Pathway] = []
    for pathway, (treating, planned_end, ongoing_kind, next_start, first_admitted) in (
            sqlrows.read(_PATHWAY, sqlrows.fetch(sql, params))):
        pathway.treating_unit_name = treating
        pathway.ongoing_kind = ongoing_kind
        pathway.ongoing_planned_end = sqlrows.convert(_DATE, planned_end)
        pathway.next_planned_start = sqlrows.convert(_DATE, next_start)
        pathway.first_admitted_on = sqlrows.convert(_DATE, first_admitted)
        pathways.append(pathway)
    return pathways


_ONE_PATHWAY_SQL = f"SELECT {{parts}} {_PATHWAY_FROM} WHERE p.public_id = %s"  # noqa: S608
_PUBLIC_ID = Pathway._meta.get_field("public_id")


def _get(public_id: Any) -> Pathway:
    """The pathway named by its public id (with patient, unit and coordinator), or 404."""
    try:
        key = _PUBLIC_ID.get_db_prep_value(_PUBLIC_ID.to_python(public_id), connection)
    except (ValueError, TypeError, AttributeError, DjangoValidationError):
        raise _not_found() from None
    found = sqlrows.read(_PATHWAY, sqlrows.fetch(
        _ONE_PATHWAY_SQL.format(parts=sqlrows.select_list(_PATHWAY)), [key]))
    if not found:
        raise _not_found()
    pathway: Pathway = found[0][0]
    return pathway


_STAYS = [sqlrows.Part(Stay, "s"), sqlrows.Part(Unit, "u", "s", "unit"),
          sqlrows.Part(Organisation, "o", "u", "organisation")]
_STAYS_SQL = """SELECT {parts} FROM pathways_stay s
JOIN directory_unit u ON u.id = s.unit_id JOIN directory_organisation o ON o.id = u.organisation_id
WHERE s.pathway_id = %s ORDER BY s.planned_start, s.id"""
_TEAM = [sqlrows.Part(CareTeamMember, "m"), sqlrows.Part(Staff, "st", "m", "staff")]
_TEAM_SQL = """SELECT {parts} FROM pathways_careteammember m
JOIN directory_staff st ON st.id = m.staff_id
WHERE m.pathway_id = %s AND m.ended_at IS NULL ORDER BY m.role, st.name, m.id"""


def _parts_of(pathway: Pathway, parts: list[sqlrows.Part], sql: str) -> list[Any]:
    """Rows of one pathway's part (its stays, its team), each knowing its pathway."""
    found = [instance for instance, _rest in sqlrows.read(
        parts, sqlrows.fetch(sql.format(parts=sqlrows.select_list(parts)), [pathway.pk]))]
    for instance in found:
        sqlrows.attach(instance, "pathway", pathway)
    return found


@dataclass
class WorklistRow:
    pathway: Pathway

    @property
    def days_waiting(self) -> int | None:
        """Days from referral (or first contact) to first admission, or to today while waiting."""
        start = self.pathway.started_on
        end: dt.date | None = getattr(self.pathway, "first_admitted_on", None)
        if end is None:
            if self.pathway.phase not in (Phase.CONTACT, Phase.PRE_ADMISSION):
                return None
            end = clock.today()
        return max((end - start).days, 0)

    @property
    def next_planned_date(self) -> dt.date | None:
        today = clock.today()
        candidates = [
            d for d in (getattr(self.pathway, "next_planned_start", None),
                        getattr(self.pathway, "ongoing_planned_end", None))
            if d is not None and d >= today
        ]
        return min(candidates) if candidates else None

    @property
    def in_user_controlled_stay(self) -> bool:
        """The patient is on a user-controlled stay now (booked by themselves, beds/)."""
        return getattr(self.pathway, "ongoing_kind", None) == Stay.Kind.USER_CONTROLLED

    @property
    def responsible_unit_name(self) -> str:
        treating: str | None = getattr(self.pathway, "treating_unit_name", None)
        return treating or self.pathway.coordinating_unit.name


@dataclass
class Worklist:
    page: Page
    rows: list[WorklistRow]
    scope: str
    phase: str
    query: str

    @property
    def page_numbers(self) -> list[int | str]:
        """The pages to link: the first, the last and two on each side of this one, with
        the paginator's ellipsis between (a unit's list can run to many pages)."""
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2,
                                                              on_ends=1))


class _Reached(WindowedList):
    """What the worklist's Paginator pages through: the pathways the user reaches, newest
    first. The ids of a page and the total come from the UNION of the user's own branches
    (each narrowed by phase and name) in one query; the rows are then read by those ids
    alone, so no query ever joins the union against all open pathways."""

    def __init__(self, branches: list[QuerySet[Pathway]], offset: int, limit: int) -> None:
        super().__init__(offset, limit)
        self._reached = combine([b.values("id", "opened_at") for b in branches])

    def _fetch(self, offset: int, limit: int) -> tuple[list[Any], int | None]:
        sql, params = self._reached.query.sql_with_params()
        # The union is Django's own SQL; only the window around it is written here.
        paged = (f"SELECT id, COUNT(*) OVER () FROM ({sql}) reached "  # noqa: S608
                 "ORDER BY opened_at DESC, id DESC LIMIT %s OFFSET %s")
        rows = sqlrows.fetch(paged, (*params, limit, offset))
        return [row[0] for row in rows], (rows[0][1] if rows else None)

    def _count(self) -> int:
        return self._reached.count()

    def _materialise(self, items: list[Any]) -> list[Any]:
        return _overview_rows(items, clock.today()) if items else []


def pathway_worklist(*, actor: Actor, scope: str = "mine", phase: str = "", query: str = "",
                     page: int = 1, page_size: int = 25) -> Worklist:
    if scope not in SCOPES:
        raise InvalidInput(_("Unknown scope."), field="scope")
    if phase and phase not in Phase.values:
        raise InvalidInput(_("Unknown phase."), field="phase")
    roles = _MINE_ROLES if scope == "mine" else None
    conditions = reaching_conditions(actor.user, roles=roles)  # type: ignore[arg-type]
    # Without a phase filter, closed pathways are left out: by `closed_at`, which the
    # open-pathway indexes are partial on (a check constraint ties it to the phase).
    narrow = Q(phase=phase) if phase else Q(closed_at__isnull=True)
    for word in query.split():
        narrow &= Q(patient__given_name__icontains=word) | Q(patient__family_name__icontains=word)
    narrowed = [Pathway.objects.filter(condition, narrow) for condition in conditions]
    offset = (page - 1) * page_size if isinstance(page, int) and page > 0 else 0
    reached: _Reached | list[Pathway] = _Reached(narrowed, offset, page_size) if narrowed else []
    current = Paginator(reached, page_size).get_page(page)
    rows = [WorklistRow(p) for p in current.object_list]
    bases = bases_by_pathway(actor.user, [row.pathway for row in rows])  # type: ignore[arg-type]
    audit.record_many(
        audit.build(actor, action="pathway.list", patient_id=row.pathway.patient_id,
                    obj=row.pathway, pathway=row.pathway, basis=bases.get(row.pathway.pk))
        for row in rows
    )
    return Worklist(page=current, rows=rows, scope=scope, phase=phase, query=query)


def pathway_get(*, actor: Actor, public_id: Any, action: str = VIEW) -> Pathway:
    """One pathway, if the actor may do `action` on it (audited either way)."""
    pathway = _get(public_id)
    require(actor, pathway, action)
    return pathway


def _not_found() -> NotFound:
    return NotFound(_("Not found, or you have no access to it."))


def stay_lookup(public_id: Any) -> Stay:
    """The stay a write names. Reveals nothing by itself: the service's access check decides
    (and audits) whether the actor may act on it; unknown and forbidden both end as 404."""
    try:
        return Stay.objects.select_related("pathway", "unit").get(public_id=public_id)
    except (Stay.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise _not_found() from None


def careteam_member_lookup(public_id: Any) -> CareTeamMember:
    """Like stay_lookup, for a care-team role."""
    try:
        return CareTeamMember.objects.select_related("pathway", "staff").get(public_id=public_id)
    except (CareTeamMember.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise _not_found() from None


def pathway_lookup(public_id: Any) -> Pathway:
    """Like stay_lookup, for a pathway named by a write (which needs no worklist figures)."""
    return _get(public_id)


def stay_get(*, actor: Actor, public_id: Any, action: str) -> Stay:
    stay = stay_lookup(public_id)
    require(actor, stay, action)
    return stay


def careteam_member_get(*, actor: Actor, public_id: Any, action: str) -> CareTeamMember:
    member = careteam_member_lookup(public_id)
    require(actor, member.pathway, action, obj=member)
    return member


EVENTS_PAGE_SIZE = 50


@dataclass
class PathwayDetail:
    """A pathway the actor may see, and what its page shows. The parts beyond the pathway are
    read when first used, each in one query: the API's answer needs stays and team only, the
    timeline only the events."""

    pathway: Pathway
    basis: Basis
    allowed: frozenset[str] = field(default_factory=frozenset)
    events_page: int = 1

    @property
    def treating_unit_name(self) -> str:
        return self.row.responsible_unit_name

    @cached_property
    def row(self) -> WorklistRow:
        """The worklist's figures, from the stays this page reads anyway (the same values
        `_overview_rows` computes in SQL for a list)."""
        pathway, stays, today = self.pathway, self.stays, clock.today()
        ongoing = next((s for s in stays if s.status == Stay.Status.ONGOING), None)
        # A user-controlled stay's unit is not treatment-responsible: the clinic stays so.
        pathway.treating_unit_name = (  # type: ignore[attr-defined]
            ongoing.unit.name if ongoing and ongoing.kind == Stay.Kind.RESIDENTIAL else None)
        pathway.ongoing_planned_end = ongoing.planned_end if ongoing else None  # type: ignore[attr-defined]
        pathway.ongoing_kind = ongoing.kind if ongoing else None  # type: ignore[attr-defined]
        pathway.next_planned_start = min(  # type: ignore[attr-defined]
            (s.planned_start for s in stays
             if s.status == Stay.Status.PLANNED and s.planned_start >= today), default=None)
        pathway.first_admitted_on = min(  # type: ignore[attr-defined]
            (s.admitted_on for s in stays if s.admitted_on is not None), default=None)
        return WorklistRow(pathway)

    @cached_property
    def stays(self) -> list[Stay]:
        return _parts_of(self.pathway, _STAYS, _STAYS_SQL)

    @cached_property
    def team(self) -> list[CareTeamMember]:
        return _parts_of(self.pathway, _TEAM, _TEAM_SQL)

    @cached_property
    def what_matters(self) -> WhatMatters | None:
        """What the patient wrote for staff ("what matters to me"), for those who may read it
        (WHAT_MATTERS_VIEW: the team; never a next of kin)."""
        if WHAT_MATTERS_VIEW not in self.allowed:
            return None
        return WhatMatters.objects.filter(patient_id=self.pathway.patient_id).first()

    @cached_property
    def close_people(self) -> list[NextOfKin]:
        """The patient's next of kin and trust persons, each with the kinds shared with them
        today (`shared_kinds`), for the team's page (two queries)."""
        if CONSENT_VIEW not in self.allowed:
            return []
        today = clock.today()
        people = list(NextOfKin.objects.filter(patient_id=self.pathway.patient_id)
                      .order_by("-kind", "name", "id"))
        if not people:
            return people
        shared: dict[int, list[str]] = {}
        for consent in Consent.objects.filter(patient_id=self.pathway.patient_id,
                                              withdrawn_at__isnull=True,
                                              valid_from__lte=today).order_by("id"):
            kind = BY_CODE.get(consent.kind)
            if kind is not None and consent.is_active_on(today):
                shared.setdefault(consent.next_of_kin_id, []).append(str(kind.label))
        for person in people:
            person.shared_kinds = shared.get(person.pk, [])  # type: ignore[attr-defined]
        return people

    @cached_property
    def handovers(self) -> list[CoordinatorHandover]:
        return list(self.pathway.handovers.select_related("from_staff", "to_staff")
                    .order_by("-at")[:10])

    @cached_property
    def events(self) -> Page:
        return _events(self.pathway, self.events_page, self.allowed)


def pathway_detail(*, actor: Actor, public_id: Any, events_page: int = 1) -> PathwayDetail:
    """The pathway, if the actor may see it (audited either way); its parts follow on use."""
    pathway = _get(public_id)
    basis, bases = require_all(actor, pathway, VIEW)
    return PathwayDetail(pathway=pathway, basis=basis, allowed=allowed_actions(bases),
                         events_page=events_page)


def _events(pathway: Pathway, page: int, allowed: frozenset[str]) -> Page:
    """A page of the events the reader may see: planning's only to those who may read the plan,
    the bed agreements' only to those who may read them (events.HIDDEN_WITHOUT)."""
    events = PathwayEvent.objects.filter(pathway=pathway)
    hidden = Q()
    for action, kinds in HIDDEN_WITHOUT:
        if action not in allowed:
            for prefix in kinds:
                hidden |= Q(kind__startswith=prefix)
    if hidden:
        events = events.exclude(hidden)
    return windowed_page(events.order_by("-at", "-id"), page, EVENTS_PAGE_SIZE)


def pathway_timeline(*, actor: Actor, public_id: Any, page: int = 1) -> Page:
    """A page of the pathway's events, newest first, if the actor may see the pathway
    (audited as a read of it, like the pathway page)."""
    pathway = _get(public_id)
    _basis, bases = require_all(actor, pathway, VIEW)
    return _events(pathway, page, allowed_actions(bases))


# --- person pickers -------------------------------------------------------------------------

HANDOVER_PURPOSE = "handover"
_HANDOVER_PROFESSIONS: frozenset[str] = frozenset({Staff.Profession.COORDINATOR,
                                                   Staff.Profession.CLINICIAN})


@dataclass
class Candidate:
    """A person a picker offers: enough to tell namesakes apart, and whether they fit."""

    staff: Staff
    units: list[Unit]
    fits: bool


def _fitting_units(pathway: Pathway, purpose: str) -> Q:
    """The units whose people fit the purpose first: the patient's municipality for the
    municipal contact, NAV and GP; the coordinating clinic (and, for the specialist contact,
    the units of current stays) for clinicians."""
    municipality = pathway.patient.municipality
    local = Q(pk__in=[])
    if municipality is not None:
        # Units name their municipality as people do ("Oslo"), the organisation is "Oslo kommune".
        place = municipality.name.removesuffix(" kommune")
        local = (Q(organisation=municipality)
                 | Q(municipality_name__in={municipality.name, place}))
    if purpose == CareTeamMember.Role.MUNICIPAL_CONTACT:
        return local & Q(kind=Unit.Kind.MUNICIPAL)
    if purpose == CareTeamMember.Role.NAV_CONTACT:
        return local & Q(kind=Unit.Kind.NAV)
    if purpose == CareTeamMember.Role.GP:
        return local & Q(kind=Unit.Kind.GP)
    clinic = Q(pk=pathway.coordinating_unit_id)
    if purpose == CareTeamMember.Role.SPECIALIST_CONTACT:
        return clinic | Q(pk__in=pathway.stays.filter(
            status__in=[Stay.Status.PLANNED, Stay.Status.ONGOING]).values("unit_id"))
    return clinic


def person_candidates(*, actor: Actor, public_id: Any, purpose: str, query: str = "",
                      limit: int = 12) -> list[Candidate]:
    """People to offer for a care-team role or a hand-over on this pathway (audited as the
    action they are picked for). Without a query only those who fit are offered; with one,
    those who fit come first. Only people of a profession that may hold the role."""
    pathway = pathway_lookup(public_id)
    if purpose == HANDOVER_PURPOSE:
        require(actor, pathway, HANDOVER)
        professions: frozenset[str] = _HANDOVER_PROFESSIONS
    elif purpose in CareTeamMember.Role.values:
        require(actor, pathway, TEAM)
        professions = ROLE_PROFESSIONS[purpose]
    else:
        raise InvalidInput(_("Unknown role on the care team."), field="purpose")
    fitting = Unit.objects.filter(_fitting_units(pathway, purpose)).values("pk")
    memberships = Staff.units.through.objects.filter(staff_id=OuterRef("pk"))
    people = Staff.objects.filter(profession__in=professions).annotate(
        fits=Exists(memberships.filter(unit_id__in=fitting)))
    if purpose == HANDOVER_PURPOSE:
        people = people.filter(Exists(memberships.filter(unit__kind=Unit.Kind.OUTPATIENT)))
        if pathway.coordinator_id is not None:
            people = people.exclude(pk=pathway.coordinator_id)
    words = query.split()[:4]
    if not words:
        people = people.filter(fits=True)
    for word in words:
        people = people.filter(name__icontains=word)
    chosen = list(people.order_by("-fits", "name", "id")
                  .prefetch_related(Prefetch("units", Unit.objects.select_related(
                      "organisation").order_by("name", "id")))[:limit])
    return [Candidate(staff=person, units=list(person.units.all()), fits=person.fits)
            for person in chosen]


# --- hand-overs to me -----------------------------------------------------------------------

HANDOVER_NOTICE_DAYS = 14


# Written by hand (core.sqlrows), as the worklist's rows are: it runs on every worklist page.
# tests/pathways/test_hand_written_reads.py holds it equal to the ORM's answer.
_HANDOVERS = [sqlrows.Part(CoordinatorHandover, "h"),
              sqlrows.Part(Pathway, "p", "h", "pathway"),
              sqlrows.Part(Patient, "pt", "p", "patient"),
              sqlrows.Part(Staff, "fs", "h", "from_staff")]
_HANDOVERS_SQL = """SELECT {parts} FROM pathways_coordinatorhandover h
JOIN pathways_pathway p ON p.id = h.pathway_id JOIN patients_patient pt ON pt.id = p.patient_id
LEFT JOIN directory_staff fs ON fs.id = h.from_staff_id
WHERE h.to_staff_id = %s AND h.at >= %s AND p.coordinator_id = %s AND p.closed_at IS NULL
ORDER BY h.at DESC, h.id DESC LIMIT %s"""


def handovers_to_me(*, actor: Actor, limit: int = 10) -> list[CoordinatorHandover]:
    """Recent hand-overs of pathways that the actor now coordinates, with the reason, for the
    top of their worklist. Each shown pathway is an audited list read."""
    me = standing(actor.user, fresh=False)  # as the worklist's access decision read it
    if me.staff_id is None:
        return []
    since = connection.ops.adapt_datetimefield_value(
        clock.now() - dt.timedelta(days=HANDOVER_NOTICE_DAYS))
    handovers = [h for h, _rest in sqlrows.read(_HANDOVERS, sqlrows.fetch(
        _HANDOVERS_SQL.format(parts=sqlrows.select_list(_HANDOVERS)),
        [me.staff_id, since, me.staff_id, limit]))]
    audit.record_many(
        audit.build(actor, action="pathway.list", patient_id=h.pathway.patient_id,
                    obj=h.pathway, pathway=h.pathway, basis=Basis("coordinator"))
        for h in handovers
    )
    return handovers


# --- opening a pathway ----------------------------------------------------------------------

def opening_units(user: Any) -> QuerySet[Unit]:
    """The outpatient clinics where `user` may open pathways (none for anyone else)."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return Unit.objects.none()
    return staff.units.filter(kind=Unit.Kind.OUTPATIENT).select_related("organisation")


def open_pathway_for(actor: Actor, national_id: str) -> Pathway | None:
    """The patient's open pathway, when the actor may see it (their own or their clinic's):
    a refused opening can then link to it. Others learn nothing more than the refusal said."""
    pathway = (Pathway.objects.filter(patient__national_id=national_id, closed_at__isnull=True)
               .select_related("patient").first())
    if pathway is None or VIEW not in allowed_actions(pathway.access_bases(actor.user)):  # type: ignore[arg-type]
        return None
    return pathway
