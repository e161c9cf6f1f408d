"""Shared fixtures for the domain tests (access, pathways, patients), imported by their
conftests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.directory.models import Staff, Unit
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.patients.models import Consent, NextOfKin, Patient
from tests import factories

__all__ = [
    "act", "audit_count", "clinician", "colleague", "days_ago", "gp", "kin_user", "municipal",
    "emergency_clinician", "nav", "patient_user", "plan_stay", "specialist",
    "treating_clinician",
]


def days_ago(n: int) -> dt.date:
    return clock.today() - dt.timedelta(days=n)


def act(who):  # type: ignore[no-untyped-def]
    return factories.actor(who)


def audit_count(**filters) -> int:  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(**filters).count()


def plan_stay(pathway: Pathway, by: Staff, unit: Unit, start: dt.date,
              end: dt.date | None = None) -> Stay:
    return services.stay_plan(actor=act(by), pathway=pathway, unit=unit, planned_start=start,
                              planned_end=end)


@pytest.fixture
def colleague(clinic):  # type: ignore[no-untyped-def]
    """Another coordinator at the coordinating clinic (basis unit:coordinating)."""
    return factories.staff(units=[clinic], username="kollega")


@pytest.fixture
def clinician(residential_unit):  # type: ignore[no-untyped-def]
    """A clinician at the residential unit, no role on any pathway by themselves."""
    return factories.staff(Staff.Profession.CLINICIAN, units=[residential_unit],
                           username="behandler")


@pytest.fixture
def treating_clinician(pathway, coordinator, residential_unit, clinician):  # type: ignore[no-untyped-def]
    """The clinician, whose unit has a planned stay on the pathway (basis unit:treating)."""
    plan_stay(pathway, coordinator, residential_unit, days_ago(10), days_ago(1))
    return clinician


def _team_member(pathway, coordinator, profession, role, username):  # type: ignore[no-untyped-def]
    kind = {Staff.Profession.MUNICIPAL: Unit.Kind.MUNICIPAL, Staff.Profession.NAV: Unit.Kind.NAV,
            Staff.Profession.GP: Unit.Kind.GP}.get(profession, Unit.Kind.OUTPATIENT)
    person = factories.staff(profession, units=[factories.unit(kind)], username=username)
    services.careteam_add(actor=act(coordinator), pathway=pathway, staff=person, role=role)
    return person


@pytest.fixture
def specialist(pathway, coordinator):  # type: ignore[no-untyped-def]
    return _team_member(pathway, coordinator, Staff.Profession.CLINICIAN,
                        CareTeamMember.Role.SPECIALIST_CONTACT, "spesialist")


@pytest.fixture
def municipal(pathway, coordinator):  # type: ignore[no-untyped-def]
    return _team_member(pathway, coordinator, Staff.Profession.MUNICIPAL,
                        CareTeamMember.Role.MUNICIPAL_CONTACT, "kommune")


@pytest.fixture
def nav(pathway, coordinator):  # type: ignore[no-untyped-def]
    return _team_member(pathway, coordinator, Staff.Profession.NAV,
                        CareTeamMember.Role.NAV_CONTACT, "nav")


@pytest.fixture
def gp(pathway, coordinator):  # type: ignore[no-untyped-def]
    return _team_member(pathway, coordinator, Staff.Profession.GP, CareTeamMember.Role.GP,
                        "fastlege")


@pytest.fixture
def patient_user(pathway):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="pasient", password=None)
    Patient.objects.filter(pk=pathway.patient_id).update(user=user)
    return user


@pytest.fixture
def kin_user(pathway):  # type: ignore[no-untyped-def]
    """A next of kin with the patient's consent to see the pathway overview."""
    user = get_user_model().objects.create_user(username="parorende", password=None)
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name="Ola Nordmann",
                                   relation="bror", user=user)
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin,
                           kind="pathway", given_at=clock.now(), valid_from=clock.today())
    return user


@pytest.fixture
def emergency_clinician(pathway):  # type: ignore[no-untyped-def]
    """A GP elsewhere, with no role on the pathway, who has opened emergency access to it."""
    from ettervern.rights.models import EMERGENCY_DURATION, EmergencyAccess

    person = factories.staff(Staff.Profession.GP, units=[factories.unit(Unit.Kind.GP)],
                             username="legevakt")
    EmergencyAccess.objects.create(
        pathway=pathway, patient_id=pathway.patient_id, staff=person,
        unit=person.units.get(), reason="Legevakt: bevisstløs pasient",
        opened_at=clock.now(), expires_at=clock.now() + EMERGENCY_DURATION)
    return person
