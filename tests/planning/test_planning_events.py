"""The checklist, the crisis plan and the mapping leave their events on the pathway's timeline,
as the plan does; and the timeline shows planning's events only to those who may read the plan
(a next of kin who follows the pathway learns nothing of it there either)."""

from __future__ import annotations

import pytest

from ettervern.pathways.events import PLANNING_KINDS, SENTENCES, render
from ettervern.pathways.models import PathwayEvent
from tests.planning.conftest import api_client, client_of, item
from tests.planning.test_checklist_services import STATUS, update
from tests.planning.test_crisis_services import save
from tests.planning.test_mapping import assess, start

pytestmark = pytest.mark.django_db


def _kinds(pathway) -> list[str]:  # type: ignore[no-untyped-def]
    return list(PathwayEvent.objects.filter(pathway=pathway).order_by("id")
                .values_list("kind", flat=True))


def test_each_planning_write_leaves_its_event(waiting, coordinator, patient_user):
    housing = item(waiting, "housing")
    update(coordinator, housing, status=STATUS.CLARIFIED)
    update(coordinator, item(waiting, "housing"), note="Husleie betalt")
    update(coordinator, item(waiting, "pets"), status=STATUS.NOT_RELEVANT)
    update(coordinator, item(waiting, "pets"), status=STATUS.NOT_STARTED)
    save(coordinator, waiting)
    mapping_round = start(coordinator, waiting)
    assess(coordinator, mapping_round, "clinician", housing=3)
    assess(patient_user, mapping_round, "patient", housing=4)
    kinds = [k for k in _kinds(waiting) if k.startswith(PLANNING_KINDS)]
    assert kinds == ["checklist.clarified", "checklist.updated", "checklist.not_relevant",
                     "checklist.not_started", "crisisplan.saved", "mapping.started",
                     "mapping.clinician", "mapping.patient"]
    assert {k for k in SENTENCES if k.startswith(("checklist.", "crisisplan.", "mapping."))} \
        == set(kinds)
    for event in PathwayEvent.objects.filter(pathway=waiting, kind__in=kinds):
        assert render(event) != event.kind
        if event.kind.startswith("checklist."):
            assert event.data["item"] in render(event)


def test_the_timeline_hides_planning_from_who_may_not_read_the_plan(waiting, coordinator,
                                                                   kin_user):
    save(coordinator, waiting)
    coordinator_kinds = {i["kind"] for i in api_client(coordinator).get(
        f"/api/pathways/{waiting.public_id}/timeline").json()["items"]}
    kin_kinds = {i["kind"] for i in api_client(kin_user).get(
        f"/api/pathways/{waiting.public_id}/timeline").json()["items"]}
    assert "crisisplan.saved" in coordinator_kinds and "phase.changed" in coordinator_kinds
    assert "phase.changed" in kin_kinds
    assert not any(k.startswith(PLANNING_KINDS) for k in kin_kinds)
    saved = render(PathwayEvent.objects.get(pathway=waiting, kind="crisisplan.saved"))
    assert saved in client_of(coordinator).get(f"/forlop/{waiting.public_id}/").content.decode()
    assert saved not in client_of(kin_user).get(f"/forlop/{waiting.public_id}/").content.decode()
