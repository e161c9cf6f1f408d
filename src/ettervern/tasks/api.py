"""The tasks endpoints (tag "tasks"): "Mine oppgaver", a pathway's tasks, and the writes on one
task. Each endpoint parses input, builds the Actor, calls the one selector or service the pages
call too, and renders; access, audit and every rule live there. A write looks its task up
without reading it (`task_lookup`), so that the service's check is the one audited decision.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, In, PageOut, PageQuery, Text, page_fields
from ettervern.pathways.selectors import pathway_lookup
from ettervern.tasks import selectors, services
from ettervern.tasks.models import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH, Service, Task

router = Router(tags=["tasks"])


# --- schemas ---------------------------------------------------------------------------------

class MyTaskOut(Schema):
    id: uuid.UUID
    title: str
    due_on: dt.date
    overdue: bool = Field(description="Due before today and still open")
    service: Service
    checkpoint: str = Field(description="The discharge checkpoint it serves, or empty")
    version: int
    pathway_id: uuid.UUID
    patient_name: str
    page_url: str = Field(description="The pathway's tasks page")


class MyTaskPage(PageOut):
    items: list[MyTaskOut]


class TaskOut(Schema):
    id: uuid.UUID
    pathway_id: uuid.UUID
    title: str
    note: str
    due_on: dt.date
    status: Task.Status
    overdue: bool
    owner_name: str
    service: Service = Field(description="The service the owner works for on the pathway")
    checkpoint: str
    measure_id: uuid.UUID | None = Field(description="The plan measure it serves")
    source: str = Field(description="manual, meeting, or standard:<transition>")
    done_at: dt.datetime | None = Field(description="When it was done or cancelled")
    version: int


class TaskPage(PageOut):
    items: list[TaskOut]


class TaskIn(In):
    owner: Text = Field(max_length=40, description="A staff member's id (on the care team), "
                                                   "or `patient`")
    title: Text = Field(max_length=TITLE_MAX_LENGTH)
    due_on: dt.date | None = Field(default=None, description="Give this or `working_days`")
    working_days: int | None = Field(default=None, ge=0, le=250,
                                     description="Due this many Norwegian working days from "
                                                 "today")
    note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)
    checkpoint: Text = Field(default="", max_length=64)
    measure_id: uuid.UUID | None = None


class TaskPatchIn(In):
    """Send `version` and the fields to change; those left out keep their value."""

    version: int = Field(ge=1)
    title: Text | None = Field(default=None, max_length=TITLE_MAX_LENGTH)
    due_on: dt.date | None = None
    note: Text | None = Field(default=None, max_length=NOTE_MAX_LENGTH)
    owner: Text | None = Field(default=None, max_length=40)
    checkpoint: Text | None = Field(default=None, max_length=64)


def _page_url(pathway_id: uuid.UUID) -> str:
    return reverse("tasks:pathway_tasks", kwargs={"public_id": pathway_id})


def task_out(row: selectors.Row) -> TaskOut:
    task = row.task
    return TaskOut(
        id=task.public_id, pathway_id=task.pathway.public_id, title=task.display_title,
        note=task.note, due_on=task.due_on, status=Task.Status(task.status),
        overdue=row.overdue, owner_name=row.owner_name, service=Service(task.service),
        checkpoint=task.checkpoint,
        measure_id=task.measure.public_id if task.measure_id and task.measure else None,
        source=task.source, done_at=task.done_at, version=task.version)


def _one(task: Task) -> TaskOut:
    """A task after a write, read back with what its answer names."""
    return task_out(selectors._rows([selectors.task_lookup(task.public_id)])[0])


# --- endpoints -------------------------------------------------------------------------------

@router.get("/tasks/mine", response={200: MyTaskPage, **ERRORS}, summary="My tasks")
def my_tasks(request: HttpRequest, params: Query[PageQuery]) -> MyTaskPage:
    """The signed-in person's open tasks on all their open pathways, overdue first, then by
    due date, 25 a page."""
    found, rows = selectors.my_tasks(actor_from_request(request, "api"), params.page)
    return MyTaskPage(items=[MyTaskOut(
        id=r.task.public_id, title=r.task.display_title, due_on=r.task.due_on,
        overdue=r.overdue, service=Service(r.task.service), checkpoint=r.task.checkpoint,
        version=r.task.version, pathway_id=r.task.pathway.public_id,
        patient_name=r.task.pathway.patient.full_name,
        page_url=_page_url(r.task.pathway.public_id)) for r in rows], **page_fields(found))


@router.get("/pathways/{id}/tasks", response={200: TaskPage, **ERRORS},
            summary="A pathway's tasks")
def pathway_tasks(request: HttpRequest, id: uuid.UUID, params: Query[PageQuery]) -> TaskPage:
    """Open ones first by due date, then done and cancelled ones. Staff on the team read all
    of them; the patient reads their own."""
    found = selectors.pathway_tasks(actor=actor_from_request(request, "api"), public_id=id,
                                    page=params.page)
    return TaskPage(items=[task_out(r) for r in found.rows], **page_fields(found.page))


@router.post("/pathways/{id}/tasks", response={201: TaskOut, **ERRORS}, summary="Add a task")
def create_task(request: HttpRequest, id: uuid.UUID, payload: TaskIn) -> Status[TaskOut]:
    """For someone on the care team or the patient, due on `due_on` or in `working_days`
    Norwegian working days."""
    made = services.task_create(
        actor=actor_from_request(request, "api"), pathway=pathway_lookup(id),
        owner=payload.owner, title=payload.title, due_on=payload.due_on,
        working_days=payload.working_days, note=payload.note, checkpoint=payload.checkpoint,
        measure=payload.measure_id)
    return Status(201, _one(made))


@router.patch("/tasks/{id}", response={200: TaskOut, **ERRORS}, summary="Change a task")
def update_task(request: HttpRequest, id: uuid.UUID, payload: TaskPatchIn) -> TaskOut:
    """An open task's title, note, due date, owner or checkpoint. A stale `version` gives 409
    and changes nothing."""
    task = selectors.task_lookup(id)
    done = services.task_update(
        actor=actor_from_request(request, "api"), task=task, expected_version=payload.version,
        title=payload.title if payload.title is not None else task.title,
        due_on=payload.due_on or task.due_on,
        note=payload.note if payload.note is not None else task.note,
        owner=payload.owner, checkpoint=payload.checkpoint)
    return _one(done)


@router.post("/tasks/{id}/complete", response={200: TaskOut, **ERRORS},
             summary="Mark a task done")
def complete_task(request: HttpRequest, id: uuid.UUID) -> TaskOut:
    """By its owner (the patient too, for their own) or someone on the care team."""
    done = services.task_complete(actor=actor_from_request(request, "api"),
                                  task=selectors.task_lookup(id))
    return _one(done)


@router.post("/tasks/{id}/reopen", response={200: TaskOut, **ERRORS},
             summary="Open a task again")
def reopen_task(request: HttpRequest, id: uuid.UUID) -> TaskOut:
    done = services.task_reopen(actor=actor_from_request(request, "api"),
                                task=selectors.task_lookup(id))
    return _one(done)


@router.post("/tasks/{id}/cancel", response={200: TaskOut, **ERRORS},
             summary="Cancel a task")
def cancel_task(request: HttpRequest, id: uuid.UUID) -> TaskOut:
    """The care team only."""
    done = services.task_cancel(actor=actor_from_request(request, "api"),
                                task=selectors.task_lookup(id))
    return _one(done)
