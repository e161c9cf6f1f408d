"""Writing the mapping: starting a dated round (the clinician), and saving one side of a round
— the clinician's rating (MAPPING_RATE) or the patient's own assessment (PLAN_RESPOND). Each
use case is one transaction, audited through the access policy; each side is versioned (0 =
not written yet), so a stale save changes nothing and answers with a conflict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import MAPPING_RATE, PLAN_RESPOND, Actor, require
from ettervern.core import clock
from ettervern.core.errors import InvalidInput, RuleViolation, StaleVersion
from ettervern.core.models import update_versioned
from ettervern.pathways.events import record_event
from ettervern.pathways.models import Pathway
from ettervern.planning.locking import lock_open_pathway
from ettervern.planning.mapping.models import (
    COMMENT_MAX_LENGTH,
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
    LifeArea,
    MappingRound,
    Score,
)

STALE = _("Someone else changed this mapping in the meantime. Reload the page to see their "
          "changes, then make yours again.")
ACTION = {Assessment.Source.CLINICIAN: MAPPING_RATE, Assessment.Source.PATIENT: PLAN_RESPOND}


@dataclass(frozen=True)
class AreaScore:
    score: int | None
    comment: str = ""


@dataclass(frozen=True)
class _Checked:
    score: int
    comment: str


def _locked_open(actor: Actor, pathway: Pathway, action: str) -> Pathway:
    return lock_open_pathway(actor, pathway.pk, action, closed=_(
        "The pathway is closed; its mapping can no longer be changed."))


def mapping_round_start(*, actor: Actor, pathway: Pathway, on: dt.date) -> MappingRound:
    """A new dated round; the clinician and the patient then fill in their sides."""
    require(actor, pathway, MAPPING_RATE)
    if on > clock.today():
        raise InvalidInput(_("A mapping cannot be dated in the future."), field="on")
    try:
        with transaction.atomic():
            locked = _locked_open(actor, pathway, MAPPING_RATE)
            created = MappingRound.objects.create(pathway=locked, on=on,
                                                  created_by_id=actor.user_pk)
            record_event(locked, actor, "mapping.started", on=on.isoformat())
            return created
    except IntegrityError:
        raise RuleViolation(_("There is already a mapping on that date."), field="on") from None


def _clean(scores: Mapping[str, AreaScore]) -> dict[LifeArea, _Checked]:
    areas = {a.code: a for a in LifeArea.objects.filter(active=True)}
    cleaned: dict[LifeArea, _Checked] = {}
    for code, given in scores.items():
        area = areas.get(code)
        if area is None:
            raise InvalidInput(_("There is no life area %(code)s.") % {"code": code},
                               field=f"{code}-score")
        comment = given.comment.strip()
        if given.score is None:
            if comment:
                raise InvalidInput(_("Choose a step on the scale for %(area)s, or leave the "
                                     "comment empty.") % {"area": area.name},
                                   field=f"{code}-score")
            continue
        if not SCORE_MIN <= given.score <= SCORE_MAX:
            raise InvalidInput(_("A rating is a whole number from %(min)s to %(max)s.")
                               % {"min": SCORE_MIN, "max": SCORE_MAX}, field=f"{code}-score")
        if len(comment) > COMMENT_MAX_LENGTH:
            raise InvalidInput(_("A comment can be at most %(limit)s characters.")
                               % {"limit": COMMENT_MAX_LENGTH}, field=f"{code}-comment")
        cleaned[area] = _Checked(score=given.score, comment=comment)
    return cleaned


def mapping_assess(*, actor: Actor, round: MappingRound, source: str, expected_version: int,
                   scores: Mapping[str, AreaScore]) -> Assessment:
    """Save one side of a round whole: the areas given replace what that side held."""
    if source not in ACTION:
        raise InvalidInput(_("Unknown kind of assessment."), field="source")
    action = ACTION[Assessment.Source(source)]
    require(actor, round.pathway, action, obj=round)
    cleaned = _clean(scores)
    name = actor.identity[0]
    try:
        with transaction.atomic():
            locked = _locked_open(actor, round.pathway, action)
            assessment = Assessment.objects.filter(round=round, source=source).first()
            if assessment is None:
                if expected_version != 0:
                    raise StaleVersion(STALE)
                assessment = Assessment.objects.create(round=round, source=source,
                                                       by_id=actor.user_pk, by_name=name)
            else:
                try:
                    update_versioned(assessment, expected_version=expected_version,
                                     by_id=actor.user_pk, by_name=name)
                except StaleVersion:
                    raise StaleVersion(STALE) from None
                assessment.scores.all().delete()
            Score.objects.bulk_create([
                Score(assessment=assessment, area=area, score=s.score, comment=s.comment)
                for area, s in cleaned.items()])
            record_event(locked, actor, f"mapping.{source}", on=round.on.isoformat())
    except IntegrityError:
        raise StaleVersion(STALE) from None
    return assessment


def scores_from(data: Mapping[str, Any], codes: list[str]) -> dict[str, AreaScore]:
    """The areas' scores from cleaned form data ("<code>-score", "<code>-comment")."""
    return {code: AreaScore(score=data.get(f"{code}-score"),
                            comment=data.get(f"{code}-comment") or "") for code in codes}
