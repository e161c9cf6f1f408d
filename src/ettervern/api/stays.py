"""Residential stays: plan, change, admit, discharge, cancel. Admitting and discharging move
the pathway's phase as well (pathways.services decides how)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status, codes_4xx

from ettervern.access.policy import actor_from_request
from ettervern.api.directory import unit_by_id
from ettervern.api.schemas import (
    CancelIn,
    ErrorOut,
    OnIn,
    StayOut,
    StayPatchIn,
    StayPlanIn,
    stay_out,
)
from ettervern.pathways import selectors, services

router = Router(tags=["stays"])
ERRORS = {codes_4xx: ErrorOut}


@router.post("/pathways/{id}/stays", response={201: StayOut, **ERRORS}, summary="Plan a stay")
def plan_stay(request: HttpRequest, id: uuid.UUID, payload: StayPlanIn) -> Status[StayOut]:
    actor = actor_from_request(request, "api")
    pathway = selectors.pathway_lookup(id)
    stay = services.stay_plan(actor=actor, pathway=pathway,
                              unit=unit_by_id(payload.unit_id, field="unit_id"),
                              planned_start=payload.planned_start,
                              planned_end=payload.planned_end)
    return Status(201, stay_out(stay))


@router.patch("/stays/{id}", response={200: StayOut, **ERRORS}, summary="Change a stay")
def update_stay(request: HttpRequest, id: uuid.UUID, payload: StayPatchIn) -> StayOut:
    """A planned stay: unit and dates. An ongoing stay: only `planned_end`. Fields left out
    keep their value; a stale `version` gives 409 and changes nothing."""
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    given = payload.model_fields_set
    unit = unit_by_id(payload.unit_id, field="unit_id") if payload.unit_id else stay.unit
    updated = services.stay_update(
        actor=actor, stay=stay, expected_version=payload.version, unit=unit,
        planned_start=payload.planned_start or stay.planned_start,
        planned_end=payload.planned_end if "planned_end" in given else stay.planned_end,
    )
    return stay_out(updated)


@router.post("/stays/{id}/admit", response={200: StayOut, **ERRORS}, summary="Admit")
def admit(request: HttpRequest, id: uuid.UUID, payload: OnIn) -> StayOut:
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    return stay_out(services.stay_admit(actor=actor, stay=stay, on=payload.on))


@router.post("/stays/{id}/discharge", response={200: StayOut, **ERRORS}, summary="Discharge")
def discharge(request: HttpRequest, id: uuid.UUID, payload: OnIn) -> StayOut:
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    return stay_out(services.stay_discharge(actor=actor, stay=stay, on=payload.on))


@router.post("/stays/{id}/cancel", response={200: StayOut, **ERRORS}, summary="Cancel a stay")
def cancel(request: HttpRequest, id: uuid.UUID, payload: CancelIn) -> StayOut:
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    return stay_out(services.stay_cancel(actor=actor, stay=stay,
                                         expected_version=payload.version,
                                         reason=payload.reason))
