"""The pre-admission checklist's endpoints: a pathway's checklist, and updating one item.

Each endpoint parses input, builds the Actor, calls the one selector or service and renders;
access and audit happen inside those calls. Errors are `ErrorOut` (api.errors): 404 also for
"no access" (next of kin and outsiders), 403 for a role that may only read or an item owned by
someone else, 409 for a stale `version` or a closed pathway, 422 for invalid input (an owner
not on the care team, a note over the limit).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, Blankable, In, PageOut, PageQuery, Text, page_fields
from ettervern.directory.api import StaffRef, staff_ref
from ettervern.planning.checklist import selectors, services
from ettervern.planning.checklist.models import NOTE_MAX_LENGTH, ChecklistItem

router = Router(tags=["checklist"])
PAGE_SIZE = 50


class ChecklistItemOut(Schema):
    id: uuid.UUID
    key: str = Field(description="The item type's stable key, e.g. `housing`")
    name: str = Field(description="The item type's name in the caller's language, when known")
    status: ChecklistItem.Status
    status_label: str
    owner: StaffRef | None
    note: str
    due_on: dt.date | None
    version: int


class ChecklistPage(PageOut):
    done: int = Field(description="Items clarified or not relevant, of `total`")
    items: list[ChecklistItemOut]


class ChecklistItemPatchIn(In):
    """Fields left out keep their value. `owner_id` (the coordinator or an active care-team
    member; null for nobody) needs the right to edit the whole checklist."""

    version: int = Field(ge=1)
    status: ChecklistItem.Status | None = None
    owner_id: Annotated[uuid.UUID | None, Blankable] = None
    note: Text | None = Field(default=None, max_length=NOTE_MAX_LENGTH)
    due_on: dt.date | None = None


def item_out(item: ChecklistItem) -> ChecklistItemOut:
    return ChecklistItemOut(
        id=item.public_id, key=item.item_type.key, name=item.item_type.label,
        status=ChecklistItem.Status(item.status), status_label=str(item.get_status_display()),
        owner=staff_ref(item.owner) if item.owner else None, note=item.note,
        due_on=item.due_on, version=item.version)


@router.get("/pathways/{id}/checklist", response={200: ChecklistPage, **ERRORS},
            summary="The pre-admission checklist")
def checklist(request: HttpRequest, id: uuid.UUID, params: Query[PageQuery]) -> ChecklistPage:
    """The pathway's checklist in the administrators' order, with its progress. Empty until
    the pathway has entered pre-admission."""
    result = selectors.checklist_get(actor=actor_from_request(request, "api"), public_id=id)
    page = Paginator(result.items, PAGE_SIZE).get_page(params.page)
    return ChecklistPage(done=result.progress.done,
                         items=[item_out(item) for item in page.object_list],
                         **page_fields(page))


@router.patch("/checklist-items/{id}", response={200: ChecklistItemOut, **ERRORS},
              summary="Update a checklist item")
def update_item(request: HttpRequest, id: uuid.UUID,
                payload: ChecklistItemPatchIn) -> ChecklistItemOut:
    """The owner of an item updates its status, note and date; the coordinator (and whoever
    may edit the whole plan) also chooses the owner. A stale `version` gives 409."""
    actor = actor_from_request(request, "api")
    item = selectors.item_lookup(id)
    given = payload.model_fields_set
    extra = {"owner": payload.owner_id} if "owner_id" in given else {}
    updated = services.checklist_item_update(
        actor=actor, item=item, expected_version=payload.version,
        status=payload.status if payload.status is not None else item.status,
        note=payload.note if payload.note is not None else item.note,
        due_on=payload.due_on if "due_on" in given else item.due_on, **extra)
    return item_out(updated)


