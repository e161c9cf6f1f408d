"""The discharge gate: with checkpoints open, no way to discharge without a clinician's reason;
not through the page, the API, a phase move or the admin. The reason, the open checkpoints and
the person are stored and shown on the pathway."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from ettervern.core.errors import RuleViolation
from ettervern.directory.models import Staff
from ettervern.discharge.models import DischargeOverride
from ettervern.pathways import services
from ettervern.pathways.models import Stay
from ettervern.pathways.phases import Phase
from tests import factories
from tests.api.conftest import ApiClient
from tests.discharge.conftest import REASON
from tests.pathways.helpers import act, days_ago

SRC = Path(__file__).resolve().parents[2] / "src" / "ettervern"


def _still_ongoing(stay: Stay) -> None:
    stay.refresh_from_db()
    assert stay.status == Stay.Status.ONGOING and stay.discharged_on is None
    assert not DischargeOverride.objects.filter(stay=stay).exists()
    stay.pathway.refresh_from_db()
    assert stay.pathway.phase == Phase.RESIDENTIAL


def test_open_checkpoints_and_no_reason_refuse_and_name_what_is_open(stay, coordinator):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation) as refused:
        services.stay_discharge(actor=act(coordinator), stay=stay, on=days_ago(0))
    assert refused.value.field == "reason"
    assert "Fastlegen er informert" in str(refused.value.message)
    _still_ongoing(stay)


def test_a_reason_lets_the_discharge_through_and_is_stored(stay, coordinator):  # type: ignore[no-untyped-def]
    services.stay_discharge(actor=act(coordinator), stay=stay, on=days_ago(0), reason=REASON)
    stay.refresh_from_db()
    assert stay.status == Stay.Status.DISCHARGED
    override = DischargeOverride.objects.get(stay=stay)
    assert override.reason == REASON and override.by_id == coordinator.user_id
    assert "gp_informed" in [item["key"] for item in override.open_checkpoints]
    assert override.by_name == coordinator.name
    event = stay.pathway.events.get(kind="discharge.override")
    assert event.data["reason"] == REASON


def test_with_every_checkpoint_met_no_reason_is_asked(all_met, coordinator):  # type: ignore[no-untyped-def]
    services.stay_discharge(actor=act(coordinator), stay=all_met, on=days_ago(0))
    all_met.refresh_from_db()
    assert all_met.status == Stay.Status.DISCHARGED
    assert not DischargeOverride.objects.exists()


def test_only_a_clinician_may_give_the_reason(stay, residential_unit):  # type: ignore[no-untyped-def]
    # An administrator at the treating unit may discharge a stay whose checkpoints are met,
    # but not override the gate.
    unit_admin = factories.staff(Staff.Profession.ADMIN, units=[residential_unit],
                                 username="enhetsadmin")
    with pytest.raises(RuleViolation, match="klinik|clinician"):
        services.stay_discharge(actor=act(unit_admin), stay=stay, on=days_ago(0), reason=REASON)
    _still_ongoing(stay)


def test_a_phase_move_to_aftercare_passes_the_gate(stay, coordinator, pathway):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation):
        services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                    to_phase=Phase.AFTERCARE, on=days_ago(0))
    _still_ongoing(stay)
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.AFTERCARE, on=days_ago(0), note=REASON)
    assert DischargeOverride.objects.get(stay=stay).reason == REASON


# --- every route that can end a stay ----------------------------------------------------------

def _page(client, stay, coordinator, data):  # type: ignore[no-untyped-def]
    return client.post(reverse("discharge:stay_discharge", args=[stay.public_id]),
                       {**data, "confirmed": "yes"})


def _phase_page(client, stay, coordinator, data):  # type: ignore[no-untyped-def]
    return client.post(reverse("pathways:pathway_transition", args=[stay.pathway.public_id]),
                       {"transition-to_phase": "aftercare", "transition-on": data["on"],
                        "transition-note": data.get("reason", ""), "confirmed": "yes"})


def _api(client, stay, coordinator, data):  # type: ignore[no-untyped-def]
    return ApiClient(client).post(f"/api/stays/{stay.public_id}/discharge", data)


def _phase_api(client, stay, coordinator, data):  # type: ignore[no-untyped-def]
    body = {"to_phase": "aftercare", "on": data["on"]}
    if data.get("reason"):
        body["note"] = data["reason"]
    return ApiClient(client).post(f"/api/pathways/{stay.pathway.public_id}/transitions", body)


ROUTES = {"discharge:stay_discharge": _page, "api:discharge": _api, "api:transition": _phase_api}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_no_route_ends_a_stay_past_the_gate(route, stay, coordinator):  # type: ignore[no-untyped-def]
    from tests.planning.conftest import client_of

    client = client_of(coordinator)
    today = days_ago(0).isoformat()
    refused = ROUTES[route](client, stay, coordinator, {"on": today})
    assert refused.status_code in (409, 422), refused.content
    _still_ongoing(stay)
    passed = ROUTES[route](client, stay, coordinator, {"on": today, "reason": REASON})
    assert passed.status_code in (200, 302), passed.content
    stay.refresh_from_db()
    assert stay.status == Stay.Status.DISCHARGED
    assert DischargeOverride.objects.get(stay=stay).reason == REASON


def test_the_phase_page_does_not_discharge_at_all(stay, coordinator):  # type: ignore[no-untyped-def]
    """The pathway page's phase form offers no move into aftercare: discharging is done on
    the stay's discharge page, through the gate."""
    from tests.planning.conftest import client_of

    for data in ({"on": days_ago(0).isoformat()},
                 {"on": days_ago(0).isoformat(), "reason": REASON}):
        response = _phase_page(client_of(coordinator), stay, coordinator, data)
        assert response.status_code == 422
        _still_ongoing(stay)


def test_the_routes_above_are_every_caller_of_the_discharge():
    """A stay ends only in pathways.services.stay_discharge (which calls the gate); it is
    called from the pathway's phase move, the API endpoint and the discharge page, which the
    test above walks. A new caller must be added there."""
    callers = sorted(
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
        if re.search(r"\bstay_discharge\(", path.read_text()) and "migrations" not in path.parts)
    assert callers == ["demo/population.py", "discharge/views.py", "pathways/api.py",
                       "pathways/services.py"]
    # The only versioned writes of a discharge are in pathways.services: stay_discharge, and
    # the unit's departure from a user-controlled stay (beds), which no checkpoint concerns.
    writers = sorted(
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
        if "status=Stay.Status.DISCHARGED, discharged_on=" in path.read_text())
    assert writers == ["pathways/services.py"]


def test_the_admin_cannot_change_a_stay():
    assert Stay not in admin.site._registry
    assert DischargeOverride not in admin.site._registry
