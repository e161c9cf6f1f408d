"""Reads of the pre-admission checklist that pages and the API share. Each read of one
pathway's checklist passes the access policy (CHECKLIST_VIEW) and leaves one audit record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import (
    CHECKLIST_VIEW,
    PLAN_CONTRIBUTE,
    PLAN_EDIT,
    Actor,
    Basis,
    allowed_actions,
    require,
    require_all,
)
from ettervern.core.errors import NotFound
from ettervern.directory.models import Staff
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.pathways.phases import Phase
from ettervern.planning.checklist.models import DONE, ChecklistItem


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"

    @property
    def open(self) -> int:
        return self.total - self.done


def _not_found() -> NotFound:
    return NotFound(_("Not found, or you have no access to it."))


def pathway_lookup(public_id: Any) -> Pathway:
    """The pathway a checklist request names, with what the pages show of it. Reveals nothing
    by itself: the caller's access check decides."""
    try:
        return Pathway.objects.select_related("patient", "coordinator").get(public_id=public_id)
    except (Pathway.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise _not_found() from None


def item_lookup(public_id: Any) -> ChecklistItem:
    """The item a write names; like pathway_lookup, the service decides access."""
    try:
        return (ChecklistItem.objects.select_related("pathway__patient", "item_type", "owner")
                .get(public_id=public_id))
    except (ChecklistItem.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise _not_found() from None


def team_staff(pathway: Pathway) -> list[Staff]:
    """Who can own an item: the coordinator first, then the active care-team members."""
    members = (CareTeamMember.objects.filter(pathway=pathway, ended_at__isnull=True)
               .select_related("staff").order_by("role", "staff__name", "id"))
    people: list[Staff] = [pathway.coordinator] if pathway.coordinator else []
    for member in members:
        if member.staff not in people:
            people.append(member.staff)
    return people


def _items(pathway: Pathway) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(pathway=pathway)
                .select_related("item_type", "owner")
                .order_by("item_type__order", "item_type__id"))


def _progress(items: Sequence[ChecklistItem]) -> Progress:
    return Progress(done=sum(1 for item in items if item.status in DONE), total=len(items))


@dataclass
class Checklist:
    pathway: Pathway
    basis: Basis
    items: list[ChecklistItem]
    allowed: frozenset[str] = field(default_factory=frozenset)
    # Staff who may own an item; only looked up for those who may assign owners.
    team: list[Staff] = field(default_factory=list)

    @property
    def progress(self) -> Progress:
        return _progress(self.items)

    @property
    def can_assign(self) -> bool:
        return self.pathway.is_open and PLAN_EDIT in self.allowed

    def can_update(self, item: ChecklistItem, user: Any) -> bool:
        """Whether the page offers the item's form to `user` (the service decides anyway)."""
        if not self.pathway.is_open:
            return False
        if PLAN_EDIT in self.allowed:
            return True
        return (PLAN_CONTRIBUTE in self.allowed and item.owner is not None
                and item.owner.user_id == user.pk)


def checklist_get(*, actor: Actor, public_id: Any) -> Checklist:
    """A pathway's checklist, if the actor may read the plan (one audit record either way).

    Items are created when the pathway enters pre-admission (services.checklist_create), never
    by reading: a pathway that has not been in pre-admission has an empty checklist."""
    pathway = pathway_lookup(public_id)
    basis, bases = require_all(actor, pathway, CHECKLIST_VIEW)
    allowed = allowed_actions(bases)
    checklist = Checklist(pathway=pathway, basis=basis, items=_items(pathway), allowed=allowed)
    if checklist.can_assign:
        checklist.team = team_staff(pathway)
    return checklist


def checklist_open_items(*, actor: Actor, pathway: Pathway) -> list[ChecklistItem]:
    """The items still not started, for the notice before admitting a stay (audited read)."""
    require(actor, pathway, CHECKLIST_VIEW)
    return [item for item in _items(pathway) if item.is_open]


def checklist_progress_for(pathways: Iterable[Pathway]) -> dict[int, Progress]:
    """Progress ("5/11") of the pathways in pre-admission among `pathways`, by pathway id, in
    one query (none when no pathway is in pre-admission).

    For a list the caller has already read through the access policy (the worklist, which
    audits every pathway it shows): the counts add nothing to what was audited. Each pathway
    also gets it as the attribute `checklist_progress` (None when not in pre-admission), for
    the rows of pages and API answers."""
    shown = list(pathways)
    waiting = [p.pk for p in shown if p.phase == Phase.PRE_ADMISSION]
    result: dict[int, Progress] = {}
    if waiting:
        rows = (ChecklistItem.objects.filter(pathway_id__in=waiting).order_by()
                .values("pathway_id")
                .annotate(total=Count("id"), done=Count("id", filter=Q(status__in=DONE))))
        result = {row["pathway_id"]: Progress(done=row["done"], total=row["total"])
                  for row in rows}
    for pathway in shown:
        progress = result.get(pathway.pk)
        if progress is None and pathway.pk in waiting:
            progress = Progress(0, 0)
        pathway.checklist_progress = progress  # type: ignore[attr-defined]
    return result
