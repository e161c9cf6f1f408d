"""The care team: who has which role on a pathway, and the hand-over of the coordinator role."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status, codes_4xx

from ettervern.access.policy import actor_from_request
from ettervern.api.directory import staff_by_id
from ettervern.api.schemas import (
    CareTeamAddIn,
    CareTeamMemberOut,
    CareTeamPage,
    ErrorOut,
    HandoverIn,
    PageQuery,
    PathwayStateOut,
    VersionIn,
    member_out,
    page_fields,
    pathway_state_out,
    staff_ref,
)
from ettervern.pathways import selectors, services

router = Router(tags=["care team"])
ERRORS = {codes_4xx: ErrorOut}
PAGE_SIZE = 50


@router.get("/pathways/{id}/care-team", response={200: CareTeamPage, **ERRORS},
            summary="The care team")
def care_team(request: HttpRequest, id: uuid.UUID, params: Query[PageQuery]) -> CareTeamPage:
    """The coordinator and the active roles on the pathway."""
    detail = selectors.pathway_detail(actor=actor_from_request(request, "api"), public_id=id)
    coordinator = detail.pathway.coordinator
    page = Paginator(detail.team, PAGE_SIZE).get_page(params.page)
    return CareTeamPage(coordinator=staff_ref(coordinator) if coordinator else None,
                        items=[member_out(m) for m in page.object_list], **page_fields(page))


@router.post("/pathways/{id}/care-team", response={201: CareTeamMemberOut, **ERRORS},
             summary="Add a role")
def add_member(request: HttpRequest, id: uuid.UUID,
               payload: CareTeamAddIn) -> Status[CareTeamMemberOut]:
    actor = actor_from_request(request, "api")
    pathway = selectors.pathway_lookup(id)
    member = services.careteam_add(actor=actor, pathway=pathway,
                                   staff=staff_by_id(payload.staff_id, field="staff_id"),
                                   role=payload.role)
    return Status(201, member_out(member))


@router.post("/care-team/{id}/end", response={200: CareTeamMemberOut, **ERRORS},
             summary="End a role")
def end_member(request: HttpRequest, id: uuid.UUID, payload: VersionIn) -> CareTeamMemberOut:
    actor = actor_from_request(request, "api")
    member = selectors.careteam_member_lookup(id)
    return member_out(services.careteam_end(actor=actor, member=member,
                                            expected_version=payload.version))


@router.post("/pathways/{id}/handover", response={200: PathwayStateOut, **ERRORS},
             summary="Hand over the coordinator role")
def handover(request: HttpRequest, id: uuid.UUID, payload: HandoverIn) -> PathwayStateOut:
    """`version` is the pathway's version; a stale one gives 409 and changes nothing. Answers
    with the new coordinator and version only: handing over to another clinic may end the
    caller's own access."""
    actor = actor_from_request(request, "api")
    pathway = selectors.pathway_lookup(id)
    handed_over = services.coordinator_handover(
        actor=actor, pathway=pathway,
        to_staff=staff_by_id(payload.to_staff_id, field="to_staff_id"),
        expected_version=payload.version, reason=payload.reason,
    )
    return pathway_state_out(handed_over)
