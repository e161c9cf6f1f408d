"""The reads of tasks that pages and the API share.

- `my_tasks`: "Mine oppgaver", a person's open tasks across all their pathways, a page of 25
  in one query plus its count (index task_mine: owner, status, due_on). Overdue ones come
  first simply because they are due first; each row says whether it is overdue.
- `pathway_tasks`: a pathway's tasks for those who may read them: staff on the team read all
  of them, the patient their own.
- `open_tasks_by_service`: the team overview's (discharge/) open tasks per service; the
  caller has decided access to the pathway.
- `own_tasks`: the patient's own open tasks and recently done ones (the portal).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When

from ettervern.access import audit
from ettervern.access.policy import PERMISSIONS, TASK_VIEW, Actor, Basis, require_all
from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.pathways.selectors import pathway_lookup
from ettervern.tasks import checkpoints
from ettervern.tasks.models import Service, Task

PAGE_SIZE = 25
PATHWAY_PAGE_SIZE = 50
# The basis a row of "Mine oppgaver" is read on: the task is the reader's own.
OWNER_BASIS = Basis(role="task:owner")
_OPEN_FIRST = Case(When(status=Task.Status.OPEN, then=Value(0)), default=Value(1),
                   output_field=IntegerField())


@dataclass
class Row:
    """A task as a list shows it."""

    task: Task
    overdue: bool
    owner_name: str

    @property
    def checkpoint_label(self) -> str:
        return checkpoints.label(self.task.checkpoint)

    @property
    def days_overdue(self) -> int:
        return (clock.today() - self.task.due_on).days if self.overdue else 0


def owner_name(task: Task) -> str:
    """The staff member's name, or the patient's (read with the task)."""
    staff = getattr(task.owner, "staff", None) if hasattr(task.owner, "staff") else None
    if staff is not None:
        return str(staff.name)
    return task.pathway.patient.full_name


def _rows(tasks: Iterable[Task]) -> list[Row]:
    today = clock.today()
    return [Row(task=t, overdue=t.is_open and t.due_on < today, owner_name=owner_name(t))
            for t in tasks]


def task_lookup(public_id: Any) -> Task:
    """The task a write names, with its pathway. Reveals nothing by itself: the service's
    access check decides (and audits); unknown and forbidden both end as 404."""
    try:
        key = uuid.UUID(str(public_id))
        return Task.objects.select_related("pathway__patient", "standard").get(public_id=key)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise NotFound(_not_found()) from None


def _not_found() -> Any:
    from django.utils.translation import gettext_lazy as _

    return _("Not found, or you have no access to it.")


# --- "Mine oppgaver" -------------------------------------------------------------------------

def _mine(user_id: int) -> QuerySet[Task]:
    from ettervern.rights.models import Block

    return (Task.objects.filter(owner_id=user_id, status=Task.Status.OPEN,
                                pathway__closed_at__isnull=True)
            # A patient who has blocked the reader: their tasks are not listed either.
            .exclude(pathway__patient_id__in=Block.objects.filter(
                staff__user_id=user_id, lifted_at__isnull=True).values("patient_id"))
            .select_related("pathway__patient", "standard")
            .only("public_id", "title", "due_on", "status", "checkpoint", "service", "owner_id",
                  "version", "standard__title_nb", "standard__title_en", "pathway__public_id",
                  "pathway__patient_id", "pathway__patient__given_name",
                  "pathway__patient__family_name", "pathway__closed_at")
            .order_by("due_on", "id"))


def my_tasks(actor: Actor, page: Any = 1) -> tuple[Page[Task], list[Row]]:
    """The actor's open tasks on open pathways, due first first (overdue on top), a page of
    PAGE_SIZE: the page and its rows. Each patient named is an audited list read."""
    from ettervern.directory.selectors import standing

    found = Paginator(_mine(actor.user_pk), PAGE_SIZE).get_page(page)
    tasks = list(found)
    if tasks:
        standing(actor.user, fresh=False)  # the audit rows' identity, in one short query
    audit.record_many(audit.build(actor, action="task.list", patient_id=t.pathway.patient_id,
                                  obj=t, pathway_id=t.pathway_id, basis=OWNER_BASIS)
                      for t in tasks)
    today = clock.today()
    return found, [Row(task=t, overdue=t.due_on < today, owner_name="") for t in tasks]


def overdue_count(user_id: int) -> int:
    return _mine(user_id).filter(due_on__lt=clock.today()).count()


# --- a pathway's tasks ------------------------------------------------------------------------

def reads_all(bases: Iterable[Basis]) -> bool:
    """Staff on the team (or the coordinating clinic after closing) read all of a pathway's
    tasks; the patient only their own."""
    return any(TASK_VIEW in PERMISSIONS.get(b.role, frozenset()) and b.role != "patient"
               for b in bases)


def _pathway_rows(pathway: Pathway) -> QuerySet[Task]:
    return (Task.objects.filter(pathway=pathway)
            .select_related("owner__staff", "standard", "done_by__staff", "measure")
            .annotate(closed=_OPEN_FIRST).order_by("closed", "due_on", "id"))


@dataclass
class PathwayTasks:
    pathway: Pathway
    page: Page[Task]
    rows: list[Row]
    reads_all: bool
    bases: Any


def pathway_tasks(*, actor: Actor, public_id: Any, page: Any = 1) -> PathwayTasks:
    """The pathway's tasks, open ones first by due date, then the done and cancelled ones (a
    page of PATHWAY_PAGE_SIZE), for those who may read them (audited)."""
    pathway = pathway_lookup(public_id)
    # One audited decision; the bases say how much of it the actor reads.
    _basis, bases = require_all(actor, pathway, TASK_VIEW)
    everything = reads_all(bases)
    rows = _pathway_rows(pathway)
    if not everything:
        rows = rows.filter(owner_id=actor.user_pk)
    found = Paginator(rows, PATHWAY_PAGE_SIZE).get_page(page)
    for task in found:
        task.pathway = pathway
    return PathwayTasks(pathway=pathway, page=found, rows=_rows(found), reads_all=everything,
                        bases=bases)


def own_tasks(patient: Any, *, limit: int = 50) -> list[Row]:
    """The patient's own tasks on their open pathways: open first, then done (the portal's;
    the caller is the patient)."""
    tasks = list(Task.objects.filter(owner_id=patient.user_id, pathway__patient=patient,
                                     pathway__closed_at__isnull=True)
                 .exclude(status=Task.Status.CANCELLED)
                 .select_related("pathway__patient", "standard")
                 .annotate(closed=_OPEN_FIRST).order_by("closed", "due_on", "id")[:limit])
    return _rows(tasks)


# --- the team overview ------------------------------------------------------------------------

def open_tasks_by_service(pathway: Pathway) -> dict[Service, list[Task]]:
    """The pathway's open tasks per service, due first first (the team overview,
    "samtidighet"). Every service is a key, with an empty list when it has none. The caller
    has decided (and audited) the reader's access to the pathway."""
    grouped: dict[Service, list[Task]] = {service: [] for service in Service}
    for task in (Task.objects.filter(pathway=pathway, status=Task.Status.OPEN)
                 .select_related("owner__staff", "standard").order_by("due_on", "id")):
        task.pathway = pathway
        grouped[Service(task.service)].append(task)
    return grouped


# --- choices for the pages --------------------------------------------------------------------

def owner_choices(pathway: Pathway) -> list[tuple[str, str]]:
    """Whom a task can be given to: the coordinator, the care team and the patient (value:
    the staff member's public id, or "patient")."""
    from django.utils.translation import gettext as _

    choices: list[tuple[str, str]] = []
    seen: set[Any] = set()
    coordinator, the_patient = _("coordinator"), _("the patient")
    if pathway.coordinator is not None:
        choices.append((str(pathway.coordinator.public_id),
                        f"{pathway.coordinator.name} ({coordinator})"))
        seen.add(pathway.coordinator.pk)
    for member in (CareTeamMember.objects.filter(pathway=pathway, ended_at__isnull=True)
                   .select_related("staff").order_by("role", "staff__name")):
        if member.staff_id in seen:
            continue
        seen.add(member.staff_id)
        choices.append((str(member.staff.public_id),
                        f"{member.staff.name} ({member.get_role_display()})"))
    if pathway.patient.user_id is not None:
        choices.append(("patient", f"{pathway.patient.full_name} ({the_patient})"))
    return choices


def portal_card(page: Any) -> dict[str, Any] | None:
    """The portal's card: the patient's open tasks (the first few). Not for next of kin."""
    if page.basis.role != "patient":
        return None
    rows = [row for row in own_tasks(page.pathway.patient, limit=PAGE_SIZE) if row.task.is_open]
    if not rows:
        return None
    return {"rows": rows[:3], "more": max(len(rows) - 3, 0), "count": len(rows)}


# --- notices (pathways.notices) ----------------------------------------------------------------

def pathway_notices(actor: Actor, pathway: Pathway, allowed: frozenset[str]) -> list[Any]:
    """On the pathway page, for staff who read its tasks: how many open tasks are overdue
    (one query)."""
    from django.utils.translation import ngettext

    from ettervern.pathways.notices import Notice

    if TASK_VIEW not in allowed or "task.manage" not in allowed:
        return []
    overdue = Task.objects.filter(pathway=pathway, status=Task.Status.OPEN,
                                  due_on__lt=clock.today()).count()
    if not overdue:
        return []
    return [Notice(title=ngettext("%(n)d task on this pathway is overdue",
                                  "%(n)d tasks on this pathway are overdue", overdue)
                   % {"n": overdue}, level="warning")]


def worklist_notices(actor: Actor) -> list[Any]:
    """Above the worklist: the reader's own overdue tasks (one query)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from ettervern.pathways.notices import Notice

    if not actor.user.is_authenticated:
        return []
    overdue = overdue_count(actor.user_pk)
    if not overdue:
        return []
    return [Notice(title=ngettext("You have %(n)d overdue task", "You have %(n)d overdue tasks",
                                  overdue) % {"n": overdue},
                   lines=(_("They are first in “My tasks” in the menu."),), level="warning")]
