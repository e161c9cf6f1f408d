"""Ids named in a request body (a unit, a staff member, a stay) are resolved only after the
access check: an unknown id tells a caller without access nothing about the pathway, and
every answer that depends on the pathway is audited once."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.pathways import services
from ettervern.pathways.models import Pathway
from tests import factories
from tests.api.conftest import signed_in

UNKNOWN = str(uuid.UUID(int=1))


@pytest.fixture
def world(pathway, coordinator, residential_unit, gp):  # type: ignore[no-untyped-def]
    actor = factories.actor(coordinator)
    stay = services.stay_plan(actor=actor, pathway=pathway, unit=residential_unit,
                              planned_start=clock.today() + dt.timedelta(days=3),
                              planned_end=clock.today() + dt.timedelta(days=10))
    services.careteam_add(actor=actor, pathway=pathway, staff=gp, role="gp")
    return {"pathway": pathway.public_id, "stay": stay.public_id}


# (method, url, body naming an unknown id, the field that names it, the action decided)
CALLS = [
    ("post", "/api/pathways/{pathway}/stays",
     {"unit_id": UNKNOWN, "planned_start": "+3"}, "unit_id", "stay.plan"),
    ("patch", "/api/stays/{stay}", {"version": 1, "unit_id": UNKNOWN}, "unit_id", "stay.plan"),
    ("post", "/api/pathways/{pathway}/care-team",
     {"staff_id": UNKNOWN, "role": "gp"}, "staff_id", "careteam.manage"),
    ("post", "/api/pathways/{pathway}/handover",
     {"to_staff_id": UNKNOWN, "version": 1, "reason": "Permisjon"}, "to_staff_id",
     "careteam.handover"),
    ("post", "/api/pathways/{pathway}/transitions",
     {"to_phase": "residential", "on": "0", "stay_id": UNKNOWN}, "stay_id", "stay.manage"),
]
IDS = [f"{m} {u} {f}" for m, u, _, f, _ in CALLS]


def _call(client: Any, world: dict[str, Any], method: str, url: str, body: dict[str, Any]) -> Any:
    filled = {k: (str(clock.today() + dt.timedelta(days=int(v))) if k in ("on", "planned_start")
                  else v) for k, v in body.items()}
    return getattr(client, method)(url.format(**world), filled)


def _records(user: Any) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(actor_id=user.pk).order_by("id")
                .values_list("action", "outcome"))


@pytest.mark.parametrize(("method", "url", "body", "field", "action"), CALLS, ids=IDS)
def test_an_outsider_naming_an_unknown_id_gets_404_and_is_audited(
        world, outsider, as_outsider, method, url, body, field, action):
    response = _call(as_outsider, world, method, url, body)
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert response.json()["field"] is None
    assert _records(outsider.user) == [(action, "denied")]


@pytest.mark.parametrize(("method", "url", "body", "field", "action"), CALLS, ids=IDS)
def test_a_view_only_role_naming_an_unknown_id_gets_403_and_is_audited(
        world, gp, method, url, body, field, action):
    response = _call(signed_in(gp.user), world, method, url, body)
    assert response.status_code == 403, response.content
    assert _records(gp.user) == [(action, "denied")]


@pytest.mark.parametrize(("method", "url", "body", "field", "action"), CALLS, ids=IDS)
def test_a_caller_with_access_learns_the_id_is_unknown(
        world, coordinator, as_coordinator, method, url, body, field, action):
    before = AuditEvent.objects.filter(actor_id=coordinator.user_id).count()
    response = _call(as_coordinator, world, method, url, body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert response.json()["field"] == field
    assert _records(coordinator.user)[before:] == [(action, "allowed")]


def test_each_write_naming_an_id_is_audited_once(world, coordinator, as_coordinator,
                                                 residential_unit, colleague):
    """The access decision is taken once per request, not again when the id is resolved."""
    pathway = f"/api/pathways/{world['pathway']}"
    municipal = factories.staff(factories.Staff.Profession.MUNICIPAL,
                                units=[factories.unit(factories.Unit.Kind.MUNICIPAL)],
                                username="kommune")
    calls = [
        ("post", f"{pathway}/stays",
         {"unit_id": str(residential_unit.public_id),
          "planned_start": str(clock.today() + dt.timedelta(days=30))}, "stay.plan"),
        ("patch", f"/api/stays/{world['stay']}",
         {"version": 1, "unit_id": str(residential_unit.public_id)}, "stay.plan"),
        ("post", f"{pathway}/care-team",
         {"staff_id": str(municipal.public_id), "role": "municipal_contact"}, "careteam.manage"),
        ("post", f"{pathway}/transitions",
         {"to_phase": "pre_admission", "on": str(clock.today())}, "pathway.transition"),
        ("post", f"{pathway}/handover",
         {"to_staff_id": str(colleague.public_id), "version": 2, "reason": "Permisjon"},
         "careteam.handover"),
    ]
    for method, url, body, action in calls:
        before = len(_records(coordinator.user))
        response = getattr(as_coordinator, method)(url, body)
        assert response.status_code in (200, 201), (url, response.content)
        assert _records(coordinator.user)[before:] == [(action, "allowed")], url


def test_admitting_a_named_stay_is_audited_once(world, coordinator, as_coordinator):
    pathway = f"/api/pathways/{world['pathway']}"
    as_coordinator.post(f"{pathway}/transitions",
                        {"to_phase": "pre_admission", "on": str(clock.today())})
    stay = services.stay_plan(actor=factories.actor(coordinator),
                              pathway=Pathway.objects.get(public_id=world["pathway"]),
                              unit=factories.unit(factories.Unit.Kind.RESIDENTIAL),
                              planned_start=clock.today(), planned_end=clock.today()
                              + dt.timedelta(days=1))
    before = len(_records(coordinator.user))
    response = as_coordinator.post(f"{pathway}/transitions",
                                   {"to_phase": "residential", "on": str(clock.today()),
                                    "stay_id": str(stay.public_id)})
    assert response.status_code == 200, response.content
    assert _records(coordinator.user)[before:] == [("stay.manage", "allowed")]
