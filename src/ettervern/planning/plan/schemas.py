"""What the plan's endpoints take and give (see plan/api.py). Limits are the models'."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import Field

from ettervern.api.schemas import In, PageOut, Text
from ettervern.directory.api import StaffRef, staff_ref
from ettervern.planning.plan import versions
from ettervern.planning.plan.models import (
    COMMENT_MAX_LENGTH,
    MEASURE_TEXT_MAX_LENGTH,
    PLAN_TEXT_FIELDS,
    PLAN_TEXT_MAX_LENGTH,
    SERVICE_MAX_LENGTH,
    Measure,
    PlanComment,
    PlanVersion,
)
from ettervern.planning.plan.selectors import PlanDetail

PlanText = Text  # each of the plan's texts; the length is given per field below


class VersionIn(In):
    version: int = Field(ge=0, description="The plan's version you read (409 if stale)")


class PlanPatchIn(In):
    """Fields left out keep their value."""

    version: int = Field(ge=0)
    coordinator_id: uuid.UUID | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    next_revision_on: dt.date | None = None
    goals: Text = Field(default="", max_length=PLAN_TEXT_MAX_LENGTH)
    resources: Text = Field(default="", max_length=PLAN_TEXT_MAX_LENGTH)
    needs: Text = Field(default="", max_length=PLAN_TEXT_MAX_LENGTH)
    patient_contribution: Text = Field(default="", max_length=PLAN_TEXT_MAX_LENGTH)
    services_contribution: Text = Field(default="", max_length=PLAN_TEXT_MAX_LENGTH)
    next_of_kin_contribution: Text = Field(default="", max_length=PLAN_TEXT_MAX_LENGTH)
    participants: Text = Field(default="", max_length=PLAN_TEXT_MAX_LENGTH)


class SectionPatchIn(In):
    version: int = Field(ge=0)
    goals: Text = Field(max_length=PLAN_TEXT_MAX_LENGTH)


OFFER_ID = ("An offer from the catalogue available to this pathway (see `GET /api/offers`; "
            "the patient's municipality and NAV office, the pathway's trusts and providers, "
            "and the generic offers). Another offer is 422 on `offer_id`.")
DESCRIPTION = "Free text. May be blank when `offer_id` is given; one of the two is needed."


class MeasureIn(In):
    """A measure is free text (`description`), an offer from the catalogue (`offer_id`), or
    both."""

    version: int = Field(ge=0, description="The plan's version")
    section: str = Field(max_length=40, description="The section's key, e.g. `housing`")
    description: Text = Field(default="", max_length=MEASURE_TEXT_MAX_LENGTH,
                              description=DESCRIPTION)
    offer_id: uuid.UUID | None = Field(default=None, description=OFFER_ID)
    responsible_id: uuid.UUID = Field(description="A person on the care team")
    responsible_service: Text = Field(default="", max_length=SERVICE_MAX_LENGTH,
                                      description="Blank: the person's unit")
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    status: Measure.Status = Measure.Status.PLANNED


class MeasurePatchIn(In):
    """The measure as it is to be. `offer_id` left out keeps the measure's offer; null removes
    it."""

    version: int = Field(ge=0, description="The plan's version")
    description: Text = Field(default="", max_length=MEASURE_TEXT_MAX_LENGTH,
                              description=DESCRIPTION)
    offer_id: uuid.UUID | None = Field(
        default=None, description=OFFER_ID + " Left out: the measure keeps its offer (also one "
        "retired since); null: no offer.")
    responsible_id: uuid.UUID
    responsible_service: Text = Field(default="", max_length=SERVICE_MAX_LENGTH)
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    status: Measure.Status = Measure.Status.PLANNED


class CommentIn(In):
    text: Text = Field(min_length=1, max_length=COMMENT_MAX_LENGTH)


class MeasureOfferOut(Schema):
    id: uuid.UUID
    name: str
    provider: str = Field(description="The providing organisation, or what a generic offer is "
                                      "called (e.g. every municipality)")


class MeasureOut(Schema):
    id: uuid.UUID
    description: str = Field(description="Free text; may be blank when `offer` is set")
    offer: MeasureOfferOut | None = Field(description="The offer from the catalogue, if any")
    responsible: StaffRef
    responsible_service: str
    start_on: dt.date | None
    end_on: dt.date | None
    status: str
    status_label: str


class SectionOut(Schema):
    key: str
    title: str
    goals: str
    measures: list[MeasureOut]


class CommentOut(Schema):
    at: dt.datetime
    author_name: str
    text: str
    plan_version: int


class PlanOut(Schema):
    pathway_id: uuid.UUID
    version: int
    coordinator: StaffRef | None
    period_start: dt.date | None
    period_end: dt.date | None
    next_revision_on: dt.date | None
    deadline: dt.date | None = Field(description="The planned discharge: the plan is due "
                                                 "at the latest before it")
    texts: dict[str, str] = Field(description="goals, resources, needs, contributions and "
                                              "participants, by name")
    sections: list[SectionOut]
    seen_version: int | None
    agreed_version: int | None
    agreed_at: dt.datetime | None
    agreed_to_current: bool
    comments: list[CommentOut]
    allowed_actions: list[str]


class PlanVersionOut(Schema):
    number: int
    saved_at: dt.datetime
    saved_by: str
    saved_by_unit: str
    what: str


class PlanVersionPage(PageOut):
    items: list[PlanVersionOut]


class DiffLineOut(Schema):
    op: str = Field(description="same, added or removed")
    text: str


class PlanDiffOut(Schema):
    old: int
    new: int
    saves: list[PlanVersionOut] = Field(description="Who saved what between the two")
    lines: list[DiffLineOut]


def measure_out(measure: Measure) -> MeasureOut:
    offer = measure.offer
    return MeasureOut(id=measure.public_id, description=measure.description,
                      offer=MeasureOfferOut(id=offer.public_id, name=offer.name,
                                            provider=offer.provider_name) if offer else None,
                      responsible=staff_ref(measure.responsible),
                      responsible_service=measure.responsible_service,
                      start_on=measure.start_on, end_on=measure.end_on, status=measure.status,
                      status_label=str(measure.get_status_display()))


def comment_out(comment: PlanComment) -> CommentOut:
    return CommentOut(at=comment.at, author_name=comment.author_name, text=comment.text,
                      plan_version=comment.plan_version)


def plan_out(detail: PlanDetail) -> PlanOut:
    plan = detail.plan
    assert plan is not None
    return PlanOut(
        pathway_id=detail.pathway.public_id, version=plan.version,
        coordinator=staff_ref(plan.coordinator) if plan.coordinator else None,
        period_start=plan.period_start, period_end=plan.period_end,
        next_revision_on=plan.next_revision_on, deadline=detail.deadline,
        texts={name: getattr(plan, name) for name in PLAN_TEXT_FIELDS},
        sections=[SectionOut(key=s.section_type.key, title=s.section_type.title, goals=s.goals,
                             measures=[measure_out(m) for m in detail.measures.get(s.pk, [])])
                  for s in detail.sections],
        seen_version=plan.seen_version, agreed_version=plan.agreed_version,
        agreed_at=plan.agreed_at, agreed_to_current=plan.agreed_to_current,
        comments=[comment_out(c) for c in detail.comments],
        allowed_actions=sorted(detail.allowed),
    )


def version_out(version: PlanVersion) -> PlanVersionOut:
    return PlanVersionOut(number=version.number, saved_at=version.saved_at,
                          saved_by=version.saved_by_name, saved_by_unit=version.saved_by_unit,
                          what=str(versions.KINDS.get(version.kind, version.kind)))
