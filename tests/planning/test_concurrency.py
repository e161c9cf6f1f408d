"""Two people save the plan at once (PostgreSQL: threads with their own connections). One
wins; the other gets StaleVersion and nothing of the winner's save is lost or overwritten."""

from __future__ import annotations

import pytest
from django.db import connection

from ettervern.core.errors import StaleVersion
from ettervern.planning.plan import services
from ettervern.planning.plan.models import Measure, Plan, PlanSection, PlanVersion
from tests.pathways.helpers import act
from tests.pathways.test_concurrency import _outcomes, run_together

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrency needs row locks: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_saves_of_a_section_no_lost_update(plan, coordinator, colleague):
    def save(who, goals):  # type: ignore[no-untyped-def]
        return lambda: services.section_update(
            actor=act(who), plan=Plan.objects.select_related("pathway").get(pk=plan.pk),
            section="housing", expected_version=1, goals=goals)

    oks, errors = _outcomes(run_together(save(coordinator, "Egen leilighet"),
                                         save(colleague, "Bo hos mor")))
    assert len(oks) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleVersion), repr(errors[0])
    fresh = Plan.objects.get(pk=plan.pk)
    assert fresh.version == 2
    saved = PlanSection.objects.get(plan=plan, section_type__key="housing").goals
    assert saved == oks[0].goals
    # The one version kept is the winner's, with the winner's text.
    latest = PlanVersion.objects.get(plan=plan, number=2)
    assert latest.snapshot["sections"][0]["goals"] == saved
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_a_measure_and_a_plan_save_at_once(plan, coordinator, colleague):
    def add():  # type: ignore[no-untyped-def]
        return services.measure_add(
            actor=act(coordinator), plan=Plan.objects.select_related("pathway").get(pk=plan.pk),
            expected_version=1, section="finances", description="Gjeldsrådgivning",
            responsible=coordinator)

    def update():  # type: ignore[no-untyped-def]
        return services.plan_update(
            actor=act(colleague), plan=Plan.objects.select_related("pathway").get(pk=plan.pk),
            expected_version=1, coordinator=coordinator, period_start=None, period_end=None,
            next_revision_on=None, goals="Være rusfri")

    oks, errors = _outcomes(run_together(add, update))
    assert len(oks) == 1 and isinstance(errors[0], StaleVersion), repr(errors)
    fresh = Plan.objects.get(pk=plan.pk)
    assert fresh.version == 2
    # Exactly one of the two writes happened, whole.
    assert Measure.objects.filter(plan=plan).exists() != (fresh.goals == "Være rusfri")
