"""Every write of tasks: one function per use case, one transaction each.

Access is decided (and audited) by access.policy.require before the transaction opens:
TASK_MANAGE for the team's writes, and TASK_VIEW for the owner who completes or reopens their
own task (the patient has TASK_VIEW only; being the task's owner is what lets them mark it
done). Someone refused a task they may not see (a patient, another person's task) is told
"not found". A rule that refuses stores nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import (
    TASK_MANAGE,
    TASK_VIEW,
    Actor,
    Basis,
    require,
)
from ettervern.core import clock, workdays
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from ettervern.core.models import update_versioned
from ettervern.pathways.models import Pathway
from ettervern.planning.plan.models import Measure
from ettervern.tasks import checkpoints, reminders
from ettervern.tasks.models import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, Service, Task

# A task is due at most this far ahead (a typing error in the year is refused).
MAX_DUE_AHEAD = dt.timedelta(days=2 * 365)
# What a task's owner stands as on the pathway -> the service they work for there.
ROLE_SERVICE: dict[str, Service] = {
    "coordinator": Service.OUTPATIENT,
    "unit:coordinating": Service.OUTPATIENT,
    "unit:treating": Service.RESIDENTIAL,
    "team:municipal_contact": Service.MUNICIPALITY,
    "team:nav_contact": Service.NAV,
    "team:gp": Service.GP,
    "patient": Service.PATIENT,
}
SPECIALIST = "team:specialist_contact"


# --- who may own a task, and for which service ------------------------------------------------

def owner_service(user: Any, pathway: Pathway) -> Service | None:
    """The service `user` works for on `pathway` (from the first of their roles there that may
    read its tasks), or None when they are neither on the care team nor the patient. A
    specialist contact works for the residential unit if that is where they work, else for
    the outpatient clinic."""
    from ettervern.access.policy import PERMISSIONS
    from ettervern.directory.models import Unit
    from ettervern.directory.selectors import standing

    for basis in pathway.access_bases(user):
        if TASK_VIEW not in PERMISSIONS.get(basis.role, frozenset()):
            continue
        if basis.role in ROLE_SERVICE:
            return ROLE_SERVICE[basis.role]
        if basis.role == SPECIALIST:
            kinds = standing(user, fresh=False).unit_kinds
            return Service.RESIDENTIAL if kinds[:1] == (Unit.Kind.RESIDENTIAL,) else (
                Service.OUTPATIENT)
    return None


def _owner(pathway: Pathway, owner: Any) -> tuple[Any, Service]:
    """The owner (a user, a Staff, a staff member's public id, or "patient") and their
    service, or a refusal the person can act on."""
    from ettervern.directory.models import Staff

    user: Any = None
    if owner == "patient":
        user = pathway.patient.user
        if user is None:
            raise InvalidInput(_("The patient has no user account, so cannot be given a task."),
                               field="owner")
    elif isinstance(owner, Staff):
        user = owner.user
    elif isinstance(owner, get_user_model()):
        user = owner
    else:
        try:
            key = uuid.UUID(str(owner))
        except ValueError:
            key = None
        found = Staff.objects.select_related("user").filter(public_id=key).first() if key else None
        user = found.user if found is not None else None
    if user is None:
        raise InvalidInput(_("Choose who owns the task from the care team."), field="owner")
    # A fresh user object: its standing is read for this pathway, not a request's.
    user = get_user_model().objects.get(pk=user.pk)
    service = owner_service(user, pathway)
    if service is None:
        raise InvalidInput(_("The owner must be on the care team, or be the patient."),
                           field="owner")
    return user, service


# --- input -----------------------------------------------------------------------------------

def _title(value: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(_("Write what is to be done."), field="title")
    if len(value) > TITLE_MAX_LENGTH:
        raise InvalidInput(_("The task can be at most %(limit)s characters; put the rest in "
                             "the note.") % {"limit": TITLE_MAX_LENGTH}, field="title")
    return value


def _note(value: str) -> str:
    value = (value or "").strip()
    if len(value) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("The note can be at most %(limit)s characters.")
                           % {"limit": NOTE_MAX_LENGTH}, field="note")
    return value


def due_date(*, due_on: dt.date | None = None, working_days: int | None = None) -> dt.date:
    """The due date given, or `working_days` Norwegian working days from today."""
    today = clock.today()
    if due_on is None and working_days is None:
        raise InvalidInput(_("Give the due date."), field="due_on")
    if due_on is None:
        assert working_days is not None
        if isinstance(working_days, bool) or not 0 <= working_days <= 250:
            raise InvalidInput(_("Give the working days until the task is due, from 0 to "
                                 "250."), field="working_days")
        return workdays.add_working_days(today, working_days)
    if due_on < today:
        raise InvalidInput(_("The due date has passed. Choose today or a later date."),
                           field="due_on")
    if due_on > today + MAX_DUE_AHEAD:
        raise InvalidInput(_("A task is due at most two years ahead. Check the year."),
                           field="due_on")
    return due_on


def _checkpoint(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_slug(value)
    except ValidationError:
        raise InvalidInput(_("Choose a checkpoint from the list."), field="checkpoint") from None
    if not checkpoints.is_known(value):
        raise InvalidInput(_("Choose a checkpoint from the list."), field="checkpoint")
    return value


def _measure(pathway: Pathway, measure: Measure | uuid.UUID | str | None) -> Measure | None:
    if measure is None or measure == "":
        return None
    if not isinstance(measure, Measure):
        try:
            key = uuid.UUID(str(measure))
        except ValueError:
            key = None
        measure = Measure.objects.filter(public_id=key).first() if key else None
    if measure is None or not Measure.objects.filter(pk=measure.pk,
                                                     plan__pathway=pathway).exists():
        raise InvalidInput(_("Choose a measure from this pathway's plan."), field="measure")
    return measure


def _locked_open_pathway(pathway: Pathway) -> Pathway:
    locked = Pathway.objects.select_for_update().get(pk=pathway.pk)
    if locked.closed_at is not None:
        raise RuleViolation(_("The pathway is closed."))
    return locked


# --- access on one task ----------------------------------------------------------------------

def may_read(actor: Actor, task: Task, bases: Any = None) -> bool:
    """Staff on the team read every task of the pathway; the patient reads their own."""
    from ettervern.access.policy import PERMISSIONS

    if task.owner_id == actor.user.pk:
        return True
    user: Any = actor.user
    bases = task.pathway.access_bases(user) if bases is None else bases
    return any(TASK_VIEW in PERMISSIONS.get(b.role, frozenset()) and b.role != "patient"
               for b in bases)


def _require(actor: Actor, task: Task, action: str, *, owner_may: bool = False) -> Basis:
    """The decision on one task (audited). The owner may do what `owner_may` allows on the
    strength of reading their own tasks; someone refused a task they may not read is told
    "not found", as for a read."""
    if owner_may and actor.user.is_authenticated and task.owner_id == actor.user.pk:
        return require(actor, task.pathway, TASK_VIEW, obj=task)
    try:
        return require(actor, task.pathway, action, obj=task)
    except Forbidden:
        if not may_read(actor, task):
            raise NotFound(_("Not found, or you have no access to it.")) from None
        raise


def _locked(task: Task, *statuses: str) -> Task:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.status not in statuses:
        raise RuleViolation(_("This task is %(status)s; that cannot be done now.")
                            % {"status": str(locked.get_status_display()).lower()})
    locked.pathway = task.pathway
    return locked


# --- use cases -------------------------------------------------------------------------------

def task_create(*, actor: Actor, pathway: Pathway, owner: Any, title: str,
                due_on: dt.date | None = None, working_days: int | None = None,
                note: str = "", checkpoint: str = "", measure: Any = None,
                source: str = Task.MANUAL) -> Task:
    """A task on the pathway for someone on the care team or the patient, due on a date or a
    number of Norwegian working days from today. `source` is "manual", or "meeting" for a
    meeting's decision (meetings/)."""
    require(actor, pathway, TASK_MANAGE)
    if source not in (Task.MANUAL, Task.MEETING):
        raise InvalidInput(_("Unknown source of a task."), field="source")
    title, note = _title(title), _note(note)
    due = due_date(due_on=due_on, working_days=working_days)
    checkpoint = _checkpoint(checkpoint)
    chosen = _measure(pathway, measure)
    with transaction.atomic():
        locked = _locked_open_pathway(pathway)
        user, service = _owner(locked, owner)
        task = Task.objects.create(
            pathway=locked, owner=user, service=service, title=title, note=note, due_on=due,
            checkpoint=checkpoint, measure=chosen, source=source, created_by_id=actor.user_pk)
        reminders.assigned([task], by_user_id=actor.user_pk)
    return task


def task_update(*, actor: Actor, task: Task, expected_version: int, title: str,
                due_on: dt.date, note: str = "", owner: Any = None,
                checkpoint: str | None = None) -> Task:
    """Change an open task's title, note, due date, owner (the service follows the new
    owner's role) or checkpoint."""
    _require(actor, task, TASK_MANAGE)
    title, note = _title(title), _note(note)
    changes: dict[str, Any] = {"title": title, "note": note}
    if due_on != task.due_on:
        changes["due_on"] = due_date(due_on=due_on)
    if checkpoint is not None:
        changes["checkpoint"] = _checkpoint(checkpoint)
    with transaction.atomic():
        locked = _locked(task, Task.Status.OPEN)
        if owner is not None:
            user, service = _owner(_locked_open_pathway(task.pathway), owner)
            changes.update(owner=user, service=service)
        update_versioned(locked, expected_version=expected_version, **changes)
    return locked


def task_complete(*, actor: Actor, task: Task) -> Task:
    """Done: by the owner (the patient too, for their own tasks) or by someone on the team."""
    _require(actor, task, TASK_MANAGE, owner_may=True)
    with transaction.atomic():
        locked = _locked(task, Task.Status.OPEN)
        update_versioned(locked, expected_version=locked.version, status=Task.Status.DONE,
                         done_at=clock.now(), done_by_id=actor.user_pk)
    return locked


def task_reopen(*, actor: Actor, task: Task) -> Task:
    """A task marked done (or cancelled) by mistake is open again."""
    # The owner reopens what they marked done; a cancelled task is the team's to reopen.
    status = Task.objects.filter(pk=task.pk).values_list("status", flat=True).first()
    _require(actor, task, TASK_MANAGE, owner_may=status == Task.Status.DONE)
    with transaction.atomic():
        locked = _locked(task, Task.Status.DONE, Task.Status.CANCELLED)
        if locked.pathway.closed_at is not None:
            raise RuleViolation(_("The pathway is closed."))
        try:
            with transaction.atomic():
                update_versioned(locked, expected_version=locked.version,
                                 status=Task.Status.OPEN, done_at=None, done_by=None)
        except IntegrityError:  # task_one_open_standard_per_stay / _per_owner
            raise RuleViolation(_("The same standard task is already open; complete that one "
                                  "instead.")) from None
    return locked


def require_cancel(actor: Actor, task: Task) -> Basis:
    """The decision on cancelling (the page asks it before asking to confirm)."""
    return _require(actor, task, TASK_MANAGE)


def task_cancel(*, actor: Actor, task: Task) -> Task:
    """The task is no longer needed (the page asks first). The team only, not the owner
    alone: a task the team set is not dropped by the patient."""
    _require(actor, task, TASK_MANAGE)
    with transaction.atomic():
        locked = _locked(task, Task.Status.OPEN)
        update_versioned(locked, expected_version=locked.version,
                         status=Task.Status.CANCELLED, done_at=clock.now(),
                         done_by_id=actor.user_pk)
    return locked
