"""The crisis plan's endpoints: read it, and save it whole against the version read.

GET answers version 0 and empty texts while no plan is written; PUT with version 0 writes the
first one. A stale version is 409 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, In, Text
from ettervern.pathways.selectors import pathway_lookup
from ettervern.planning.crisis import selectors, services
from ettervern.planning.crisis.models import (
    BED_MAX_LENGTH,
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_WHEN_MAX_LENGTH,
    MAX_CONTACTS,
    SECTION_MAX_LENGTH,
)
from ettervern.planning.crisis.phones import display_phone

router = Router(tags=["crisis plan"])


class CrisisContactIn(In):
    name: Text = Field(min_length=1, max_length=CONTACT_NAME_MAX_LENGTH)
    phone: Text = Field(max_length=30, description="A Norwegian number: 8 digits, optionally "
                        "with +47 or 0047, or an emergency number (113, 116 117, …)")
    when: Text = Field(default="", max_length=CONTACT_WHEN_MAX_LENGTH)


class CrisisContactOut(Schema):
    name: str
    phone: str = Field(description="Normalised: +47 and 8 digits, or a short number")
    phone_display: str
    when: str


class CrisisPlanIn(In):
    version: int = Field(ge=0, description="The version read; 0 when there is no plan yet")
    warning_signs: Text = Field(default="", max_length=SECTION_MAX_LENGTH)
    own_actions: Text = Field(default="", max_length=SECTION_MAX_LENGTH,
                              description="What the patient does")
    others_actions: Text = Field(default="", max_length=SECTION_MAX_LENGTH,
                                 description="What others do")
    bed: Text = Field(default="", max_length=BED_MAX_LENGTH,
                      description="The link to the patient's user-controlled bed")
    contacts: list[CrisisContactIn] = Field(default_factory=list, max_length=MAX_CONTACTS,
                                            description="Whom to call, and when, in order")


class CrisisPlanOut(Schema):
    pathway_id: uuid.UUID
    version: int = Field(description="0 while no plan is written")
    warning_signs: str
    own_actions: str
    others_actions: str
    bed: str
    contacts: list[CrisisContactOut]
    updated_at: dt.datetime | None
    updated_by: str
    can_edit: bool


def _out(view: selectors.CrisisPlanView) -> CrisisPlanOut:
    plan = view.plan
    return CrisisPlanOut(
        pathway_id=view.pathway.public_id, version=view.version,
        warning_signs=plan.warning_signs if plan else "",
        own_actions=plan.own_actions if plan else "",
        others_actions=plan.others_actions if plan else "",
        bed=plan.bed if plan else "",
        contacts=[CrisisContactOut(name=c.name, phone=c.phone, phone_display=display_phone(c.phone),
                                   when=c.when) for c in view.contacts],
        updated_at=plan.updated_at if plan else None,
        updated_by=plan.updated_by_name if plan else "",
        can_edit=view.can_edit,
    )


@router.get("/pathways/{id}/crisis-plan", response={200: CrisisPlanOut, **ERRORS},
            summary="The crisis plan")
def crisis_plan(request: HttpRequest, id: uuid.UUID) -> CrisisPlanOut:
    """For everyone who may read the plan (the patient too); a next of kin sees nothing."""
    return _out(selectors.crisisplan_get(actor=actor_from_request(request, "api"), public_id=id))


@router.put("/pathways/{id}/crisis-plan", response={200: CrisisPlanOut, **ERRORS},
            summary="Save the crisis plan")
def save_crisis_plan(request: HttpRequest, id: uuid.UUID, payload: CrisisPlanIn) -> CrisisPlanOut:
    """The whole plan: texts and the list of whom to call replace what was there."""
    actor = actor_from_request(request, "api")
    services.crisisplan_save(
        actor=actor, pathway=pathway_lookup(id), expected_version=payload.version,
        warning_signs=payload.warning_signs, own_actions=payload.own_actions,
        others_actions=payload.others_actions, bed=payload.bed,
        contacts=[services.ContactData(name=c.name, phone=c.phone, when=c.when)
                  for c in payload.contacts],
    )
    return _out(selectors.crisisplan_get(actor=actor, public_id=id))
