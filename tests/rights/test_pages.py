"""The rights pages: blocks for the patient, emergency access and the unit's list for staff,
the notices on the pathway page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ettervern.directory.models import Staff, Unit
from ettervern.rights.models import Block, EmergencyAccess
from tests import factories

pytestmark = pytest.mark.django_db


def _client(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_patient_blocks_and_lifts_on_the_page(pathway, patient_user, specialist, coordinator):
    client = _client(patient_user)
    page = client.get("/meg/sperringer/")
    assert page.status_code == 200
    html = page.content.decode()
    assert specialist.name in html and f'value="{coordinator.public_id}"' not in html
    refused = client.post("/meg/sperringer/", {"staff": str(coordinator.public_id)})
    assert refused.status_code == 422  # not a choice: the coordinator is never offered
    assert not Block.objects.exists()
    done = client.post("/meg/sperringer/", {"staff": str(specialist.public_id)})
    assert done.status_code == 302
    block = Block.objects.get()
    staff_page = _client(coordinator.user).get(f"/forlop/{pathway.public_id}/")
    assert "Pasienten har sperret navngitte personer" in staff_page.content.decode()
    assert specialist.name not in staff_page.content.decode().split("Oversikt")[0]
    assert _client(specialist.user).get(f"/forlop/{pathway.public_id}/").status_code == 404
    lifted = client.post(f"/meg/sperringer/{block.public_id}/opphev/")
    assert lifted.status_code == 302
    assert _client(specialist.user).get(f"/forlop/{pathway.public_id}/").status_code == 200


def test_blocks_page_query_count(pathway, patient_user, specialist):
    client = _client(patient_user)
    client.post("/meg/sperringer/", {"staff": str(specialist.public_id)})
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/meg/sperringer/").status_code == 200
    # The session, the user, the patient (for the candidates and again for the blocks), the
    # candidates (pathways' units and stays, then the people), the blocks, the menu's standing
    # and its notification badge.
    assert len(ctx.captured_queries) == 10


def test_emergency_page(pathway, doctor, coordinator):
    client = _client(doctor.user)
    assert client.get("/nodtilgang/").status_code == 200
    short = client.post("/nodtilgang/", {"national_id": pathway.patient.national_id,
                                          "reason": "kort"})
    assert short.status_code == 422
    assert "minst 10 tegn" in short.content.decode()
    assert not EmergencyAccess.objects.exists()
    opened = client.post("/nodtilgang/", {"national_id": pathway.patient.national_id,
                                           "reason": "Innlagt på legevakt i natt"})
    assert opened.status_code == 302 and opened["Location"] == f"/forlop/{pathway.public_id}/"
    assert client.get(opened["Location"]).status_code == 200
    page = _client(coordinator.user).get(f"/forlop/{pathway.public_id}/").content.decode()
    assert "Nødtilgang til dette forløpet" in page and "Innlagt på legevakt i natt" in page
    review = client.get("/nodtilgang/enhet/")
    assert review.status_code == 200 and "Innlagt på legevakt i natt" in review.content.decode()


def test_emergency_page_is_for_health_personnel(pathway, patient_user):
    advisor = factories.staff(Staff.Profession.NAV, units=[factories.unit(Unit.Kind.NAV)])
    assert _client(advisor.user).get("/nodtilgang/").status_code == 403
    assert _client(patient_user).get("/nodtilgang/").status_code == 403
    assert _client(patient_user).get("/nodtilgang/enhet/").status_code == 403


def _queries(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_emergency_pages_query_counts(pathway, doctor):
    client = _client(doctor.user)
    # The session, the user, the staff record, the standing, the menu's notification badge.
    assert _queries(client, "/nodtilgang/") == 5
    # The same, the units the reader leads, that they lead the one shown, and the page of
    # accesses (with staff, unit, patient and pathway).
    assert _queries(client, "/nodtilgang/enhet/") == 8
    for n in range(5):
        EmergencyAccess.objects.create(
            pathway=pathway, patient_id=pathway.patient_id, staff=doctor,
            unit=doctor.units.get(), reason=f"Legevakt, natt nummer {n}",
            opened_at=pathway.opened_at, expires_at=pathway.opened_at.replace(year=2100))
    # And the audit rows of the patients shown, in one INSERT.
    assert _queries(client, "/nodtilgang/enhet/") == 9


def test_the_patient_is_told_of_an_emergency_access_on_their_first_page(
        pathway, doctor, patient_user, kin_user):
    before = _client(patient_user).get("/meg/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Innlagt på legevakt i natt" not in before
    _client(doctor.user).post("/nodtilgang/", {"national_id": pathway.patient.national_id,
                                               "reason": "Innlagt på legevakt i natt"})
    page = _client(patient_user).get("/meg/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Innlagt på legevakt i natt" in page and doctor.name in page
    shared = _client(kin_user).get("/delt-med-meg/", HTTP_ACCEPT_LANGUAGE="nb")
    assert "Innlagt på legevakt i natt" not in shared.content.decode()


def test_the_coordinator_is_told_at_once_on_their_worklist(pathway, doctor, coordinator,
                                                          colleague):
    from ettervern.access.models import AuditEvent

    quiet = _client(coordinator.user).get("/forlop/", HTTP_ACCEPT_LANGUAGE="nb")
    assert "Innlagt på legevakt i natt" not in quiet.content.decode()
    _client(doctor.user).post("/nodtilgang/", {"national_id": pathway.patient.national_id,
                                               "reason": "Innlagt på legevakt i natt"})
    listed = AuditEvent.objects.filter(actor_id=coordinator.user_id, action="pathway.list",
                                       patient_id=pathway.patient_id).count()
    page = _client(coordinator.user).get("/forlop/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Innlagt på legevakt i natt" in page and doctor.name in page
    assert pathway.patient.full_name in page
    # The notice names the patient: one more audited list read (beside the worklist's own row).
    assert AuditEvent.objects.filter(actor_id=coordinator.user_id, action="pathway.list",
                                     patient_id=pathway.patient_id).count() == listed + 2
    other = _client(colleague.user).get("/forlop/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Innlagt på legevakt i natt" not in other  # the coordinator's, not the clinic's
