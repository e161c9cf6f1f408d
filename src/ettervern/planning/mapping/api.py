"""The mapping's endpoints: every round with both sides, starting a round, and saving the
clinician's rating or the patient's own assessment (each whole, against its version)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from ettervern.access.policy import actor_from_request
from ettervern.api.schemas import ERRORS, In, Text
from ettervern.pathways.selectors import pathway_lookup
from ettervern.planning.mapping import selectors, services
from ettervern.planning.mapping.models import (
    COMMENT_MAX_LENGTH,
    SCALE,
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
)

router = Router(tags=["mapping"])


class AreaOut(Schema):
    code: str
    name: str


class StepOut(Schema):
    value: int
    label: str


class ScoreOut(Schema):
    area: str
    score: int
    comment: str


class SideOut(Schema):
    version: int
    by: str
    updated_at: dt.datetime
    scores: list[ScoreOut]


class RoundOut(Schema):
    id: uuid.UUID
    on: dt.date
    clinician: SideOut | None
    patient: SideOut | None


class MappingOut(Schema):
    areas: list[AreaOut]
    scale: list[StepOut] = Field(description="1 serious problems … 5 going well")
    rounds: list[RoundOut] = Field(description="Oldest first (the latest 24)")
    can_rate: bool
    can_respond: bool


class RoundIn(In):
    on: dt.date


class ScoreIn(In):
    area: Text = Field(max_length=40, description="A life area's code")
    score: int = Field(ge=SCORE_MIN, le=SCORE_MAX)
    comment: Text = Field(default="", max_length=COMMENT_MAX_LENGTH)


class SideIn(In):
    version: int = Field(ge=0, description="The version read; 0 when this side is not given")
    scores: list[ScoreIn] = Field(max_length=50, description="Areas left out are not rated")


def _side(view: selectors.RoundView, source: str, areas: dict[int, str]) -> SideOut | None:
    side = view.side(source)
    if side is None:
        return None
    scores = [ScoreOut(area=areas[s.area_id], score=s.score, comment=s.comment)
              for (src, _area), s in view.scores.items() if src == source and s.area_id in areas]
    return SideOut(version=side.version, by=side.by_name, updated_at=side.updated_at,
                   scores=scores)


def _round(view: selectors.RoundView, areas: dict[int, str]) -> RoundOut:
    return RoundOut(id=view.round.public_id, on=view.round.on,
                    clinician=_side(view, Assessment.Source.CLINICIAN, areas),
                    patient=_side(view, Assessment.Source.PATIENT, areas))


@router.get("/pathways/{id}/mapping", response={200: MappingOut, **ERRORS}, summary="The mapping")
def mapping(request: HttpRequest, id: uuid.UUID) -> MappingOut:
    overview = selectors.mapping_overview(actor=actor_from_request(request, "api"), public_id=id)
    codes = {a.pk: a.code for a in overview.areas}
    return MappingOut(
        areas=[AreaOut(code=a.code, name=a.name) for a in overview.areas],
        scale=[StepOut(value=k, label=str(v)) for k, v in SCALE.items()],
        rounds=[_round(v, codes) for v in overview.rounds],
        can_rate=overview.can_rate, can_respond=overview.can_respond)


@router.post("/pathways/{id}/mapping/rounds", response={201: RoundOut, **ERRORS},
             summary="Start a mapping round")
def start_round(request: HttpRequest, id: uuid.UUID, payload: RoundIn) -> Status[RoundOut]:
    actor = actor_from_request(request, "api")
    started = services.mapping_round_start(actor=actor, pathway=pathway_lookup(id), on=payload.on)
    return Status(201, RoundOut(id=started.public_id, on=started.on, clinician=None,
                                patient=None))


def _save(request: HttpRequest, id: uuid.UUID, source: str, payload: SideIn) -> RoundOut:
    actor = actor_from_request(request, "api")
    target = selectors.mapping_round_lookup(id)
    services.mapping_assess(
        actor=actor, round=target, source=source, expected_version=payload.version,
        scores={s.area: services.AreaScore(score=s.score, comment=s.comment)
                for s in payload.scores})
    detail = selectors.mapping_round_get(actor=actor, public_id=id)
    return _round(detail.view, {a.pk: a.code for a in detail.areas})


@router.put("/mapping-rounds/{id}/clinician", response={200: RoundOut, **ERRORS},
            summary="Save the clinician's rating")
def save_clinician(request: HttpRequest, id: uuid.UUID, payload: SideIn) -> RoundOut:
    return _save(request, id, Assessment.Source.CLINICIAN, payload)


@router.put("/mapping-rounds/{id}/patient", response={200: RoundOut, **ERRORS},
            summary="Save the patient's own assessment")
def save_patient(request: HttpRequest, id: uuid.UUID, payload: SideIn) -> RoundOut:
    """Only the patient (PLAN_RESPOND) gives the own assessment."""
    return _save(request, id, Assessment.Source.PATIENT, payload)
