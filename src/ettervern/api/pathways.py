"""Pathway endpoints: the worklist, opening, the pathway itself, phase moves, the timeline.

Each endpoint parses input, builds the Actor, calls the one selector or service and renders.
Access and audit happen inside those calls. A response that shows the pathway is read
through `pathway_detail`, so that showing it is audited as a read like any other.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status, codes_4xx

from ettervern.access.policy import actor_from_request
from ettervern.api.directory import unit_by_id
from ettervern.api.schemas import (
    ErrorOut,
    PageQuery,
    PathwayOpenIn,
    PathwayOut,
    PathwayPatchIn,
    PathwayStateOut,
    TimelinePage,
    TransitionIn,
    WorklistPage,
    WorklistQuery,
    page_fields,
    pathway_out,
    pathway_state_out,
    timeline_item,
    worklist_item,
)
from ettervern.pathways import selectors, services
from ettervern.pathways.events import render

router = Router(tags=["pathways"])
ERRORS = {codes_4xx: ErrorOut}


@router.get("", response={200: WorklistPage, **ERRORS}, summary="Worklist")
def worklist(request: HttpRequest, filters: Query[WorklistQuery]) -> WorklistPage:
    """`scope=mine`: pathways where I have a role; `scope=unit`: also those my unit
    coordinates or treats. Closed pathways only with `phase=closed`."""
    result = selectors.pathway_worklist(
        actor=actor_from_request(request, "api"), scope=filters.scope,
        phase=filters.phase or "", query=filters.q.strip(), page=filters.page or 1,
    )
    return WorklistPage(items=[worklist_item(row.pathway, row) for row in result.rows],
                        **page_fields(result.page))


@router.post("", response={201: PathwayOut, **ERRORS}, summary="Open a pathway")
def open_pathway(request: HttpRequest, payload: PathwayOpenIn) -> Status[PathwayOut]:
    """Register the patient (or find them by number) and open a pathway coordinated by the
    caller at `coordinating_unit_id`: from a referral, or from a first contact before one."""
    actor = actor_from_request(request, "api")
    pathway = services.pathway_open(
        actor=actor,
        coordinating_unit=unit_by_id(payload.coordinating_unit_id, field="coordinating_unit_id"),
        national_id=payload.national_id, given_name=payload.given_name,
        family_name=payload.family_name, referral_received_on=payload.referral_received_on,
        referrer=payload.referrer, first_contact_on=payload.first_contact_on, note=payload.note,
    )
    detail = selectors.pathway_detail(actor=actor, public_id=pathway.public_id)
    return Status(201, pathway_out(detail))


@router.get("/{id}", response={200: PathwayOut, **ERRORS}, summary="One pathway")
def pathway(request: HttpRequest, id: uuid.UUID) -> PathwayOut:
    detail = selectors.pathway_detail(actor=actor_from_request(request, "api"), public_id=id)
    return pathway_out(detail)


@router.patch("/{id}", response={200: PathwayOut, **ERRORS}, summary="Edit referral details")
def update_pathway(request: HttpRequest, id: uuid.UUID,
                   payload: PathwayPatchIn) -> PathwayOut:
    """Fields left out keep their value. A stale `version` gives 409 and changes nothing."""
    actor = actor_from_request(request, "api")
    current = selectors.pathway_lookup(id)
    given = payload.model_fields_set

    def pick(name: str) -> object:
        return getattr(payload if name in given else current, name)

    services.pathway_update(
        actor=actor, pathway=current, expected_version=payload.version,
        referral_received_on=pick("referral_received_on"),  # type: ignore[arg-type]
        referrer=pick("referrer"),  # type: ignore[arg-type]
        first_contact_on=pick("first_contact_on"),  # type: ignore[arg-type]
        note=pick("note"),  # type: ignore[arg-type]
    )
    return pathway_out(selectors.pathway_detail(actor=actor, public_id=id))


@router.post("/{id}/transitions", response={200: PathwayStateOut, **ERRORS},
             summary="Move to another phase")
def transition(request: HttpRequest, id: uuid.UUID, payload: TransitionIn) -> PathwayStateOut:
    """Into `residential` admits a planned stay (`stay_id`, or the next one); into
    `aftercare` discharges the ongoing stay. Answers with the new phase and version only:
    once closed, the pathway is no longer open to staff (GET it while you may)."""
    actor = actor_from_request(request, "api")
    current = selectors.pathway_lookup(id)
    stay = None
    if payload.stay_id is not None:
        stay = selectors.stay_lookup(payload.stay_id)
    moved = services.pathway_transition(actor=actor, pathway=current, to_phase=payload.to_phase,
                                        on=payload.on, note=payload.note, stay=stay)
    return pathway_state_out(moved)


@router.get("/{id}/timeline", response={200: TimelinePage, **ERRORS}, summary="Timeline")
def timeline(request: HttpRequest, id: uuid.UUID,
             params: Query[PageQuery]) -> TimelinePage:
    """Everything that happened on the pathway, newest first, as sentences in the caller's
    language (Accept-Language)."""
    detail = selectors.pathway_detail(actor=actor_from_request(request, "api"), public_id=id,
                                      events_page=params.page or 1)
    events = detail.events
    return TimelinePage(items=[timeline_item(e, render(e)) for e in events.object_list],
                        **page_fields(events))
