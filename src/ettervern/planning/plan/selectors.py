"""Reads of the individual plan that pages and the API share. Each passes the access policy and
leaves one audit record per request; `plan_flags` serves the worklist (its rows are audited by
the worklist itself)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import DateField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import PLAN_VIEW, Actor, Basis, allowed_actions, require_all
from ettervern.catalogue.models import Offer
from ettervern.catalogue.selectors import offers_for
from ettervern.core import clock, sqlrows
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.core.workdays import add_working_days
from ettervern.directory.models import Staff
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.planning.plan import versions
from ettervern.planning.plan.models import Measure, Plan, PlanComment, PlanSection, PlanVersion

# A plan not ready this many Norwegian working days before its deadline is flagged as due.
DUE_SOON_WORKING_DAYS = 5
VERSIONS_PAGE_SIZE = 20
COMMENTS_SHOWN = 20


def _not_found() -> NotFound:
    return NotFound(_("Not found, or you have no access to it."))


def _pathway(public_id: Any) -> Pathway:
    try:
        # The patient's municipality too: the offers a measure may pick depend on it.
        return Pathway.objects.select_related("patient__municipality", "coordinator",
                                              "coordinating_unit").get(public_id=public_id)
    except (Pathway.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise _not_found() from None


def _deadline_of(pathway_ref: Any) -> Coalesce:
    """The planned discharge: the planned end of the ongoing stay, else of the next planned one.
    The plan is due at the latest before it."""
    stays = Stay.objects.filter(pathway=pathway_ref, planned_end__isnull=False)
    ongoing = stays.filter(status=Stay.Status.ONGOING).values("planned_end")[:1]
    planned = (stays.filter(status=Stay.Status.PLANNED).order_by("planned_start", "id")
               .values("planned_end")[:1])
    return Coalesce(Subquery(ongoing), Subquery(planned))


@lru_cache(maxsize=4)
def _due_soon_before(today: dt.date) -> dt.date:
    """The first deadline that is NOT due soon: a deadline before it is at most
    DUE_SOON_WORKING_DAYS Norwegian working days away (counting through the deadline)."""
    return add_working_days(today, DUE_SOON_WORKING_DAYS + 1)


@dataclass
class PlanFlags:
    """What the worklist says about a pathway's plan."""

    has_plan: bool
    ready: bool  # a coordinator and at least one measure
    seen: bool  # the patient has opened the current version
    agreed: bool
    deadline: dt.date | None

    @property
    def late(self) -> bool:
        return self.deadline is not None and not self.ready and clock.today() >= self.deadline

    @property
    def due_soon(self) -> bool:
        return (self.deadline is not None and not self.ready and not self.late
                and self.deadline < _due_soon_before(clock.today()))

    @property
    def unseen(self) -> bool:
        return self.has_plan and not self.seen

    @property
    def codes(self) -> list[str]:
        return [code for code in ("late", "due_soon", "unseen") if getattr(self, code)]


# Written by hand (core.sqlrows): it runs on every worklist page, and Django compiling it cost
# more than running it. Its deadline is `_deadline_of`'s (the plan page's);
# tests/planning/test_flags.py holds the two equal.
_FLAGS_SQL = """
SELECT p.id, pl.id, pl.version, pl.seen_version, pl.agreed_version, pl.coordinator_id,
  EXISTS (SELECT 1 FROM planning_measure m WHERE m.plan_id = pl.id),
  COALESCE(
    (SELECT s.planned_end FROM pathways_stay s WHERE s.pathway_id = p.id
     AND s.planned_end IS NOT NULL AND s.status = %s ORDER BY s.planned_start, s.id LIMIT 1),
    (SELECT s.planned_end FROM pathways_stay s WHERE s.pathway_id = p.id
     AND s.planned_end IS NOT NULL AND s.status = %s ORDER BY s.planned_start, s.id LIMIT 1))
FROM pathways_pathway p LEFT JOIN planning_plan pl ON pl.pathway_id = p.id
WHERE p.id IN ({ids})
"""
_DATE = DateField()


def plan_flags(pathway_ids: Sequence[int]) -> dict[int, PlanFlags]:
    """Flags for a page of pathways, in ONE query. No audit record: the caller's list is
    audited already, one row per pathway shown."""
    if not pathway_ids:
        return {}
    ids = list(pathway_ids)
    with connection.cursor() as cursor:
        cursor.execute(_FLAGS_SQL.format(ids=sqlrows.marks(ids)),
                       [Stay.Status.ONGOING.value, Stay.Status.PLANNED.value, *ids])
        rows = cursor.fetchall()
    flags: dict[int, PlanFlags] = {}
    for pk, plan_id, version, seen, agreed, coordinated, measured, deadline in rows:
        planned = plan_id is not None
        flags[pk] = PlanFlags(has_plan=planned, ready=bool(planned and coordinated and measured),
                              seen=planned and seen == version,
                              agreed=planned and agreed == version,
                              deadline=sqlrows.convert(_DATE, deadline))
    return flags


def attach_plan_flags(rows: Sequence[Any]) -> None:
    """Give each worklist row (pathways.selectors.WorklistRow) its `plan_flags`: one query."""
    flags = plan_flags([row.pathway.pk for row in rows])
    for row in rows:
        row.plan_flags = flags.get(row.pathway.pk)


# --- the plan ------------------------------------------------------------------------------

@dataclass
class PlanDetail:
    pathway: Pathway
    basis: Basis
    allowed: frozenset[str]
    plan: Plan | None
    sections: list[PlanSection] = field(default_factory=list)
    measures: dict[int, list[Measure]] = field(default_factory=dict)
    comments: list[PlanComment] = field(default_factory=list)
    team: list[Staff] = field(default_factory=list)  # who may coordinate or be responsible
    contacts: dict[str, list[str]] = field(default_factory=dict)  # care-team role -> names
    deadline: dt.date | None = None
    roles: frozenset[str] = frozenset()

    @property
    def late(self) -> bool:
        ready = self.plan is not None and self.plan.coordinator_id and any(self.measures.values())
        return self.deadline is not None and not ready and clock.today() >= self.deadline


def _members(pathway: Pathway) -> list[CareTeamMember]:
    return list(CareTeamMember.objects.filter(pathway=pathway, ended_at__isnull=True)
                .select_related("staff").order_by("staff__name", "id"))


def _people(pathway: Pathway, members: list[CareTeamMember]) -> list[Staff]:
    people = {m.staff.pk: m.staff for m in members}
    if pathway.coordinator is not None:
        people[pathway.coordinator.pk] = pathway.coordinator
    return sorted(people.values(), key=lambda p: (p.name, p.pk))


def plan_offers(pathway: Pathway) -> list[Offer]:
    """The offers a measure of this pathway's plan may pick, by level and name (one query when
    the pathway's patient and municipality are loaded, as `plan_get` loads them). Not patient
    data: the caller has read the plan through the policy already."""
    return list(offers_for(pathway))


def plan_team(pathway: Pathway) -> list[Staff]:
    """The coordinator and everyone with an active role on the care team, once each: who may
    coordinate the plan or be responsible for a measure (one query)."""
    return _people(pathway, _members(pathway))


def plan_get(*, actor: Actor, public_id: Any, with_team: bool = True) -> PlanDetail:
    """The plan of the pathway `public_id` with its sections, measures and the patient's
    comments (audited as one read: plan.view)."""
    pathway = _pathway(public_id)
    basis, bases = require_all(actor, pathway, PLAN_VIEW)
    deadline = (Pathway.objects.filter(pk=pathway.pk).annotate(due=_deadline_of(OuterRef("pk")))
                .values_list("due", flat=True).first())
    detail = PlanDetail(pathway=pathway, basis=basis, allowed=allowed_actions(bases),
                        plan=None, deadline=deadline,
                        roles=frozenset(b.role for b in bases))
    plan = Plan.objects.select_related("coordinator").filter(pathway=pathway).first()
    if plan is None:
        return detail
    plan.pathway = pathway
    detail.plan = plan
    detail.sections = list(plan.sections.select_related("section_type"))
    for measure in plan.measures.select_related("responsible", "offer__organisation"):
        measure.plan = plan
        detail.measures.setdefault(measure.section_id, []).append(measure)
    detail.comments = list(plan.comments.all()[:COMMENTS_SHOWN])
    if with_team:
        members = _members(pathway)
        detail.team = _people(pathway, members)
        for member in members:
            detail.contacts.setdefault(member.role, []).append(member.staff.name)
    return detail


def plan_lookup(public_id: Any) -> Plan:
    """The plan a write names (by its pathway's id). Reveals nothing by itself: the service's
    access check decides; unknown and forbidden both end as 404."""
    pathway = _pathway(public_id)
    plan = Plan.objects.filter(pathway=pathway).first()
    if plan is None:
        raise NotFound(_("This pathway has no plan yet."))
    plan.pathway = pathway
    return plan


def measure_lookup(public_id: Any) -> Measure:
    try:
        measure = Measure.objects.select_related(
            "plan__pathway__patient__municipality", "plan__pathway__coordinator",
            "section__section_type", "responsible", "offer__organisation").get(
            public_id=public_id)
    except (Measure.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise _not_found() from None
    return measure


def pathway_lookup(public_id: Any) -> Pathway:
    return _pathway(public_id)


# --- versions ------------------------------------------------------------------------------

@dataclass
class VersionList:
    pathway: Pathway
    plan: Plan
    page: Page


def plan_versions(*, actor: Actor, public_id: Any, page: int = 1) -> VersionList:
    """Who saved which version, newest first (without the snapshots)."""
    pathway = _pathway(public_id)
    require_all(actor, pathway, PLAN_VIEW)
    plan = Plan.objects.filter(pathway=pathway).first()
    if plan is None:
        raise NotFound(_("This pathway has no plan yet."))
    listed = PlanVersion.objects.filter(plan=plan).defer("snapshot").order_by("-number")
    return VersionList(pathway=pathway, plan=plan,
                       page=Paginator(listed, VERSIONS_PAGE_SIZE).get_page(page))


@dataclass
class VersionDiff:
    pathway: Pathway
    old: PlanVersion
    new: PlanVersion
    between: list[PlanVersion]  # the saves from old (exclusive) to new (inclusive): who did what
    lines: list[versions.DiffLine]


def plan_diff(*, actor: Actor, public_id: Any, old: int, new: int) -> VersionDiff:
    """What changed from version `old` to version `new`, line by line, and who saved between."""
    pathway = _pathway(public_id)
    require_all(actor, pathway, PLAN_VIEW)
    if old >= new:
        raise InvalidInput(_("Choose an older version first and a newer one second."),
                           field="old")
    found = {v.number: v for v in PlanVersion.objects.filter(plan__pathway=pathway,
                                                             number__in=[old, new])}
    if old not in found or new not in found:
        raise InvalidInput(_("The plan has no such version."),
                           field="old" if old not in found else "new")
    between = list(PlanVersion.objects.filter(plan__pathway=pathway, number__gt=old,
                                              number__lte=new)
                   .defer("snapshot").order_by("number"))
    return VersionDiff(pathway=pathway, old=found[old], new=found[new], between=between,
                       lines=versions.diff(found[old].snapshot, found[new].snapshot))
