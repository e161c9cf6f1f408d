"""`ettervern seed`: a realistic, valid and consistent synthetic population."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from stdnum.no import fodselsnummer, orgnr

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.core.identifiers import parse_national_id
from ettervern.demo import data
from ettervern.directory.models import CooperationAgreement, Organisation, Region, Staff, Unit
from ettervern.pathways.models import (
    CareTeamMember,
    Pathway,
    PathwayEvent,
    PhaseTransition,
    Stay,
)
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Patient
from tests.demo.conftest import PATIENTS

pytestmark = pytest.mark.usefixtures("seeded")


def test_prints_a_summary_and_a_progress_bar_on_stderr(seeded, db):
    assert f"Seeded {PATIENTS} patients" in seeded.stdout
    assert f"{PATIENTS}/{PATIENTS}" in seeded.stderr


def test_organisations_of_all_four_regions(db):
    rhfs = Organisation.objects.filter(kind=Organisation.Kind.RHF)
    assert set(rhfs.values_list("region", flat=True)) == set(Region.values)
    trusts = Organisation.objects.filter(kind=Organisation.Kind.HF)
    assert set(trusts.values_list("name", flat=True)) == {t.name for t in data.TRUSTS}
    assert set(trusts.values_list("region", flat=True)) == set(Region.values)
    for trust in trusts.select_related("parent"):
        assert trust.parent is not None and trust.parent.kind == Organisation.Kind.RHF
        assert trust.parent.region == trust.region
        kinds = set(trust.units.values_list("kind", flat=True))
        assert {Unit.Kind.OUTPATIENT, Unit.Kind.RESIDENTIAL} <= kinds, trust.name


def test_private_providers_municipalities_nav_and_gps(db):
    private = Organisation.objects.filter(kind=Organisation.Kind.PRIVATE)
    assert set(private.values_list("name", flat=True)) == {p[0] for p in data.PRIVATE_PROVIDERS}
    assert not Unit.objects.filter(organisation__in=private).exclude(
        kind=Unit.Kind.RESIDENTIAL).exists()
    kommuner = Organisation.objects.filter(kind=Organisation.Kind.KOMMUNE)
    assert kommuner.count() == len(data.MUNICIPALITIES) >= 30
    assert set(kommuner.values_list("region", flat=True)) == set(Region.values)
    assert {"Oslo kommune", "Bergen kommune", "Trondheim kommune", "Tromsø kommune"} <= set(
        kommuner.values_list("name", flat=True))
    for spec in data.MUNICIPALITIES:
        assert Unit.objects.filter(kind=Unit.Kind.MUNICIPAL, municipality_name=spec.name,
                                   organisation__kind=Organisation.Kind.KOMMUNE).count() == 1
        assert Unit.objects.filter(kind=Unit.Kind.NAV, municipality_name=spec.name,
                                   organisation__kind=Organisation.Kind.NAV).count() == 1
        assert Unit.objects.filter(kind=Unit.Kind.GP, municipality_name=spec.name).exists()
    assert CooperationAgreement.objects.count() == len(data.MUNICIPALITIES)


def test_org_numbers_are_valid_and_unique(db):
    numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert numbers and len(numbers) == len(set(numbers))
    invalid = [n for n in numbers if not orgnr.is_valid(n)]
    assert invalid == []


def test_staff_professions_match_their_units(db):
    expected = {
        Unit.Kind.OUTPATIENT: {Staff.Profession.COORDINATOR, Staff.Profession.CLINICIAN},
        Unit.Kind.RESIDENTIAL: {Staff.Profession.CLINICIAN},
        Unit.Kind.MUNICIPAL: {Staff.Profession.MUNICIPAL},
        Unit.Kind.NAV: {Staff.Profession.NAV},
        Unit.Kind.GP: {Staff.Profession.GP},
        Unit.Kind.ADMIN: {Staff.Profession.ADMIN},
    }
    for unit in Unit.objects.prefetch_related("staff"):
        professions = {s.profession for s in unit.staff.all()}
        assert professions and professions <= expected[unit.kind], unit
    health = Staff.objects.filter(profession__in=[Staff.Profession.COORDINATOR,
                                                  Staff.Profession.CLINICIAN,
                                                  Staff.Profession.GP])
    hprs = list(health.values_list("hpr_number", flat=True))
    assert all(h.isdigit() and 7 <= len(h) <= 8 for h in hprs)
    assert len(hprs) == len(set(hprs))
    assert not Staff.objects.filter(profession=Staff.Profession.NAV).exclude(hpr_number="").exists()
    # The population has no usable passwords: only the demo command sets one.
    assert not any(s.user.has_usable_password() for s in Staff.objects.select_related("user"))


def test_every_national_id_validates_and_some_are_d_numbers(db):
    patients = list(Patient.objects.all())
    assert len(patients) >= PATIENTS
    for patient in patients:
        assert fodselsnummer.is_valid(patient.national_id), patient.national_id
        assert parse_national_id(patient.national_id).kind == patient.id_kind
        assert fodselsnummer.get_birth_date(patient.national_id) == patient.birth_date
        assert patient.municipality is not None
    kinds = {p.id_kind for p in patients}
    assert kinds == {Patient.IdKind.FNR_, Patient.IdKind.DNR_}


def test_pathways_in_every_phase(db):
    phases = set(Pathway.objects.values_list("phase", flat=True))
    assert phases == set(Phase.values)
    # Contact before a referral.
    assert Pathway.objects.filter(phase=Phase.CONTACT, referral_received_on__isnull=True).exists()
    # A referral waiting in the contact phase.
    assert Pathway.objects.filter(phase=Phase.CONTACT, referral_received_on__isnull=False).exists()
    # Pre-admission with a planned stay.
    assert Pathway.objects.filter(phase=Phase.PRE_ADMISSION,
                                  stays__status=Stay.Status.PLANNED).exists()
    assert Pathway.objects.filter(phase=Phase.RESIDENTIAL,
                                  stays__status=Stay.Status.ONGOING).exists()
    assert Pathway.objects.filter(phase=Phase.AFTERCARE,
                                  stays__status=Stay.Status.DISCHARGED).exists()
    # Sequential admissions: two stays on one pathway, at least one already discharged.
    sequential = (Pathway.objects.filter(stays__status__in=[Stay.Status.DISCHARGED,
                                                            Stay.Status.ONGOING])
                  .annotate(n=Count("stays")).filter(n__gte=2))
    assert sequential.exists()
    # Stays at private providers as well as at trusts.
    stay_org_kinds = set(Stay.objects.values_list("unit__organisation__kind", flat=True))
    assert {Organisation.Kind.HF, Organisation.Kind.PRIVATE} <= stay_org_kinds


def test_care_teams(db):
    roles = set(CareTeamMember.objects.values_list("role", flat=True))
    assert roles == set(CareTeamMember.Role.values)
    for pathway in Pathway.objects.filter(closed_at__isnull=True):
        assert pathway.coordinator_id is not None
        assert pathway.coordinator.units.filter(pk=pathway.coordinating_unit_id).exists()


def test_history_is_dated_in_the_past_and_consistent(db):
    today = clock.today()
    for transition in PhaseTransition.objects.select_related("pathway"):
        pathway = transition.pathway
        assert transition.on <= timezone.localdate(transition.recorded_at) <= today
        # The first transition is dated at the first contact, which may precede the referral.
        first_day = min(d for d in (pathway.first_contact_on, pathway.referral_received_on) if d)
        assert transition.on >= first_day
    for stay in Stay.objects.all():
        if stay.admitted_on:
            assert stay.admitted_on <= today and stay.admitted_on >= stay.pathway.started_on
        if stay.discharged_on:
            assert stay.admitted_on is not None and stay.discharged_on >= stay.admitted_on
    for pathway in Pathway.objects.all():
        last = pathway.transitions.order_by("recorded_at", "id").last()
        assert last is not None and last.to_phase == pathway.phase
        events = list(pathway.events.order_by("at", "id").values_list("kind", flat=True))
        assert events[0] == "pathway.opened"
    assert not PathwayEvent.objects.filter(at__gt=clock.now()).exists()


def test_written_through_the_services_with_an_audit_trail(db):
    # Every pathway was opened by its (first) coordinator through pathway_open, on the CLI.
    opened = AuditEvent.objects.filter(action="pathway.open", channel="cli")
    assert opened.count() == Pathway.objects.count()
    assert AuditEvent.objects.filter(action="stay.manage", channel="cli").exists()
    # Residential units admit and discharge their own stays, on the basis of treating them.
    assert AuditEvent.objects.filter(action="stay.manage", basis="unit:treating").exists()
    assert PathwayEvent.objects.filter(kind="stay.admitted",
                                       actor__staff__profession=Staff.Profession.CLINICIAN
                                       ).exists()
    assert not AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED).exists()


def test_running_twice_adds_patients_and_reuses_organisations(db):
    organisations, units, staff = (Organisation.objects.count(), Unit.objects.count(),
                                   Staff.objects.count())
    patients = Patient.objects.count()
    call_command("seed", "--patients", "3", stdout=StringIO(), stderr=StringIO())
    assert Organisation.objects.count() == organisations
    assert Unit.objects.count() == units
    assert Staff.objects.count() == staff
    assert Patient.objects.count() == patients + 3


def test_refuses_a_negative_number(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed", "--patients", "-1", stdout=StringIO(), stderr=StringIO())
