"""The rights endpoints: the same services and selectors as the pages; bad input is a 4xx with
a message and nothing stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.rights.models import Block, EmergencyAccess
from tests.api.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_patient(patient_user):  # type: ignore[no-untyped-def]
    return signed_in(patient_user)


def test_block_create_list_lift(pathway, as_patient, specialist):
    created = as_patient.post("/api/me/blocks", {"staff_id": str(specialist.public_id)})
    assert created.status_code == 201, created.json()
    blocked = signed_in(specialist.user)
    assert blocked.get(f"/api/pathways/{pathway.public_id}").status_code == 404
    listed = as_patient.get("/api/me/blocks").json()
    assert [b["staff_name"] for b in listed] == [specialist.name]
    lifted = as_patient.post(f"/api/me/blocks/{created.json()['id']}/lift")
    assert lifted.status_code == 200 and lifted.json()["lifted_at"]
    assert blocked.get(f"/api/pathways/{pathway.public_id}").status_code == 200


def test_bad_blocks_are_refused_with_a_message(pathway, as_patient, coordinator):
    refused = as_patient.post("/api/me/blocks", {"staff_id": str(coordinator.public_id)})
    assert refused.status_code == 409
    assert refused.json()["field"] == "staff_id" and "koordinator" in refused.json()["message"]
    unknown = as_patient.post("/api/me/blocks",
                              {"staff_id": "00000000-0000-4000-8000-000000000000"})
    assert unknown.status_code == 422
    assert not Block.objects.exists()


def test_staff_cannot_block_for_the_patient(pathway, coordinator, specialist):
    response = signed_in(coordinator.user).post("/api/me/blocks",
                                                {"staff_id": str(specialist.public_id)})
    assert response.status_code == 404


def test_emergency_access_opens_reads_and_is_listed_for_the_unit(pathway, doctor):
    client = signed_in(doctor.user)
    short = client.post("/api/emergency-accesses",
                        {"national_id": pathway.patient.national_id, "reason": "kort"})
    assert short.status_code == 422 and short.json()["field"] == "reason"
    assert not EmergencyAccess.objects.exists()
    opened = client.post("/api/emergency-accesses",
                         {"national_id": pathway.patient.national_id,
                          "reason": "Bevisstløs på legevakten, trenger kriseplan"})
    assert opened.status_code == 201, opened.json()
    assert client.get(f"/api/pathways/{opened.json()['pathway_id']}").status_code == 200
    unit = doctor.units.get()
    listed = client.get(f"/api/units/{unit.public_id}/emergency-accesses").json()
    assert [a["id"] for a in listed["items"]] == [opened.json()["id"]]


def test_access_log_pages_and_query_count(pathway, as_patient, coordinator):
    from tests.pathways.helpers import act
    from tests.rights.test_access_log import _rows

    _rows(act(coordinator), pathway.patient_id, 250, action="pathway.view")
    with CaptureQueriesContext(connection) as ctx:
        first = as_patient.get("/api/me/access-log")
    # The session, the user, the patient, one page of the log.
    assert len(ctx.captured_queries) == 4
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 50 and body["next"]
    second = as_patient.get("/api/me/access-log", before=body["next"]).json()
    assert second["items"][0]["at"] < body["items"][-1]["at"]



def test_the_units_list_pages_by_public_id(pathway, doctor, coordinator):
    import datetime as dt

    from ettervern.core import clock
    from ettervern.rights import selectors

    unit = doctor.units.get()
    now = clock.now()
    made = [EmergencyAccess.objects.create(
        pathway=pathway, patient_id=pathway.patient_id, staff=doctor, unit=unit,
        reason="Legevakt, trengte kriseplanen", opened_at=now - dt.timedelta(hours=n),
        expires_at=now - dt.timedelta(hours=n) + dt.timedelta(hours=4))
        for n in range(selectors.UNIT_PAGE + 3)]
    client = signed_in(doctor.user)
    first = client.get(f"/api/units/{unit.public_id}/emergency-accesses").json()
    assert len(first["items"]) == selectors.UNIT_PAGE
    second = client.get(f"/api/units/{unit.public_id}/emergency-accesses",
                        before=first["next"]).json()
    assert [a["id"] for a in first["items"] + second["items"]] == [
        str(a.public_id) for a in made]
    assert second["next"] is None
    assert client.get(f"/api/units/{unit.public_id}/emergency-accesses",
                      before="00000000-0000-4000-8000-000000000000").status_code == 422
    other = signed_in(coordinator.user)
    assert other.get(f"/api/units/{unit.public_id}/emergency-accesses").status_code == 404
