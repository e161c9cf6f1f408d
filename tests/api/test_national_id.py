"""Who sees the whole fødselsnummer through the API: the patient and staff with a role on the
pathway. A next of kin (on the patient's consent) sees it masked, as on the pathway page; the
worklist shows it masked to everyone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ettervern.core.identifiers import mask_national_id
from ettervern.patients.models import Consent, NextOfKin, Patient
from tests import factories
from tests.api.conftest import signed_in


@pytest.fixture
def kin_user(pathway):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("parorende", password=None)
    kin = NextOfKin.objects.create(patient=pathway.patient, name="Mor", relation="mor",
                                   user=user)
    Consent.objects.create(patient=pathway.patient, next_of_kin=kin, kind="pathway",
                           valid_from=timezone.localdate(),
                           given_at=timezone.now())
    return user


def test_a_next_of_kin_sees_the_number_masked(kin_user, pathway):
    response = signed_in(kin_user).get(f"/api/pathways/{pathway.public_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["access_basis"].startswith("consent:")
    nid = pathway.patient.national_id
    assert body["patient"]["national_id"] == mask_national_id(nid)
    assert nid not in response.content.decode()


def test_the_patient_sees_the_whole_number(patient_user, pathway):
    Patient.objects.filter(pk=pathway.patient_id).update(user=patient_user)
    body = signed_in(patient_user).get(f"/api/pathways/{pathway.public_id}").json()
    assert body["access_basis"] == "patient"
    assert body["patient"]["national_id"] == pathway.patient.national_id


def test_staff_with_a_role_see_the_whole_number(as_coordinator, pathway, coordinator, gp):
    body = as_coordinator.get(f"/api/pathways/{pathway.public_id}").json()
    assert body["patient"]["national_id"] == pathway.patient.national_id

    services_actor = factories.actor(coordinator)
    from ettervern.pathways import services

    services.careteam_add(actor=services_actor, pathway=pathway, staff=gp, role="gp")
    body = signed_in(gp.user).get(f"/api/pathways/{pathway.public_id}").json()
    assert body["access_basis"].startswith("team:gp")
    assert body["patient"]["national_id"] == pathway.patient.national_id
