"""The care team through the API: list, add, end a role, hand over the coordinator role."""

from __future__ import annotations

import pytest

from ettervern.pathways.models import CareTeamMember, CoordinatorHandover
from tests import factories


@pytest.fixture
def gp_member(as_coordinator, pathway, gp):  # type: ignore[no-untyped-def]
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/care-team",
                                   {"staff_id": str(gp.public_id), "role": "gp"})
    assert response.status_code == 201, response.content
    return response.json()


def test_add_and_list(as_coordinator, pathway, gp, gp_member, coordinator):
    assert gp_member["staff"]["id"] == str(gp.public_id)
    assert gp_member["role"] == "gp"
    body = as_coordinator.get(f"/api/pathways/{pathway.public_id}/care-team").json()
    assert body["coordinator"]["id"] == str(coordinator.public_id)
    assert [m["id"] for m in body["items"]] == [gp_member["id"]]
    assert (body["page"], body["pages"], body["total"]) == (1, 1, 1)


def test_role_must_fit_the_profession(as_coordinator, pathway, gp):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/care-team",
                                   {"staff_id": str(gp.public_id), "role": "nav_contact"})
    assert response.status_code == 422
    assert response.json()["field"] == "staff_id"
    assert not CareTeamMember.objects.exists()


def test_unknown_role_and_unknown_staff(as_coordinator, pathway, gp):
    url = f"/api/pathways/{pathway.public_id}/care-team"
    bad_role = as_coordinator.post(url, {"staff_id": str(gp.public_id), "role": "friend"})
    assert (bad_role.status_code, bad_role.json()["field"]) == (422, "role")
    no_staff = as_coordinator.post(url, {"staff_id": str(pathway.public_id), "role": "gp"})
    assert (no_staff.status_code, no_staff.json()["field"]) == (422, "staff_id")
    assert not CareTeamMember.objects.exists()


def test_same_role_twice_is_409(as_coordinator, pathway, gp, gp_member):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/care-team",
                                   {"staff_id": str(gp.public_id), "role": "gp"})
    assert response.status_code == 409
    assert CareTeamMember.objects.count() == 1


def test_end_a_role(as_coordinator, gp_member, pathway):
    stale = as_coordinator.post(f"/api/care-team/{gp_member['id']}/end", {"version": 5})
    assert stale.status_code == 409
    assert CareTeamMember.objects.get(public_id=gp_member["id"]).ended_at is None
    response = as_coordinator.post(f"/api/care-team/{gp_member['id']}/end",
                                   {"version": gp_member["version"]})
    assert response.status_code == 200, response.content
    assert response.json()["ended_at"] is not None
    listed = as_coordinator.get(f"/api/pathways/{pathway.public_id}/care-team").json()
    assert listed["items"] == []


def test_handover(as_coordinator, pathway, colleague):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/handover",
                                   {"to_staff_id": str(colleague.public_id),
                                    "version": pathway.version, "reason": "Permisjon"})
    assert response.status_code == 200, response.content
    assert response.json()["coordinator"]["id"] == str(colleague.public_id)
    pathway.refresh_from_db()
    assert pathway.coordinator == colleague
    assert CoordinatorHandover.objects.get(pathway=pathway).reason == "Permisjon"


def test_handover_to_another_clinic_answers_although_access_ends(pathway, coordinator):
    from tests.api.conftest import signed_in

    elsewhere = factories.staff(units=[factories.unit(factories.Unit.Kind.OUTPATIENT)])
    client = signed_in(coordinator.user)
    response = client.post(f"/api/pathways/{pathway.public_id}/handover",
                           {"to_staff_id": str(elsewhere.public_id), "version": pathway.version,
                            "reason": "Flytter"})
    assert response.status_code == 200, response.content
    assert response.json()["coordinating_unit"]["id"] != str(coordinator.units.get().public_id)
    assert client.get(f"/api/pathways/{pathway.public_id}").status_code == 404


def test_stale_handover_is_409_and_changes_nothing(as_coordinator, pathway, colleague,
                                                   coordinator):
    response = as_coordinator.post(f"/api/pathways/{pathway.public_id}/handover",
                                   {"to_staff_id": str(colleague.public_id),
                                    "version": pathway.version + 1, "reason": "Permisjon"})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    pathway.refresh_from_db()
    assert pathway.coordinator == coordinator
    assert not CoordinatorHandover.objects.exists()
