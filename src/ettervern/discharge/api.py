"""The discharge endpoints (tag "discharge"): a stay's checkpoints before discharge, ticking
those the data cannot tell, and the team overview. Discharging itself is
`POST /stays/{id}/discharge` (tag pathways), which passes the same gate."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, In, PageOut, PageQuery, Text, page_fields
from ettervern.core import clock
from ettervern.discharge import overview, selectors, services
from ettervern.discharge.models import NOTE_MAX_LENGTH
from ettervern.pathways.selectors import stay_lookup

router = Router(tags=["discharge"])


class CheckpointOut(Schema):
    key: str
    title: str
    done: bool
    source: str = Field(description='"data" when the data shows it, "tick" when a person '
                                    'ticked it, "" while open')
    detail: str
    tickable: bool
    ticked_by: str = ""
    ticked_at: dt.datetime | None = None


class OverrideOut(Schema):
    reason: str
    open_checkpoints: list[str]
    by: str
    at: dt.datetime


class CheckpointsOut(Schema):
    stay_id: uuid.UUID
    status: str
    met: int
    total: int
    checkpoints: list[CheckpointOut]
    override: OverrideOut | None = None


class TickIn(In):
    note: Text = Field(default="", max_length=NOTE_MAX_LENGTH)


def _checkpoints_out(found: selectors.StayCheckpoints) -> CheckpointsOut:
    override = found.override
    return CheckpointsOut(
        stay_id=found.stay.public_id, status=found.stay.status, met=found.done_count,
        total=len(found.states),
        checkpoints=[CheckpointOut(
            key=s.key, title=s.title, done=s.done, source=s.source, detail=s.detail,
            tickable=s.tickable, ticked_by=s.tick.ticked_by_name if s.tick else "",
            ticked_at=s.tick.ticked_at if s.tick else None) for s in found.states],
        override=OverrideOut(reason=override.reason, open_checkpoints=override.open_titles,
                             by=override.by_name, at=override.at) if override else None)


@router.get("/stays/{id}/checkpoints", response={200: CheckpointsOut, **ERRORS},
            summary="Checkpoints before discharge")
def stay_checkpoints_get(request: HttpRequest, id: uuid.UUID) -> CheckpointsOut:
    """Each checkpoint of integrated aftercare for a residential stay, derived from the data
    where it can tell, ticked by hand where it cannot. While any is open, a discharge needs a
    reason."""
    actor = actor_from_request(request, "api")
    return _checkpoints_out(selectors.stay_checkpoints(actor=actor, stay_id=id))


@router.post("/stays/{id}/checkpoints/{key}/tick", response={200: CheckpointsOut, **ERRORS},
             summary="Tick a checkpoint")
def checkpoint_tick(request: HttpRequest, id: uuid.UUID, key: str,
                    payload: TickIn) -> CheckpointsOut:
    """Only checkpoints the data cannot tell (or, for the bed decision, does not show) can be
    ticked; 409 for one that follows from the data."""
    actor = actor_from_request(request, "api")
    services.checkpoint_tick(actor=actor, stay=stay_lookup(id), key=key, note=payload.note)
    return _checkpoints_out(selectors.stay_checkpoints(actor=actor, stay_id=id))


@router.post("/stays/{id}/checkpoints/{key}/untick", response={200: CheckpointsOut, **ERRORS},
             summary="Take back a tick")
def checkpoint_untick(request: HttpRequest, id: uuid.UUID, key: str) -> CheckpointsOut:
    actor = actor_from_request(request, "api")
    services.checkpoint_untick(actor=actor, stay=stay_lookup(id), key=key)
    return _checkpoints_out(selectors.stay_checkpoints(actor=actor, stay_id=id))


class TaskBrief(Schema):
    id: uuid.UUID
    title: str
    due_on: dt.date
    overdue: bool


class MeetingBrief(Schema):
    id: uuid.UUID
    kind: str
    starts_at: dt.datetime


class ServiceOut(Schema):
    service: str
    label: str
    people: list[str]
    units: list[str]
    open_tasks: list[TaskBrief]
    next_meetings: list[MeetingBrief]
    last_contact_at: dt.datetime | None
    last_contact_by: str
    idle: bool = Field(description="Nothing open and nothing planned")


class OverviewOut(Schema):
    pathway_id: uuid.UUID
    services: list[ServiceOut]


@router.get("/pathways/{id}/overview", response={200: OverviewOut, **ERRORS},
            summary='Team overview ("samtidighet")')
def team_overview(request: HttpRequest, id: uuid.UUID) -> OverviewOut:
    """What each service (outpatient clinic, residential unit, municipality, NAV, GP, the
    patient) is doing now and next: its open tasks, next meetings and last contact."""
    found = overview.team_overview(actor=actor_from_request(request, "api"), public_id=id)
    today = clock.today()
    return OverviewOut(pathway_id=found.pathway.public_id, services=[ServiceOut(
        service=c.service.value, label=c.label, people=[p.name for p in c.people],
        units=c.units,
        open_tasks=[TaskBrief(id=t.public_id, title=t.title, due_on=t.due_on,
                              overdue=t.due_on < today) for t in c.tasks],
        next_meetings=[MeetingBrief(id=m.public_id, kind=m.kind, starts_at=m.starts_at)
                       for m in c.meetings],
        last_contact_at=c.last_at, last_contact_by=c.last_by, idle=c.idle)
        for c in found.columns])


class DischargeAheadOut(Schema):
    stay_id: uuid.UUID
    pathway_id: uuid.UUID
    patient: str
    unit: str
    admitted_on: dt.date | None
    planned_end: dt.date | None
    met: int
    open: list[str]


class DischargesPage(PageOut):
    items: list[DischargeAheadOut]


@router.get("/discharges", response={200: DischargesPage, **ERRORS},
            summary="Discharges ahead on my pathways")
def discharges_ahead(request: HttpRequest, params: Query[PageQuery]) -> DischargesPage:
    """The ongoing residential stays on the caller's pathways, the soonest expected discharge
    first, each with its checkpoints met and the names of those still open."""
    found, rows = selectors.discharges_ahead(actor=actor_from_request(request, "api"),
                                             page=params.page or 1)
    return DischargesPage(items=[DischargeAheadOut(
        stay_id=r.stay.public_id, pathway_id=r.stay.pathway.public_id,
        patient=r.stay.pathway.patient.full_name, unit=r.stay.unit.name,
        admitted_on=r.stay.admitted_on, planned_end=r.stay.planned_end, met=r.met_count,
        open=[s.title for s in r.states if not s.done]) for r in rows], **page_fields(found))
