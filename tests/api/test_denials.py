"""Every pathway endpoint refuses a staff member without a role on the pathway (404 for reads
and for writes by someone with no role at all, so existence does not leak), the refusal is in
the audit log, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core import clock
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, PathwayEvent, Stay
from tests import factories
from tests.api.conftest import denials


@pytest.fixture
def world(pathway, coordinator, residential_unit, gp):  # type: ignore[no-untyped-def]
    actor = factories.actor(coordinator)
    stay = services.stay_plan(actor=actor, pathway=pathway, unit=residential_unit,
                              planned_start=clock.today() - dt.timedelta(days=1))
    member = services.careteam_add(actor=actor, pathway=pathway, staff=gp, role="gp")
    return {"pathway": pathway, "stay": stay, "member": member, "gp": gp,
            "unit": residential_unit, "coordinator": coordinator}


TODAY = "today"

ENDPOINTS = [
    ("get", "/api/pathways/{pathway}", None),
    ("patch", "/api/pathways/{pathway}", {"version": 1, "note": "x"}),
    ("post", "/api/pathways/{pathway}/transitions", {"to_phase": "pre_admission", "on": TODAY}),
    ("get", "/api/pathways/{pathway}/timeline", None),
    ("post", "/api/pathways/{pathway}/stays", {"unit_id": "{unit}", "planned_start": TODAY}),
    ("patch", "/api/stays/{stay}", {"version": 1, "planned_end": TODAY}),
    ("post", "/api/stays/{stay}/admit", {"on": TODAY}),
    ("post", "/api/stays/{stay}/discharge", {"on": TODAY, "reason": "x"}),
    ("post", "/api/stays/{stay}/cancel", {"version": 1, "reason": "x"}),
    ("get", "/api/pathways/{pathway}/care-team", None),
    ("post", "/api/pathways/{pathway}/care-team", {"staff_id": "{gp}", "role": "gp"}),
    ("post", "/api/care-team/{member}/end", {"version": 1}),
    ("post", "/api/pathways/{pathway}/handover",
     {"to_staff_id": "{outsider}", "version": 1, "reason": "x"}),
]


def _fill(value, ids):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if value == TODAY:
        return str(clock.today())
    if isinstance(value, str):
        return value.format(**ids)
    return value


def _snapshot(world):  # type: ignore[no-untyped-def]
    pathway = world["pathway"]
    pathway.refresh_from_db()
    return (pathway.version, pathway.phase, pathway.note, pathway.coordinator_id,
            list(Stay.objects.values_list("version", "status")),
            list(CareTeamMember.objects.values_list("version", "ended_at")),
            PathwayEvent.objects.count())


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS,
                         ids=[f"{m} {u}" for m, u, _ in ENDPOINTS])
def test_outsider_is_refused_audited_and_nothing_changes(world, outsider, as_outsider,
                                                         method, url, body):
    ids = {"pathway": world["pathway"].public_id, "stay": world["stay"].public_id,
           "member": world["member"].public_id, "unit": world["unit"].public_id,
           "gp": world["gp"].public_id, "outsider": outsider.public_id}
    before = _snapshot(world)
    call = getattr(as_outsider, method)
    response = call(_fill(url, ids)) if body is None else call(_fill(url, ids), _fill(body, ids))
    assert response.status_code in (403, 404), response.content
    assert response.json()["code"] in ("not_found", "forbidden")
    assert world["pathway"].patient.family_name not in response.content.decode()
    assert denials(outsider.user) >= 1
    assert _snapshot(world) == before


@pytest.mark.parametrize(("method", "url", "body"), [e for e in ENDPOINTS if e[0] != "get"],
                         ids=[f"{m} {u}" for m, u, _ in ENDPOINTS if m != "get"])
def test_view_only_role_is_forbidden_to_write(world, method, url, body):
    """The GP on the team may read the pathway but not change it: 403, audited."""
    from tests.api.conftest import signed_in

    gp = world["gp"]
    ids = {"pathway": world["pathway"].public_id, "stay": world["stay"].public_id,
           "member": world["member"].public_id, "unit": world["unit"].public_id,
           "gp": gp.public_id, "outsider": world["coordinator"].public_id}
    before = _snapshot(world)
    response = getattr(signed_in(gp.user), method)(_fill(url, ids), _fill(body, ids))
    assert response.status_code == 403, response.content
    assert denials(gp.user) >= 1
    assert _snapshot(world) == before
