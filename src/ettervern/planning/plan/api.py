"""The individual plan's endpoints: the plan, its sections and measures, its versions and the
difference between two, the patient's comment and agreement.

Each endpoint parses input, builds the Actor, calls one selector or service and renders; access
and audit happen inside those calls. Every write takes the plan's `version` and answers 409
(`stale_version`) when someone else saved in between; nothing is written then. A response that
shows the plan is read again through `plan_get`, so showing it is audited as a read.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, PageQuery, page_fields
from ettervern.core.errors import NotFound
from ettervern.planning.plan import selectors, services
from ettervern.planning.plan.models import PLAN_TEXT_FIELDS
from ettervern.planning.plan.schemas import (
    CommentIn,
    CommentOut,
    DiffLineOut,
    MeasureIn,
    MeasureOut,
    MeasurePatchIn,
    PlanDiffOut,
    PlanOut,
    PlanPatchIn,
    PlanVersionPage,
    SectionPatchIn,
    VersionIn,
    comment_out,
    measure_out,
    plan_out,
    version_out,
)

router = Router(tags=["individual plan"])


class DiffQuery(Schema):
    old: int = Field(ge=1)
    new: int = Field(ge=1)


def _plan(request: HttpRequest, id: uuid.UUID) -> PlanOut:
    detail = selectors.plan_get(actor=actor_from_request(request, "api"), public_id=id,
                                with_team=False)
    if detail.plan is None:
        raise NotFound(_("This pathway has no plan yet."))
    services.plan_mark_seen(plan=detail.plan, basis=detail.basis)
    return plan_out(detail)


@router.get("/pathways/{id}/plan", response={200: PlanOut, **ERRORS}, summary="The plan")
def plan(request: HttpRequest, id: uuid.UUID) -> PlanOut:
    """The pathway's individual plan. Read by the patient, it counts as seen."""
    return _plan(request, id)


@router.post("/pathways/{id}/plan", response={201: PlanOut, **ERRORS}, summary="Create the plan")
def create_plan(request: HttpRequest, id: uuid.UUID) -> Status[PlanOut]:
    """One plan per pathway (409 if there is one), with every section of the template."""
    services.plan_create(actor=actor_from_request(request, "api"),
                         pathway=selectors.pathway_lookup(id))
    return Status(201, _plan(request, id))


@router.patch("/pathways/{id}/plan", response={200: PlanOut, **ERRORS}, summary="Change the plan")
def update_plan(request: HttpRequest, id: uuid.UUID, payload: PlanPatchIn) -> PlanOut:
    """Coordinator (a person on the care team), period, next revision and the plan's texts."""
    actor = actor_from_request(request, "api")
    current = selectors.plan_lookup(id)
    given = payload.model_fields_set
    coordinator = (payload.coordinator_id if "coordinator_id" in given
                   else current.coordinator)
    texts = {name: getattr(payload, name) for name in given
             if name in PLAN_TEXT_FIELDS}
    services.plan_update(
        actor=actor, plan=current, expected_version=payload.version, coordinator=coordinator,
        period_start=payload.period_start if "period_start" in given else current.period_start,
        period_end=payload.period_end if "period_end" in given else current.period_end,
        next_revision_on=(payload.next_revision_on if "next_revision_on" in given
                          else current.next_revision_on),
        **texts)
    return _plan(request, id)


@router.patch("/pathways/{id}/plan/sections/{key}", response={200: PlanOut, **ERRORS},
              summary="Change a section's goals")
def update_section(request: HttpRequest, id: uuid.UUID, key: str,
                   payload: SectionPatchIn) -> PlanOut:
    services.section_update(actor=actor_from_request(request, "api"),
                            plan=selectors.plan_lookup(id), section=key,
                            expected_version=payload.version, goals=payload.goals)
    return _plan(request, id)


@router.post("/pathways/{id}/plan/measures", response={201: MeasureOut, **ERRORS},
             summary="Add a measure")
def add_measure(request: HttpRequest, id: uuid.UUID, payload: MeasureIn) -> Status[MeasureOut]:
    """Free text (`description`), an offer from the catalogue (`offer_id`, one available to this
    pathway, else 422 on `offer_id`), or both. The responsible person must be on the care team;
    the end not before the start."""
    measure = services.measure_add(
        actor=actor_from_request(request, "api"), plan=selectors.plan_lookup(id),
        expected_version=payload.version, section=payload.section,
        description=payload.description, offer=payload.offer_id,
        responsible=payload.responsible_id,
        responsible_service=payload.responsible_service, start_on=payload.start_on,
        end_on=payload.end_on, status=payload.status)
    return Status(201, measure_out(measure))


@router.put("/plan-measures/{id}", response={200: MeasureOut, **ERRORS},
            summary="Change a measure")
def update_measure(request: HttpRequest, id: uuid.UUID, payload: MeasurePatchIn) -> MeasureOut:
    """The measure as it is to be; `offer_id` left out keeps its offer, null removes it."""
    measure = selectors.measure_lookup(id)
    offer = payload.offer_id if "offer_id" in payload.model_fields_set else measure.offer
    measure = services.measure_update(
        actor=actor_from_request(request, "api"), measure=measure,
        expected_version=payload.version, description=payload.description, offer=offer,
        responsible=payload.responsible_id, responsible_service=payload.responsible_service,
        start_on=payload.start_on, end_on=payload.end_on, status=payload.status)
    return measure_out(measure)


@router.get("/pathways/{id}/plan/versions", response={200: PlanVersionPage, **ERRORS},
            summary="Versions of the plan")
def plan_versions(request: HttpRequest, id: uuid.UUID,
                  params: Query[PageQuery]) -> PlanVersionPage:
    """Every save, newest first: number, when, who and what kind of change."""
    listed = selectors.plan_versions(actor=actor_from_request(request, "api"), public_id=id,
                                     page=params.page or 1)
    return PlanVersionPage(items=[version_out(v) for v in listed.page.object_list],
                           **page_fields(listed.page))


@router.get("/pathways/{id}/plan/diff", response={200: PlanDiffOut, **ERRORS},
            summary="What changed between two versions")
def plan_diff(request: HttpRequest, id: uuid.UUID, params: Query[DiffQuery]) -> PlanDiffOut:
    """Line by line (`same`, `added`, `removed`), with who saved in between."""
    found = selectors.plan_diff(actor=actor_from_request(request, "api"), public_id=id,
                                old=params.old, new=params.new)
    return PlanDiffOut(old=found.old.number, new=found.new.number,
                       saves=[version_out(v) for v in found.between],
                       lines=[DiffLineOut(op=line.op, text=line.text) for line in found.lines])


@router.post("/pathways/{id}/plan/comments", response={201: CommentOut, **ERRORS},
             summary="Comment on the plan (the patient)")
def comment_on_plan(request: HttpRequest, id: uuid.UUID, payload: CommentIn) -> Status[CommentOut]:
    made = services.plan_comment(actor=actor_from_request(request, "api"),
                                 plan=selectors.plan_lookup(id), text=payload.text)
    return Status(201, comment_out(made))


@router.post("/pathways/{id}/plan/agree", response={200: PlanOut, **ERRORS},
             summary="I have read the plan and agree (the patient)")
def agree_to_plan(request: HttpRequest, id: uuid.UUID, payload: VersionIn) -> PlanOut:
    """To the `version` read; 409 if the plan changed since. A later change asks again."""
    services.plan_agree(actor=actor_from_request(request, "api"),
                        plan=selectors.plan_lookup(id), expected_version=payload.version)
    return _plan(request, id)
