"""The pathway's endpoints: the worklist, opening, the pathway itself, phase moves, the
timeline; its residential stays; its care team and the coordinator hand-over.

Each endpoint parses input, builds the Actor, calls the one selector or service and renders.
Access and audit happen inside those calls. Ids a body names (a unit, a staff member, a stay)
go to the service as they are: it resolves them after the access check, so an unknown id
tells a caller without access nothing about the pathway. A response that shows the pathway is read
through `pathway_detail`, so that showing it is audited as a read like any other.
Schemas are in pathways/schemas.py; the shell (api/) mounts `router` at /api/.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, PageQuery, page_fields
from ettervern.directory.api import staff_ref
from ettervern.directory.selectors import unit_by_id
from ettervern.pathways import selectors, services
from ettervern.pathways.events import render
from ettervern.pathways.models import Pathway
from ettervern.pathways.schemas import (
    CancelIn,
    CareTeamAddIn,
    CareTeamMemberOut,
    CareTeamPage,
    DischargeIn,
    HandoverIn,
    OnIn,
    PathwayOpenIn,
    PathwayOut,
    PathwayPatchIn,
    PathwayStateOut,
    ReopenIn,
    StayOut,
    StayPatchIn,
    StayPlanIn,
    TimelinePage,
    TransitionIn,
    VersionIn,
    WorklistPage,
    WorklistQuery,
    member_out,
    pathway_out,
    pathway_state_out,
    stay_out,
    timeline_item,
    worklist_item,
)
from ettervern.planning.worklist import attach_worklist_figures

TEAM_PAGE_SIZE = 50

# One router for the context, mounted by the shell; inside it one per tag in the docs.
router = Router()
pathway_router = Router(tags=["pathways"])
stay_router = Router(tags=["stays"])
team_router = Router(tags=["care team"])


def _with_refs_of(written: Pathway, read: Pathway) -> Pathway:
    """`written` with the unit and coordinator that `read` (the lookup) holds already, where
    the write left them unchanged: the answer names them without reading them again."""
    if written.coordinating_unit_id == read.coordinating_unit_id:
        written.coordinating_unit = read.coordinating_unit
    if written.coordinator_id == read.coordinator_id:
        written.coordinator = read.coordinator
    return written


# --- the pathway -----------------------------------------------------------------------------

@pathway_router.get("", response={200: WorklistPage, **ERRORS}, summary="Worklist")
def worklist(request: HttpRequest, filters: Query[WorklistQuery]) -> WorklistPage:
    """`scope=mine`: pathways where I have a role; `scope=unit`: also those my unit
    coordinates or treats. Closed pathways only with `phase=closed`."""
    result = selectors.pathway_worklist(
        actor=actor_from_request(request, "api"), scope=filters.scope,
        phase=filters.phase or "", query=filters.q.strip(), page=filters.page or 1,
    )
    attach_worklist_figures(result.rows)
    fields: dict[str, Any] = {"items": [worklist_item(row.pathway, row) for row in result.rows],
                              **page_fields(result.page)}
    return WorklistPage.model_construct(**fields)


@pathway_router.post("", response={201: PathwayOut, **ERRORS}, summary="Open a pathway")
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


@pathway_router.get("/{id}", response={200: PathwayOut, **ERRORS}, summary="One pathway")
def pathway(request: HttpRequest, id: uuid.UUID) -> PathwayOut:
    detail = selectors.pathway_detail(actor=actor_from_request(request, "api"), public_id=id)
    return pathway_out(detail)


@pathway_router.patch("/{id}", response={200: PathwayOut, **ERRORS},
                      summary="Edit referral details")
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


@pathway_router.post("/{id}/transitions", response={200: PathwayStateOut, **ERRORS},
                     summary="Move to another phase")
def transition(request: HttpRequest, id: uuid.UUID, payload: TransitionIn) -> PathwayStateOut:
    """Into `residential` admits a planned stay (`stay_id`, or the next one); into
    `aftercare` discharges the ongoing stay (while checkpoints before discharge are open, the
    reason for discharging now goes in `note`). Into `closed` needs the reason in `note`; the
    coordinating clinic can still read a closed pathway and reopen it within 30 days
    (`POST /pathways/{id}/reopen`). Answers with the new phase and version only."""
    actor = actor_from_request(request, "api")
    current = selectors.pathway_lookup(id)
    moved = services.pathway_transition(actor=actor, pathway=current, to_phase=payload.to_phase,
                                        on=payload.on, note=payload.note, stay=payload.stay_id)
    return pathway_state_out(_with_refs_of(moved, current))


@pathway_router.post("/{id}/reopen", response={200: PathwayStateOut, **ERRORS},
                     summary="Reopen a closed pathway")
def reopen(request: HttpRequest, id: uuid.UUID, payload: ReopenIn) -> PathwayStateOut:
    """The coordinating clinic undoes a closing within 30 days, with a reason; the pathway
    returns to the phase it was closed from. Later, or if the patient has another open
    pathway by then, 409: open a new pathway instead."""
    actor = actor_from_request(request, "api")
    current = selectors.pathway_lookup(id)
    reopened = services.pathway_reopen(actor=actor, pathway=current,
                                       expected_version=payload.version, reason=payload.reason)
    return pathway_state_out(_with_refs_of(reopened, current))


@pathway_router.get("/{id}/timeline", response={200: TimelinePage, **ERRORS}, summary="Timeline")
def timeline(request: HttpRequest, id: uuid.UUID,
             params: Query[PageQuery]) -> TimelinePage:
    """Everything that happened on the pathway, newest first, as sentences in the caller's
    language (Accept-Language)."""
    events = selectors.pathway_timeline(actor=actor_from_request(request, "api"), public_id=id,
                                        page=params.page or 1)
    fields: dict[str, Any] = {"items": [timeline_item(e, render(e)) for e in events.object_list],
                              **page_fields(events)}
    return TimelinePage.model_construct(**fields)


# --- stays: plan, change, admit, discharge, cancel ---------------------------------------------
# Admitting and discharging move the pathway's phase as well (pathways.services decides how).

@stay_router.post("/pathways/{id}/stays", response={201: StayOut, **ERRORS}, summary="Plan a stay")
def plan_stay(request: HttpRequest, id: uuid.UUID, payload: StayPlanIn) -> Status[StayOut]:
    actor = actor_from_request(request, "api")
    pathway = selectors.pathway_lookup(id)
    stay = services.stay_plan(actor=actor, pathway=pathway, unit=payload.unit_id,
                              planned_start=payload.planned_start,
                              planned_end=payload.planned_end)
    return Status(201, stay_out(stay))


@stay_router.patch("/stays/{id}", response={200: StayOut, **ERRORS}, summary="Change a stay")
def update_stay(request: HttpRequest, id: uuid.UUID, payload: StayPatchIn) -> StayOut:
    """A planned stay: unit and dates. An ongoing stay: only `planned_end`. Fields left out
    keep their value; a stale `version` gives 409 and changes nothing."""
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    given = payload.model_fields_set
    updated = services.stay_update(
        actor=actor, stay=stay, expected_version=payload.version,
        unit=payload.unit_id or stay.unit,
        planned_start=payload.planned_start or stay.planned_start,
        planned_end=payload.planned_end if "planned_end" in given else stay.planned_end,
    )
    return stay_out(updated)


@stay_router.post("/stays/{id}/admit", response={200: StayOut, **ERRORS}, summary="Admit")
def admit(request: HttpRequest, id: uuid.UUID, payload: OnIn) -> StayOut:
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    return stay_out(services.stay_admit(actor=actor, stay=stay, on=payload.on))


@stay_router.post("/stays/{id}/discharge", response={200: StayOut, **ERRORS}, summary="Discharge")
def discharge(request: HttpRequest, id: uuid.UUID, payload: DischargeIn) -> StayOut:
    """Passes the discharge gate: while checkpoints are open, 409 unless `reason` says why."""
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    return stay_out(services.stay_discharge(actor=actor, stay=stay, on=payload.on,
                                            reason=payload.reason))


@stay_router.post("/stays/{id}/cancel", response={200: StayOut, **ERRORS}, summary="Cancel a stay")
def cancel(request: HttpRequest, id: uuid.UUID, payload: CancelIn) -> StayOut:
    actor = actor_from_request(request, "api")
    stay = selectors.stay_lookup(id)
    return stay_out(services.stay_cancel(actor=actor, stay=stay,
                                         expected_version=payload.version,
                                         reason=payload.reason))


# --- the care team: who has which role, and the hand-over of the coordinator role --------------

@team_router.get("/pathways/{id}/care-team", response={200: CareTeamPage, **ERRORS},
                 summary="The care team")
def care_team(request: HttpRequest, id: uuid.UUID, params: Query[PageQuery]) -> CareTeamPage:
    """The coordinator and the active roles on the pathway."""
    detail = selectors.pathway_detail(actor=actor_from_request(request, "api"), public_id=id)
    coordinator = detail.pathway.coordinator
    page = Paginator(detail.team, TEAM_PAGE_SIZE).get_page(params.page)
    return CareTeamPage(coordinator=staff_ref(coordinator) if coordinator else None,
                        items=[member_out(m) for m in page.object_list], **page_fields(page))


@team_router.post("/pathways/{id}/care-team", response={201: CareTeamMemberOut, **ERRORS},
                  summary="Add a role")
def add_member(request: HttpRequest, id: uuid.UUID,
               payload: CareTeamAddIn) -> Status[CareTeamMemberOut]:
    actor = actor_from_request(request, "api")
    pathway = selectors.pathway_lookup(id)
    member = services.careteam_add(actor=actor, pathway=pathway, staff=payload.staff_id,
                                   role=payload.role)
    return Status(201, member_out(member))


@team_router.post("/care-team/{id}/end", response={200: CareTeamMemberOut, **ERRORS},
                  summary="End a role")
def end_member(request: HttpRequest, id: uuid.UUID, payload: VersionIn) -> CareTeamMemberOut:
    actor = actor_from_request(request, "api")
    member = selectors.careteam_member_lookup(id)
    return member_out(services.careteam_end(actor=actor, member=member,
                                            expected_version=payload.version))


@team_router.post("/pathways/{id}/handover", response={200: PathwayStateOut, **ERRORS},
                  summary="Hand over the coordinator role")
def handover(request: HttpRequest, id: uuid.UUID, payload: HandoverIn) -> PathwayStateOut:
    """`version` is the pathway's version; a stale one gives 409 and changes nothing. Answers
    with the new coordinator and version only: handing over to another clinic may end the
    caller's own access."""
    actor = actor_from_request(request, "api")
    pathway = selectors.pathway_lookup(id)
    handed_over = services.coordinator_handover(
        actor=actor, pathway=pathway,
        to_staff=payload.to_staff_id,
        expected_version=payload.version, reason=payload.reason,
    )
    return pathway_state_out(handed_over)


router.add_router("/pathways", pathway_router)
router.add_router("", stay_router)
router.add_router("", team_router)
