"""Discharge: the checkpoints before discharge, for a coordinator with 300 open pathways.

The data (once, in bulk, in one transaction; `ensure_coordinator`): a coordinator of their own
(`bench-koordinator-300`, at the large user's outpatient clinic; kept out of the typical and
large picks) with 300 open pathways, each with a patient in an ongoing residential stay at one
of the residential units, spread over the units, and the facts the checkpoints read in
proportions a clinic might have: a contact person in the municipality on two thirds, an
individual plan on half (agreed to on a third of those), goals for housing and economy and a
measure on a third, a crisis plan on half, a cooperation meeting held on a quarter and one
booked after discharge on a third, and the GP's tick on a fifth.

The cases, as that coordinator: the list of discharges ahead (its page and its endpoint: 25
stays' checkpoints at a time, over 300 stays), one stay's checkpoints (page and endpoint), and
a pathway's team overview."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bench.cases import Case, Context, Streams, add, headers_for
from bench.users import BenchUser, sign_in

USERNAME = "bench-koordinator-300"
ROLE = "coordinator300"
PATHWAYS = 300


def ensure_coordinator(ctx: Context) -> BenchUser:
    """The coordinator with PATHWAYS open pathways in a residential stay, signed in."""
    if ROLE in ctx.users:
        return ctx.users[ROLE]
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from ettervern.directory.models import Staff

    if not get_user_model().objects.filter(username=USERNAME).exists():
        with transaction.atomic():
            _seed(ctx, random.Random(f"bench-discharge-{PATHWAYS}"))
    staff = Staff.objects.get(user__username=USERNAME)
    who = BenchUser(role=ROLE, username=USERNAME, user_id=staff.user_id, staff_id=staff.pk,
                    caseload=PATHWAYS)
    sign_in(who)
    ctx.users[ROLE] = who
    stay = staff.coordinated_pathways.filter(closed_at__isnull=True).order_by("id").values_list(
        "public_id", "stays__public_id").first()
    assert stay is not None
    ctx.extra["discharge_pathway"], ctx.extra["discharge_stay"] = map(str, stay)
    return who


def _seed(ctx: Context, rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ettervern.demo import data
    from ettervern.demo.identities import birth_date, national_id
    from ettervern.directory.models import Staff, Unit
    from ettervern.discharge.catalogue import ensure_checkpoints
    from ettervern.discharge.models import CheckpointTick, CheckpointType
    from ettervern.meetings.models import Meeting
    from ettervern.pathways.models import CareTeamMember, Pathway, Stay
    from ettervern.pathways.phases import Phase
    from ettervern.patients.models import Patient
    from ettervern.planning.crisis.models import CrisisContact, CrisisPlan
    from ettervern.planning.plan.models import Measure, Plan, PlanSection, SectionType
    from ettervern.planning.plan.sections import ensure_template

    ensure_checkpoints()
    ensure_template()
    now, today = timezone.now(), timezone.localdate()
    large = Staff.objects.get(pk=ctx.users["large"].staff_id)
    clinic = large.units.filter(kind=Unit.Kind.OUTPATIENT).order_by("id").first()
    assert clinic is not None
    user = get_user_model().objects.create_user(username=USERNAME, password=None)
    me = Staff.objects.create(user=user, name="Bench Koordinator 300",
                              profession=Staff.Profession.COORDINATOR)
    me.units.add(clinic)
    units = list(Unit.objects.filter(kind=Unit.Kind.RESIDENTIAL).order_by("id")[:40])
    municipal = list(Staff.objects.filter(profession=Staff.Profession.MUNICIPAL)
                     .order_by("id")[:50])
    taken = set(Patient.objects.values_list("national_id", flat=True))
    patients = Patient.objects.bulk_create([Patient(
        national_id=national_id(rng, birth_date(rng, today), taken),
        given_name=rng.choice(data.GIVEN_NAMES), family_name=rng.choice(data.FAMILY_NAMES),
        birth_date=today - dt.timedelta(days=365 * 30)) for _ in range(PATHWAYS)])
    pathways = Pathway.objects.bulk_create([Pathway(
        patient=patient, phase=Phase.RESIDENTIAL, coordinating_unit=clinic, coordinator=me,
        referral_received_on=today - dt.timedelta(days=rng.randint(60, 200)), opened_at=now)
        for patient in patients])
    stays = Stay.objects.bulk_create([Stay(
        pathway=p, unit=units[n % len(units)], status=Stay.Status.ONGOING,
        planned_start=today - dt.timedelta(days=30),
        planned_end=today + dt.timedelta(days=rng.randint(0, 60)),
        admitted_on=today - dt.timedelta(days=rng.randint(5, 30)))
        for n, p in enumerate(pathways)])
    CareTeamMember.objects.bulk_create([CareTeamMember(
        pathway=p, staff=municipal[n % len(municipal)],
        role=CareTeamMember.Role.MUNICIPAL_CONTACT)
        for n, p in enumerate(pathways) if municipal and n % 3])
    planned = [p for n, p in enumerate(pathways) if n % 2 == 0]
    plans = Plan.objects.bulk_create([Plan(
        pathway=p, coordinator=me, version=2, agreed_version=2 if n % 3 == 0 else None,
        agreed_at=now if n % 3 == 0 else None) for n, p in enumerate(planned)])
    types = {t.key: t for t in SectionType.objects.all()}
    sections = PlanSection.objects.bulk_create([
        PlanSection(plan=plan, section_type=types[key], goals="Mål." if n % 3 == 0 else "")
        for n, plan in enumerate(plans) for key in ("housing", "finances")])
    Measure.objects.bulk_create([Measure(
        plan=s.plan, section=s, description="Oppfølging", responsible=me,
        responsible_service="Poliklinikken") for n, s in enumerate(sections)
        if s.section_type.key == "housing" and n % 3 == 0])
    crisis = CrisisPlan.objects.bulk_create([CrisisPlan(
        pathway=p, warning_signs="Sover dårlig.") for n, p in enumerate(pathways) if n % 2])
    CrisisContact.objects.bulk_create([CrisisContact(plan=c, position=1, name="Legevakt",
                                                     phone="116117") for c in crisis])
    meetings = []
    for n, stay in enumerate(stays):
        start = now - dt.timedelta(days=2) if n % 4 == 0 else now + dt.timedelta(days=20)
        if n % 4 == 0:
            meetings.append(Meeting(pathway=stay.pathway, stay=stay, kind="before_discharge",
                                    status="held", held_at=start, starts_at=start,
                                    ends_at=start + dt.timedelta(hours=1), place="Møterom",
                                    arranged_by=user))
        if n % 3 == 0:
            meetings.append(Meeting(pathway=stay.pathway, stay=stay, kind="after_discharge",
                                    status="planned", starts_at=start + dt.timedelta(days=30),
                                    ends_at=start + dt.timedelta(days=30, hours=1),
                                    place="Møterom", arranged_by=user))
    Meeting.objects.bulk_create(meetings)
    gp = CheckpointType.objects.get(key="gp_informed")
    CheckpointTick.objects.bulk_create([CheckpointTick(
        stay=stay, checkpoint=gp, ticked_by=user, ticked_by_name=me.name)
        for n, stay in enumerate(stays) if n % 5 == 0])


def _get(path: Any, kind: str) -> Any:
    def build(ctx: Context) -> Streams:
        ensure_coordinator(ctx)
        return [[{"method": "GET", "path": path(ctx), "headers": headers_for(ctx, kind, ROLE)}]]
    return build


add(Case("discharges_page", "GET /utskrivinger/ (300 stays)", "page", ROLE,
         _get(lambda c: "/utskrivinger/", "page"),
         what="the discharges ahead: 25 stays' checkpoints computed, of 300 open pathways"))
add(Case("discharges_api", "GET /api/discharges (300 stays)", "api", ROLE,
         _get(lambda c: "/api/discharges", "api"), what="the same, as JSON"))
add(Case("checkpoints_page", "GET /opphold/{id}/utskriving/", "page", ROLE,
         _get(lambda c: f"/opphold/{c.extra['discharge_stay']}/utskriving/", "page"),
         what="one stay's checkpoints and the discharge form"))
add(Case("checkpoints_api", "GET /api/stays/{id}/checkpoints", "api", ROLE,
         _get(lambda c: f"/api/stays/{c.extra['discharge_stay']}/checkpoints", "api"),
         what="one stay's checkpoints, as JSON"))
add(Case("team_overview_page", "GET /forlop/{id}/samtidighet/", "page", ROLE,
         _get(lambda c: f"/forlop/{c.extra['discharge_pathway']}/samtidighet/", "page"),
         what="the team overview: each service's tasks, meetings and last contact"))
