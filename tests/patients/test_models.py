from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ettervern.access.policy import VIEW, require
from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.patients.models import Consent, NextOfKin, Patient
from tests.pathways.helpers import act


@pytest.mark.django_db
def test_national_id_is_unique(pathway):
    patient = pathway.patient
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(national_id=patient.national_id, id_kind=patient.id_kind,
                               given_name="Dup", family_name="Likat",
                               birth_date=patient.birth_date)


@pytest.mark.django_db
def test_full_name(pathway):
    assert pathway.patient.full_name.startswith("Kari Nordmann")
    assert str(pathway.patient) == pathway.patient.full_name


@pytest.mark.django_db
def test_one_active_consent_per_next_of_kin_and_kind(pathway, kin_user):
    kin = NextOfKin.objects.get(user=kin_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(patient=pathway.patient, next_of_kin=kin,
                               kind="pathway", given_at=clock.now(),
                               valid_from=clock.today())
    Consent.objects.filter(next_of_kin=kin).update(withdrawn_at=clock.now())
    Consent.objects.create(patient=pathway.patient, next_of_kin=kin,
                           kind="pathway", given_at=clock.now(),
                               valid_from=clock.today())
    assert Consent.objects.filter(next_of_kin=kin).count() == 2


@pytest.mark.django_db
def test_consent_is_per_patient(pathway, kin_user, coordinator):
    """A next of kin's consent from one patient opens nothing on another patient's pathway."""
    from tests import factories

    other = factories.open_pathway(coordinator)
    assert require(act(kin_user), pathway, VIEW).role == "consent:pathway"
    with pytest.raises(NotFound):
        require(act(kin_user), other, VIEW)


@pytest.mark.django_db
def test_withdrawn_then_given_again_restores_access(pathway, kin_user):
    kin = NextOfKin.objects.get(user=kin_user)
    Consent.objects.filter(next_of_kin=kin).update(withdrawn_at=clock.now())
    with pytest.raises(NotFound):
        require(act(kin_user), pathway, VIEW)
    Consent.objects.create(patient=pathway.patient, next_of_kin=kin,
                           kind="pathway", given_at=clock.now(),
                               valid_from=clock.today())
    assert require(act(kin_user), pathway, VIEW).role == "consent:pathway"
