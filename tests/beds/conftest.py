"""Fixtures for user-controlled beds: a unit of another trust with a published programme, its
administrator and clinician, and the pathway's patient with an accepted agreement there."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.beds import services
from ettervern.beds.models import Programme
from ettervern.core import clock
from ettervern.directory.models import Organisation, Staff, Unit
from tests import factories
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act

PROGRAMME_FIELDS = {
    "min_stay_days": 1, "max_stay_days": 5, "min_days_between": 14, "book_ahead_days": 60,
    "min_notice_days": 0, "offer_after_discharge_days": 365, "standard_agreement_days": 182,
    "prerequisites": "Gyldig avtale og kriseplan.", "content": "Hvile, samtale, struktur.",
    "contact_phone": "22 11 33 44", "contact_email": "", "contact_note": "",
    "gender_separated": False, "published": True,
}


@pytest.fixture
def bed_unit(db):  # type: ignore[no-untyped-def]
    """A residential unit of another trust than the one that coordinates the pathway."""
    trust = factories.organisation(Organisation.Kind.HF, name="Helse Vest-foretaket")
    trust.region = "vest"
    trust.save(update_fields=["region"])
    return factories.unit(Unit.Kind.RESIDENTIAL, org=trust, name="Brukerstyrt døgn Vest")


@pytest.fixture
def bed_admin(bed_unit):  # type: ignore[no-untyped-def]
    return factories.staff(Staff.Profession.ADMIN, units=[bed_unit], username="sengeadmin")


@pytest.fixture
def bed_clinician(bed_unit):  # type: ignore[no-untyped-def]
    return factories.staff(Staff.Profession.CLINICIAN, units=[bed_unit], username="sengeklin")


def make_programme(admin: Staff, unit: Unit, beds: int = 2, **changes) -> Programme:  # type: ignore[no-untyped-def]
    programme = services.programme_save(actor=act(admin), unit=unit,
                                        fields={**PROGRAMME_FIELDS, **changes},
                                        target_groups=["voksne"])
    services.capacity_set(actor=act(admin), programme=programme, valid_from=clock.today(),
                          beds=beds)
    return programme


@pytest.fixture
def programme(bed_admin, bed_unit):  # type: ignore[no-untyped-def]
    return make_programme(bed_admin, bed_unit)


@pytest.fixture
def agreement(pathway, programme, bed_clinician, patient_user):  # type: ignore[no-untyped-def]
    """An agreement made by the unit's clinician with the patient, not yet accepted."""
    return services.agreement_offer(
        actor=act(bed_clinician), national_id=pathway.patient.national_id, programme=programme,
        valid_from=clock.today(), valid_to=clock.today() + dt.timedelta(days=182), max_stays=3,
        max_days_per_stay=5, conditions="Ring før kl. 12 dagen før.")


@pytest.fixture
def accepted(agreement, patient_user):  # type: ignore[no-untyped-def]
    return services.agreement_accept(actor=act(patient_user), agreement=agreement)


def day(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)
