"""Reads of pathways that pages and the API share. Each one passes the access policy and
leaves audit records: one per pathway shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.policy import VIEW, Actor, Basis, allowed_actions, require, require_all
from ettervern.core import clock
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.pathways.models import (
    CareTeamMember,
    CoordinatorHandover,
    Pathway,
    PathwayEvent,
    Stay,
)
from ettervern.pathways.phases import Phase
from ettervern.pathways.team import accessible_pathways, bases_by_pathway

# Worklist scopes: "mine" = my own roles (coordinator, care team, my patient/consent);
# "unit" adds every pathway my unit coordinates or treats.
SCOPES = ("mine", "unit")
_MINE_ROLES = ["coordinator", *[f"team:{r.value}" for r in CareTeamMember.Role], "patient",
               "consent:pathway"]


def _with_overview(pathways: QuerySet[Pathway]) -> QuerySet[Pathway]:
    """Annotate what a worklist row shows, in the same query: no N+1."""
    today = clock.today()
    ongoing = Stay.objects.filter(pathway=OuterRef("pk"), status=Stay.Status.ONGOING)
    next_planned_start = (
        Stay.objects.filter(pathway=OuterRef("pk"), status=Stay.Status.PLANNED,
                            planned_start__gte=today)
        .order_by("planned_start").values("planned_start")[:1]
    )
    return (
        pathways.select_related("patient", "coordinating_unit", "coordinator")
        .annotate(
            treating_unit_name=Subquery(ongoing.values("unit__name")[:1]),
            ongoing_planned_end=Subquery(ongoing.values("planned_end")[:1]),
            next_planned_start=Subquery(next_planned_start),
            first_admitted_on=Subquery(
                Stay.objects.filter(pathway=OuterRef("pk"), admitted_on__isnull=False)
                .order_by("admitted_on").values("admitted_on")[:1]
            ),
        )
    )


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


def pathway_worklist(*, actor: Actor, scope: str = "mine", phase: str = "", query: str = "",
                     page: int = 1, page_size: int = 25) -> Worklist:
    if scope not in SCOPES:
        raise InvalidInput(_("Unknown scope."), field="scope")
    if phase and phase not in Phase.values:
        raise InvalidInput(_("Unknown phase."), field="phase")
    roles = _MINE_ROLES if scope == "mine" else None
    pathways = accessible_pathways(actor.user, roles=roles)  # type: ignore[arg-type]
    # Without a phase filter, closed pathways are left out.
    pathways = pathways.filter(phase=phase) if phase else pathways.exclude(phase=Phase.CLOSED)
    if query:
        words = query.split()
        for word in words:
            pathways = pathways.filter(Q(patient__given_name__icontains=word)
                                       | Q(patient__family_name__icontains=word))
    pathways = _with_overview(pathways).order_by(F("opened_at").desc(), "-id")
    paginator = Paginator(pathways, page_size)
    current = paginator.get_page(page)
    rows = [WorklistRow(p) for p in current.object_list]
    bases = bases_by_pathway(actor.user, [row.pathway.pk for row in rows])  # type: ignore[arg-type]
    audit.record_many(
        audit.build(actor, action="pathway.list", patient_id=row.pathway.patient_id,
                    obj=row.pathway, pathway=row.pathway, basis=bases.get(row.pathway.pk))
        for row in rows
    )
    return Worklist(page=current, rows=rows, scope=scope, phase=phase, query=query)


def _get(public_id: Any) -> Pathway:
    try:
        return _with_overview(Pathway.objects.all()).get(public_id=public_id)
    except (Pathway.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise _not_found() from None


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
    """Like stay_lookup, for a pathway named by a write."""
    return _get(public_id)


def stay_get(*, actor: Actor, public_id: Any, action: str) -> Stay:
    stay = stay_lookup(public_id)
    require(actor, stay, action)
    return stay


def careteam_member_get(*, actor: Actor, public_id: Any, action: str) -> CareTeamMember:
    member = careteam_member_lookup(public_id)
    require(actor, member.pathway, action, obj=member)
    return member


@dataclass
class PathwayDetail:
    pathway: Pathway
    basis: Basis
    row: WorklistRow
    stays: list[Stay]
    team: list[CareTeamMember]
    handovers: list[CoordinatorHandover]
    events: Page
    allowed: frozenset[str] = field(default_factory=frozenset)

    @property
    def treating_unit_name(self) -> str:
        return self.row.responsible_unit_name


def pathway_detail(*, actor: Actor, public_id: Any, events_page: int = 1) -> PathwayDetail:
    """Everything the pathway page shows, in a fixed number of queries."""
    pathway = _get(public_id)
    basis, bases = require_all(actor, pathway, VIEW)
    stays = list(pathway.stays.select_related("unit__organisation").order_by("planned_start", "id"))
    team = list(pathway.team.filter(ended_at__isnull=True).select_related("staff")
                .order_by("role", "staff__name"))
    handovers = list(pathway.handovers.select_related("from_staff", "to_staff")
                     .order_by("-at")[:10])
    events = Paginator(
        PathwayEvent.objects.filter(pathway=pathway).order_by("-at", "-id"), 50
    ).get_page(events_page)
    return PathwayDetail(
        pathway=pathway, basis=basis, row=WorklistRow(pathway), stays=stays, team=team,
        handovers=handovers, events=events,
        allowed=allowed_actions(bases),
    )
