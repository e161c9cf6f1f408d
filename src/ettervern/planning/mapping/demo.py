"""Two mapping rounds for a demo pathway: each with the clinician's rating and the patient's
own assessment, written through the services, so change and disagreement show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ettervern.access.policy import Actor
from ettervern.directory.models import Staff
from ettervern.pathways.models import Pathway
from ettervern.planning.mapping.areas import ensure_areas
from ettervern.planning.mapping.models import MappingRound
from ettervern.planning.mapping.services import AreaScore, mapping_assess, mapping_round_start

AREAS = ("housing", "economy", "activity", "physical_health", "mental_health", "substance_use",
         "network", "leisure", "daily_living")
# (clinician, patient) per area, first and second round.
FIRST = ((2, 3), (1, 2), (2, 2), (3, 4), (2, 2), (1, 2), (2, 3), (2, 2), (3, 4))
SECOND = ((3, 3), (2, 2), (3, 4), (3, 4), (3, 3), (3, 3), (3, 4), (3, 3), (4, 4))


def demo_mappings(pathway: Pathway, *, clinician: Staff, patient_user: Any,
                  days_ago: tuple[int, int] = (80, 10), today: dt.date) -> list[MappingRound]:
    ensure_areas()
    staff, own = Actor(user=clinician.user, channel="cli"), Actor(user=patient_user, channel="cli")
    rounds = []
    for ago, pairs in zip(days_ago, (FIRST, SECOND), strict=True):
        started = mapping_round_start(actor=staff, pathway=pathway,
                                      on=today - dt.timedelta(days=ago))
        for actor, source, index in ((staff, "clinician", 0), (own, "patient", 1)):
            mapping_assess(actor=actor, round=started, source=source, expected_version=0,
                           scores={code: AreaScore(pair[index]) for code, pair
                                   in zip(AREAS, pairs, strict=True)})
        rounds.append(started)
    return rounds
