"""Reading the mapping: the overview (every round, both sides, per area) that the page, the
chart and the API share, and one round for its forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import (
    MAPPING_RATE,
    MAPPING_VIEW,
    PLAN_RESPOND,
    Actor,
    Basis,
    allowed_actions,
    require_all,
)
from ettervern.core.errors import NotFound
from ettervern.pathways.models import Pathway
from ettervern.pathways.selectors import pathway_lookup
from ettervern.planning.mapping.models import Assessment, LifeArea, MappingRound, Score

# Rounds are few (one every few weeks or months); the overview shows the latest ones.
MAX_ROUNDS = 24


@dataclass
class RoundView:
    round: MappingRound
    clinician: Assessment | None = None
    patient: Assessment | None = None
    scores: dict[tuple[str, int], Score] = field(default_factory=dict)

    def score(self, source: str, area: LifeArea) -> Score | None:
        return self.scores.get((source, area.pk))

    def side(self, source: str) -> Assessment | None:
        return self.clinician if source == Assessment.Source.CLINICIAN else self.patient


@dataclass
class MappingOverview:
    pathway: Pathway
    areas: list[LifeArea]
    rounds: list[RoundView]
    can_rate: bool
    can_respond: bool
    # What the read was allowed on (a next of kin's page links back to what is shared).
    basis: Basis | None = None


def _views(rounds: list[MappingRound]) -> list[RoundView]:
    views = []
    for mapping_round in rounds:
        view = RoundView(round=mapping_round)
        for assessment in mapping_round.assessments.all():
            setattr(view, assessment.source, assessment)
            for score in assessment.scores.all():
                view.scores[(assessment.source, score.area_id)] = score
        views.append(view)
    return views


def _rounds(pathway: Pathway) -> Any:
    return (MappingRound.objects.filter(pathway=pathway)
            .prefetch_related(Prefetch("assessments",
                                       queryset=Assessment.objects.prefetch_related("scores"))))


def _abilities(pathway: Pathway, bases: Any) -> tuple[bool, bool]:
    allowed = allowed_actions(bases) if pathway.is_open else frozenset()
    return MAPPING_RATE in allowed, PLAN_RESPOND in allowed


def mapping_overview(*, actor: Actor, public_id: Any) -> MappingOverview:
    """Every round of the pathway (the latest MAX_ROUNDS, oldest first), if the actor may read
    the plan (audited either way); a next of kin without the patient's sharing sees nothing."""
    pathway = pathway_lookup(public_id)
    basis, bases = require_all(actor, pathway, MAPPING_VIEW)
    latest = list(_rounds(pathway).order_by("-on", "-id")[:MAX_ROUNDS])
    latest.reverse()
    can_rate, can_respond = _abilities(pathway, bases)
    return MappingOverview(pathway=pathway, areas=list(LifeArea.objects.filter(active=True)),
                           rounds=_views(latest), can_rate=can_rate, can_respond=can_respond,
                           basis=basis)


def mapping_round_lookup(public_id: Any) -> MappingRound:
    """The round a write names; the service's access check decides (404 for strangers)."""
    try:
        return (MappingRound.objects.select_related("pathway", "pathway__patient")
                .get(public_id=public_id))
    except (MappingRound.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        raise NotFound(_("Not found, or you have no access to it.")) from None


@dataclass
class RoundDetail:
    view: RoundView
    areas: list[LifeArea]
    can_rate: bool
    can_respond: bool


def mapping_round_get(*, actor: Actor, public_id: Any) -> RoundDetail:
    mapping_round = mapping_round_lookup(public_id)
    _basis, bases = require_all(actor, mapping_round.pathway, MAPPING_VIEW, obj=mapping_round)
    view = _views(list(_rounds(mapping_round.pathway).filter(pk=mapping_round.pk)))[0]
    view.round = mapping_round
    can_rate, can_respond = _abilities(mapping_round.pathway, bases)
    return RoundDetail(view=view, areas=list(LifeArea.objects.filter(active=True)),
                       can_rate=can_rate, can_respond=can_respond)
