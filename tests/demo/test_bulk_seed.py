"""`ettervern seed --scale tiny`: the bulk seed's data has the shape, obeys every constraint and
is reachable through the access policy exactly as the audit log says. Runs on SQLite, and on
PostgreSQL in the PostgreSQL run (COPY)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Q
from stdnum.no import fodselsnummer, orgnr

from ettervern.access.models import AuditEvent
from ettervern.access.policy import PERMISSIONS
from ettervern.core import clock
from ettervern.core.identifiers import parse_national_id
from ettervern.demo import data
from ettervern.demo.bulk import store
from ettervern.demo.bulk.recorder import ROLE_ORDER
from ettervern.demo.bulk.scales import SCALES
from ettervern.demo.models import SeedChunk
from ettervern.demo.municipalities import KOMMUNER
from ettervern.directory.models import CooperationAgreement, Organisation, Region, Staff, Unit
from ettervern.pathways import team
from ettervern.pathways.models import (
    CareTeamMember,
    CoordinatorHandover,
    Pathway,
    PathwayEvent,
    PhaseTransition,
    Stay,
)
from ettervern.pathways.phases import ALLOWED, Phase
from ettervern.patients.models import Consent, NextOfKin, Patient

pytestmark = pytest.mark.usefixtures("tiny")
TINY = SCALES["tiny"]


@dataclass
class Run:
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def tiny(module_transaction) -> Run:  # type: ignore[no-untyped-def]
    out, err = StringIO(), StringIO()
    call_command("seed", "--scale", "tiny", stdout=out, stderr=err)
    return Run(out.getvalue(), err.getvalue())


def _seed_again() -> str:
    out = StringIO()
    call_command("seed", "--scale", "tiny", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_reports_tables_progress_and_time(tiny, db):
    assert "Seeded the tiny set: 4 pieces written; 300 pathways" in tiny.stdout
    assert "access_auditevent" in tiny.stdout and "rows/s" in tiny.stdout
    assert "pathways: 100%" in tiny.stderr and "audit rows: 100%" in tiny.stderr


def test_rows_cover_every_model_field(db):
    store.check_tables()


def test_counts_per_table(db):
    assert Pathway.objects.count() == TINY.pathways
    assert AuditEvent.objects.count() == TINY.audit_rows
    patients = Patient.objects.count()
    assert 0.7 * TINY.pathways <= patients < TINY.pathways  # some came back
    assert 3 * TINY.pathways <= PhaseTransition.objects.count() <= 6 * TINY.pathways
    assert 6 * TINY.pathways <= PathwayEvent.objects.count() <= 14 * TINY.pathways
    assert 1.5 * TINY.pathways <= CareTeamMember.objects.count() <= 4.5 * TINY.pathways
    assert 0.5 * TINY.pathways <= Stay.objects.count() <= 1.2 * TINY.pathways
    assert 0.2 * patients <= NextOfKin.objects.count() <= 0.5 * patients
    assert 0.5 * NextOfKin.objects.count() <= Consent.objects.count() <= NextOfKin.objects.count()
    assert CoordinatorHandover.objects.count() >= 1
    assert list(SeedChunk.objects.values_list("number", flat=True)) == [0, 1, 2, 3]


def test_the_national_directory(db):
    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds[Organisation.Kind.RHF] == 4
    assert kinds[Organisation.Kind.HF] == len(data.TRUSTS) == 19
    assert kinds[Organisation.Kind.KOMMUNE] == kinds[Organisation.Kind.NAV] == 357
    assert kinds[Organisation.Kind.GP_PRACTICE] >= 357
    private = Unit.objects.filter(organisation__kind=Organisation.Kind.PRIVATE)
    assert private.count() == 100
    assert set(private.values_list("kind", flat=True)) == {Unit.Kind.RESIDENTIAL}
    assert set(Organisation.objects.filter(kind=Organisation.Kind.PRIVATE)
               .values_list("region", flat=True)) == set(Region.values)
    for kommune in KOMMUNER:
        assert Unit.objects.filter(kind=Unit.Kind.GP, municipality_name=kommune.name).exists()
    assert Unit.objects.filter(kind=Unit.Kind.OUTPATIENT).count() >= len(data.TRUSTS)
    assert CooperationAgreement.objects.count() == 357
    numbers = list(Organisation.objects.values_list("org_number", flat=True))
    assert len(numbers) == len(set(numbers)) and all(orgnr.is_valid(n) for n in numbers)
    # Staff have logins, none usable; patients and next of kin have none.
    users = get_user_model().objects.all()
    assert users.count() == Staff.objects.count()
    assert not any(u.has_usable_password() for u in users[:500])
    assert not Patient.objects.filter(user__isnull=False).exists()
    assert not NextOfKin.objects.filter(user__isnull=False).exists()


def test_patients_have_valid_synthetic_numbers_and_demo_names(db):
    given, family = set(data.GIVEN_NAMES), set(data.FAMILY_NAMES)
    kinds = Counter()
    for patient in Patient.objects.all():
        assert fodselsnummer.is_valid(patient.national_id), patient.national_id
        assert parse_national_id(patient.national_id).kind == patient.id_kind
        assert fodselsnummer.get_birth_date(patient.national_id) == patient.birth_date
        assert patient.given_name in given and patient.family_name in family
        assert patient.municipality_id is not None
        kinds[patient.id_kind] += 1
        # 19-70 years old when the first pathway started.
        first = min(p.started_on for p in patient.pathways.all())
        assert 18 <= (first - patient.birth_date).days / 365.25 <= 71
    assert set(kinds) == {Patient.IdKind.FNR_, Patient.IdKind.DNR_}


def test_ten_years_of_history_and_todays_caseload(db):
    today = clock.today()
    phases = Counter(Pathway.objects.values_list("phase", flat=True))
    assert set(phases) == set(Phase.values)
    assert phases[Phase.CLOSED] > 0.75 * TINY.pathways
    opened = Pathway.objects.order_by("opened_at").values_list("opened_at", flat=True)
    assert (today - opened.first().date()).days > 5 * 365
    at = AuditEvent.objects.order_by("at").values_list("at", flat=True)
    assert (today - at.first().date()).days > 5 * 365
    # Came back after a closed pathway: a second pathway, after the first one closed.
    for patient in Patient.objects.annotate(n=Count("pathways")).filter(n__gt=1):
        first, second = patient.pathways.order_by("opened_at")
        assert first.closed_at is not None and second.started_on > first.closed_at.date()


def test_every_open_pathway_has_a_coordinator_at_its_clinic(db):
    for pathway in Pathway.objects.filter(closed_at__isnull=True).select_related("coordinator"):
        assert pathway.coordinator is not None
        assert pathway.coordinator.units.filter(pk=pathway.coordinating_unit_id).exists()
        assert pathway.coordinator.profession == Staff.Profession.COORDINATOR


def test_constraints_hold(db):
    connection.check_constraints()
    assert not Pathway.objects.values("patient").filter(closed_at__isnull=True) \
        .annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not Stay.objects.filter(status=Stay.Status.ONGOING).values("pathway") \
        .annotate(n=Count("id")).filter(n__gt=1).exists()
    for model in (Patient, Pathway, Stay, CareTeamMember, NextOfKin, Consent, PhaseTransition,
                  CoordinatorHandover, Organisation, Unit, Staff):
        for instance in model.objects.order_by("?")[:25]:
            instance.full_clean()


def test_phases_stays_and_timeline_tell_the_same_story(db):
    now = dt.datetime.now(dt.UTC)
    for pathway in Pathway.objects.prefetch_related("transitions", "stays", "events"):
        transitions = sorted(pathway.transitions.all(), key=lambda t: (t.recorded_at, t.id))
        assert transitions[0].from_phase == "" and transitions[0].to_phase == Phase.CONTACT
        assert transitions[0].on == pathway.started_on
        for before, after in zip(transitions, transitions[1:], strict=False):
            assert after.from_phase == before.to_phase
            assert after.to_phase in ALLOWED[before.to_phase]
            assert after.on >= before.on and after.recorded_at >= before.recorded_at
        assert transitions[-1].to_phase == pathway.phase
        # Each change after the opening bumped the version once (update_versioned).
        kinds = Counter(e.kind for e in pathway.events.all())
        assert pathway.version == (len(transitions) + kinds["pathway.updated"]
                                   + kinds["coordinator.handover"])
        stays = list(pathway.stays.all())
        ongoing = [s for s in stays if s.status == Stay.Status.ONGOING]
        assert len(ongoing) == (1 if pathway.phase == Phase.RESIDENTIAL else 0)
        if pathway.phase == Phase.CLOSED:
            assert not any(s.status == Stay.Status.PLANNED for s in stays)
        for stay in stays:
            assert stay.planned_start >= pathway.started_on
            if stay.admitted_on:
                assert pathway.started_on <= stay.admitted_on <= now.date()
        events = sorted(pathway.events.all(), key=lambda e: (e.at, e.id))
        assert events[0].kind == "pathway.opened"
        assert all(e.at <= now for e in events)
        kinds = Counter(e.kind for e in events)
        assert kinds["phase.changed"] == len(transitions) - 1
        assert kinds["stay.planned"] == len(stays)


def test_the_services_audit_records_are_there(db):
    opened = AuditEvent.objects.filter(action="pathway.open")
    assert opened.count() == Pathway.objects.count()
    assert set(opened.values_list("basis", flat=True)) == {
        f"staff:opening-unit {name}" for name in
        Unit.objects.filter(kind=Unit.Kind.OUTPATIENT, pk__in=Pathway.objects.values(
            "coordinating_unit")).values_list("name", flat=True)}
    actions = set(AuditEvent.objects.filter(channel="cli").values_list("action", flat=True))
    assert {"pathway.open", "pathway.transition", "careteam.manage", "stay.plan",
            "stay.manage", "careteam.handover"} <= actions
    # Residential units admit and discharge their own stays, as the demo's seed does.
    assert AuditEvent.objects.filter(action="stay.manage", basis="unit:treating").exists()
    reads = AuditEvent.objects.exclude(channel="cli")
    assert set(reads.values_list("action", flat=True)) == {"pathway.view", "pathway.list"}
    assert set(reads.values_list("channel", flat=True)) == {"web", "api"}


def test_reads_spread_zipf_like_over_patients(db):
    per_patient = sorted((row["n"] for row in AuditEvent.objects.filter(
        action__in=["pathway.view", "pathway.list"]).values("patient_id")
        .annotate(n=Count("id"))), reverse=True)
    assert per_patient[0] >= 10 * per_patient[len(per_patient) // 2]
    assert AuditEvent.objects.values("patient_id").distinct().count() == Patient.objects.count()


def test_the_role_order_is_the_policys(db):
    staff_roles = [role for role in team.ROLE_ORDER if role not in team.PERSONAL_ROLES]
    assert list(ROLE_ORDER) == staff_roles
    assert set(ROLE_ORDER) <= set(PERMISSIONS)


def _roles(pathway: Pathway, user) -> list[str]:  # type: ignore[no-untyped-def]
    return [basis.role for basis in pathway.access_bases(user)]


def test_everyone_reaches_their_pathways_with_the_right_basis(db):
    members = defaultdict(set)
    for staff_id, unit_id in Staff.units.through.objects.values_list("staff_id", "unit_id"):
        members[unit_id].add(staff_id)
    pathways = Pathway.objects.select_related("coordinator__user").prefetch_related(
        "team__staff__user", "stays")
    for pathway in pathways:
        coordinator = pathway.coordinator
        if pathway.is_open:
            assert _roles(pathway, coordinator.user)[0] == "coordinator"
            for member in pathway.team.all():
                if member.ended_at is None:
                    assert f"team:{member.role}" in _roles(pathway, member.staff.user)
            for stay in pathway.stays.all():
                if stay.status in (Stay.Status.PLANNED, Stay.Status.ONGOING):
                    clinician = Staff.objects.filter(units=stay.unit).first()
                    assert "unit:treating" in [b.role for b in stay.access_bases(clinician.user)]
        else:
            assert _roles(pathway, coordinator.user)[0] == "closed:coordinator"
            for member in pathway.team.all():
                if member.staff_id not in members[pathway.coordinating_unit_id]:
                    assert _roles(pathway, member.staff.user) == []


def test_every_audit_record_was_possible_when_it_was_made(db):
    """The basis of each read was held by its actor at that moment; refusals had none."""
    users = dict(Staff.objects.values_list("user_id", "id"))
    members = defaultdict(set)
    for staff_id, unit_id in Staff.units.through.objects.values_list("staff_id", "unit_id"):
        members[unit_id].add(staff_id)
    pathways = {p.pk: p for p in Pathway.objects.prefetch_related("team", "stays", "handovers")}
    checked = Counter()
    for event in AuditEvent.objects.exclude(channel="cli").iterator():
        pathway = pathways[event.pathway_id]
        assert event.patient_id == pathway.patient_id
        assert pathway.opened_at <= event.at
        staff = users[event.actor_id]
        was_open = pathway.closed_at is None or event.at < pathway.closed_at
        handovers = sorted(pathway.handovers.all(), key=lambda h: h.at)
        coordinator = handovers[0].from_staff_id if handovers else pathway.coordinator_id
        for handover in handovers:
            if handover.at <= event.at:
                coordinator = handover.to_staff_id
        at_clinic = staff in members[pathway.coordinating_unit_id]
        role = event.basis
        if event.outcome == AuditEvent.Outcome.DENIED:
            assert role == "no role" and not at_clinic and staff != coordinator
            assert not any(m.staff_id == staff for m in pathway.team.all())
        elif role == "coordinator":
            assert was_open and staff == coordinator
        elif role == "unit:coordinating":
            assert was_open and at_clinic
        elif role == "unit:treating":
            assert was_open and any(
                staff in members[s.unit_id] and s.created_at <= event.at
                and (s.status in (Stay.Status.PLANNED, Stay.Status.ONGOING)
                     or event.at <= s.updated_at) for s in pathway.stays.all())
        elif role.startswith("team:"):
            assert was_open and any(
                m.staff_id == staff and f"team:{m.role}" == role and m.started_at <= event.at
                and (m.ended_at is None or event.at <= m.ended_at) for m in pathway.team.all())
        elif role == "closed:coordinator":
            assert not was_open and staff == pathway.coordinator_id
        elif role == "closed:unit:coordinating":
            assert not was_open and at_clinic
        else:
            pytest.fail(f"unexpected basis {role!r}")
        checked[role] += 1
    assert {"coordinator", "unit:coordinating", "team:gp", "closed:coordinator"} <= set(checked)


def test_running_again_does_nothing(db):
    counts = {t.name: t.model._default_manager.count() for t in store.ALL_TABLES}
    assert "The tiny set is complete (4 pieces); nothing to do" in _seed_again()
    assert counts == {t.name: t.model._default_manager.count() for t in store.ALL_TABLES}


def test_another_scale_on_the_same_database_is_refused(db):
    with pytest.raises(CommandError, match="holds the tiny set"):
        call_command("seed", "--scale", "50k", stdout=StringIO(), stderr=StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql",
                    reason="allowed on PostgreSQL (and too big for a test)")
def test_national_is_refused_on_sqlite(db):
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("seed", "--scale", "national", stdout=StringIO(), stderr=StringIO())


def test_only_allowed_outcomes_and_known_bases(db):
    assert set(AuditEvent.objects.values_list("outcome", flat=True)) <= {"allowed", "denied"}
    denied = AuditEvent.objects.filter(outcome="denied")
    assert not denied.filter(~Q(basis="no role")).exists()
