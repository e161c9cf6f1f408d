"""`ettervern demo`: demo mode only; one login per role, each with something to see."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from ettervern.access.models import AuditEvent
from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.core.errors import Forbidden, NotFound
from ettervern.demo.logins import DEMO_PASSWORD, LOGINS, setup_demo_logins
from ettervern.directory.models import Organisation, Staff, Unit
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.pathways.phases import Phase
from ettervern.pathways.selectors import pathway_get, pathway_worklist
from ettervern.patients.models import Consent, NextOfKin, Patient, WhatMatters

USERNAMES = ["koordinator", "behandler", "kommune", "nav", "fastlege", "pasient", "parorende",
             "admin", "sengepost"]
User = get_user_model()

pytestmark = pytest.mark.usefixtures("demo")


def _actor(username: str) -> Actor:
    return Actor(user=User.objects.get(username=username), channel="cli")


def _patient_pathway() -> Pathway:
    return Pathway.objects.get(patient__user__username="pasient", closed_at__isnull=True)


# --- demo mode only -------------------------------------------------------------------------

def test_refuses_outside_demo_mode(db):
    users = User.objects.count()
    with override_settings(DEMO=False), pytest.raises(CommandError, match="ETTERVERN_DEMO=1"):
        call_command("demo", "--no-serve", "--patients", "1", stdout=StringIO())
    with override_settings(DEMO=False), pytest.raises(Forbidden):
        setup_demo_logins()
    assert User.objects.count() == users


# --- the logins -----------------------------------------------------------------------------

def test_prints_every_login_with_role_and_password_and_the_url(demo, db):
    for login in LOGINS:
        line = next(line for line in demo.stdout.splitlines()
                    if line.strip().startswith(login.username + " "))
        assert login.role in line and DEMO_PASSWORD in line
    assert [login.username for login in LOGINS] == USERNAMES
    assert "http://127.0.0.1:8123/" in demo.stdout


def test_all_eight_logins_authenticate_with_the_demo_password(db):
    for username in USERNAMES:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
        assert authenticate(username=username, password="wrong-password") is None


def test_rerun_resets_the_logins_without_duplicating_data(db):
    koordinator = User.objects.get(username="koordinator")
    koordinator.set_password("something-else-entirely")
    koordinator.is_active = False
    koordinator.save()
    pathways, patients = Pathway.objects.count(), Patient.objects.count()
    with override_settings(DEMO=True):
        call_command("demo", "--no-serve", stdout=StringIO(), stderr=StringIO())
    assert authenticate(username="koordinator", password=DEMO_PASSWORD) is not None
    assert Pathway.objects.count() == pathways
    assert Patient.objects.count() == patients
    assert Patient.objects.filter(user__username="pasient").count() == 1


def test_no_demo_login_is_superuser(db):
    assert not User.objects.filter(username__in=USERNAMES, is_superuser=True).exists()
    assert list(User.objects.filter(username__in=USERNAMES, is_staff=True)
                .values_list("username", flat=True)) == ["admin"]


# --- each role has something to see ----------------------------------------------------------

def test_koordinator_sees_the_pasients_pathway_and_several_phases(db):
    staff = Staff.objects.get(user__username="koordinator")
    assert staff.profession == Staff.Profession.COORDINATOR
    clinic = staff.units.get()
    assert clinic.kind == Unit.Kind.OUTPATIENT
    assert clinic.organisation.kind == Organisation.Kind.HF

    worklist = pathway_worklist(actor=_actor("koordinator"))
    shown = {row.pathway.pk for row in worklist.rows}
    assert _patient_pathway().pk in shown
    phases = set(Pathway.objects.filter(coordinator=staff).values_list("phase", flat=True))
    assert phases == set(Phase.values)
    # One of them was handed over to the koordinator by a colleague.
    assert Pathway.objects.filter(coordinator=staff, handovers__to_staff=staff).exists()


def test_the_pasients_pathway_is_rich(db):
    pathway = _patient_pathway()
    assert pathway.coordinator.user.username == "koordinator"
    assert pathway.phase in (Phase.RESIDENTIAL, Phase.AFTERCARE)
    stays = list(pathway.stays.filter(kind=Stay.Kind.RESIDENTIAL).order_by("planned_start"))
    assert len(stays) >= 2
    assert [s.status for s in stays] == [Stay.Status.DISCHARGED, Stay.Status.ONGOING]
    # Between them, a user-controlled stay at a unit of another trust, under an accepted
    # agreement that is still running.
    used = pathway.stays.get(kind=Stay.Kind.USER_CONTROLLED)
    assert used.status == Stay.Status.DISCHARGED
    agreement = pathway.bed_agreements.get()
    assert agreement.accepted_at is not None and agreement.valid_to > clock.today()
    treating_or_coordinating = {stays[0].unit.organisation_id,
                                pathway.coordinating_unit.organisation_id}
    assert agreement.programme.unit.organisation_id not in treating_or_coordinating
    assert used.unit_id == agreement.programme.unit_id
    team = {(m.role, m.staff.user.username) for m in pathway.team.filter(ended_at__isnull=True)}
    assert {(CareTeamMember.Role.MUNICIPAL_CONTACT, "kommune"),
            (CareTeamMember.Role.NAV_CONTACT, "nav"),
            (CareTeamMember.Role.GP, "fastlege"),
            (CareTeamMember.Role.SPECIALIST_CONTACT, "behandler")} <= team
    assert pathway.events.count() >= 10
    # The behandler's unit recorded both admissions and the discharge.
    assert set(pathway.events.filter(kind__in=["stay.admitted", "stay.discharged"])
               .values_list("actor__username", flat=True)) == {"behandler"}
    # The pasient sees their own pathway.
    assert pathway_get(actor=_actor("pasient"), public_id=pathway.public_id).pk == pathway.pk


def test_behandler_works_at_a_private_residential_unit_treating_the_pasient(db):
    staff = Staff.objects.get(user__username="behandler")
    assert staff.profession == Staff.Profession.CLINICIAN
    unit = staff.units.get()
    assert unit.kind == Unit.Kind.RESIDENTIAL
    assert unit.organisation.kind == Organisation.Kind.PRIVATE
    pathway = _patient_pathway()
    assert pathway.stays.filter(unit=unit, status=Stay.Status.ONGOING).exists()
    unit_list = pathway_worklist(actor=_actor("behandler"), scope="unit")
    assert pathway.pk in {row.pathway.pk for row in unit_list.rows}


@pytest.mark.parametrize(("username", "role", "profession", "unit_kind"), [
    ("kommune", CareTeamMember.Role.MUNICIPAL_CONTACT, Staff.Profession.MUNICIPAL,
     Unit.Kind.MUNICIPAL),
    ("nav", CareTeamMember.Role.NAV_CONTACT, Staff.Profession.NAV, Unit.Kind.NAV),
    ("fastlege", CareTeamMember.Role.GP, Staff.Profession.GP, Unit.Kind.GP),
])
def test_municipal_nav_and_gp_are_on_koordinator_pathways(db, username, role, profession,
                                                          unit_kind):
    staff = Staff.objects.get(user__username=username)
    assert staff.profession == profession and staff.units.get().kind == unit_kind
    roles = CareTeamMember.objects.filter(staff=staff, role=role, ended_at__isnull=True,
                                          pathway__coordinator__user__username="koordinator")
    assert roles.count() >= 2
    shown = {row.pathway.pk for row in pathway_worklist(actor=_actor(username)).rows}
    assert _patient_pathway().pk in shown


def test_parorende_sees_what_was_shared_and_nothing_else(db):
    """The demo: the pathway and the crisis plan shared, the mapping shared and withdrawn, the
    plan never shared; a trust person named; what matters written."""
    pathway = _patient_pathway()
    consents = {c.kind: c for c in Consent.objects.filter(next_of_kin__user__username="parorende")}
    assert set(consents) == {"pathway", "crisis_plan", "mapping", "beds", "meetings"}
    assert consents["mapping"].withdrawn_at is not None
    assert consents["mapping"].events.count() == 2  # given, then withdrawn
    user = User.objects.get(username="parorende")
    roles = {b.role for b in pathway.access_bases(user)}
    assert roles == {"consent:pathway", "consent:crisis_plan", "consent:beds",
                     "consent:meetings"}
    assert pathway_get(actor=_actor("parorende"), public_id=pathway.public_id).pk == pathway.pk
    assert NextOfKin.objects.filter(patient=pathway.patient,
                                    kind=NextOfKin.Kind.TRUST_PERSON).count() == 1
    assert WhatMatters.objects.get(patient=pathway.patient).text
    # Withdrawal takes effect at once.
    Consent.objects.filter(pk=consents["pathway"].pk).update(
        withdrawn_at=consents["pathway"].given_at)
    with pytest.raises(NotFound):
        pathway_get(actor=_actor("parorende"), public_id=pathway.public_id)


def test_admin_is_a_unit_administrator_without_patient_access(db):
    user = User.objects.get(username="admin")
    assert user.is_staff and not user.is_superuser
    assert Staff.objects.get(user=user).profession == Staff.Profession.ADMIN
    apps = set(user.user_permissions.values_list("content_type__app_label", flat=True))
    assert apps == {"directory", "catalogue", "planning"}
    assert user.has_perm("directory.change_unit")
    # They keep the offers catalogue and the checklist's item types, never a pathway's items.
    assert user.has_perm("catalogue.change_offer")
    assert user.has_perm("planning.change_checklistitemtype")
    # The target groups are a national list: not one trust's administrator's to change.
    assert not user.has_perm("beds.change_targetgroup")
    for perm in ("beds.view_agreement", "beds.view_booking", "patients.view_patient",
                 "pathways.view_pathway", "access.view_auditevent",
                 "planning.view_checklistitem"):
        assert not user.has_perm(perm)
    assert pathway_worklist(actor=_actor("admin")).rows == []
    assert pathway_worklist(actor=_actor("admin"), scope="unit").rows == []


@pytest.mark.parametrize(("username", "sees_link"), [("admin", True), ("behandler", False)])
def test_only_an_administrator_gets_a_link_to_the_admin(db, username, sees_link):
    client = Client()
    client.force_login(User.objects.get(username=username))
    page = client.get(reverse("pathways:worklist")).content.decode()
    nav = page[page.index('<nav aria-label="Hovedmeny">'):page.index("</nav>")]
    assert ('<a href="/admin/">Administrasjon</a>' in nav) is sees_link
    assert "Mine forløp" in nav
    assert client.get("/admin/").status_code == (200 if sees_link else 302)


@pytest.mark.parametrize("username", ["admin", "outsider"])
def test_no_role_no_access_and_the_refusal_is_audited(db, username):
    if username == "outsider":
        # A seeded coordinator in another region: no role on the pasient's pathway.
        username = (Staff.objects.filter(profession=Staff.Profession.COORDINATOR,
                                         units__organisation__region="nord")
                    .values_list("user__username", flat=True).first())
    pathway = _patient_pathway()
    with pytest.raises(NotFound):
        pathway_get(actor=_actor(username), public_id=pathway.public_id)
    assert AuditEvent.objects.filter(actor_id=User.objects.get(username=username).pk,
                                     pathway_id=pathway.pk,
                                     outcome=AuditEvent.Outcome.DENIED).exists()


def test_the_pasients_individual_plan_has_a_history_every_role_but_kin_can_read(db):
    from ettervern.planning.plan.selectors import plan_get

    pathway = _patient_pathway()
    plan = pathway.plan
    savers = set(plan.versions.values_list("saved_by__username", flat=True))
    assert plan.versions.count() >= 8
    assert {"koordinator", "kommune", "nav", "fastlege", "behandler"} <= savers
    assert plan.measures.count() >= 5 and plan.comments.exists()
    # Measures are free text or an offer from the catalogue: some link one, one is only that.
    linked = plan.measures.filter(offer__isnull=False)
    assert linked.count() >= 3 and linked.filter(description="").exists()
    # The pasient agreed, then the plan changed: they are asked again.
    assert plan.agreed_at is not None and not plan.agreed_to_current
    for username in ("koordinator", "behandler", "kommune", "nav", "fastlege", "pasient"):
        assert plan_get(actor=_actor(username), public_id=pathway.public_id).plan == plan
    for username in ("parorende", "admin"):
        with pytest.raises(NotFound):
            plan_get(actor=_actor(username), public_id=pathway.public_id)


def test_the_pasients_rights_are_in_use(db):
    from ettervern.rights.selectors import (
        access_log_for,
        block_list,
        emergency_accesses_for_patient,
        emergency_list_for_unit,
        pathway_notices,
    )

    pathway = _patient_pathway()
    accesses = emergency_accesses_for_patient(pathway.patient)
    assert len(accesses) == 1
    log = access_log_for(pathway.patient_id)
    emergency = [e for e in log.entries if e.emergency]
    assert emergency and all("legevakten" in e.basis for e in emergency)
    assert len(block_list(actor=_actor("pasient"))) == 1
    # The koordinator is told of both; the fastlege's practice follows the access up.
    notices = pathway_notices(_actor("koordinator"), pathway,
                              frozenset({"pathway.view", "careteam.handover"}))
    assert len(notices) == 2
    unit = Staff.objects.get(user__username="fastlege").units.get()
    assert emergency_list_for_unit(actor=_actor("fastlege"), unit=unit) == accesses
    # The blocked colleague is refused.
    blocked = block_list(actor=_actor("pasient"))[0].staff
    with pytest.raises(NotFound):
        pathway_get(actor=Actor(user=blocked.user, channel="cli"), public_id=pathway.public_id)


def test_user_controlled_beds_in_every_region_and_a_busy_day(db):
    from ettervern.beds.models import Booking, Programme
    from ettervern.beds.selectors import search

    regions = set(Programme.objects.filter(published=True)
                  .values_list("unit__organisation__region", flat=True))
    assert {"sor-ost", "vest", "midt", "nord"} <= regions
    sengepost = _actor("sengepost")
    unit = sengepost.user.staff.units.get()
    assert unit.leaders.filter(user__username="sengepost").exists()
    from ettervern.beds.selectors import unit_day

    day = unit_day(actor=sengepost, unit=unit, day=clock.today())
    assert day.arrivals and day.staying and day.departures
    assert Booking.objects.filter(programme__unit=unit, status=Booking.Status.REFUSED).exists()
    found = search(actor=_actor("koordinator"), first=clock.today(),
                   until=clock.today() + dt.timedelta(days=14))
    assert len(found) == Programme.objects.filter(published=True).count()


def test_discharge_checkpoints_open_and_a_discharge_through_the_gate(db):
    from ettervern.discharge.models import DischargeOverride
    from ettervern.discharge.selectors import stay_checkpoints

    pathway = _patient_pathway()
    # The first stay ended through the gate, with a reason; the ongoing one has open
    # checkpoints, and the koordinator, the behandler and the kommune read them.
    first, second = pathway.stays.filter(kind="residential").order_by("planned_start")[:2]
    override = DischargeOverride.objects.get(stay=first)
    assert override.reason and override.open_checkpoints
    for username in ("koordinator", "behandler", "kommune"):
        found = stay_checkpoints(actor=_actor(username), stay_id=second.public_id)
        assert found.open and found.done_count, username


def test_messages_and_notifications_for_several_roles(db):
    from ettervern.messaging.models import Notification, NotificationPreference, Thread
    from ettervern.messaging.selectors import pathway_threads, unread_notifications

    pathway = _patient_pathway()
    assert set(Thread.objects.filter(pathway=pathway).values_list("kind", flat=True)) == {
        "team", "patient"}
    found = pathway_threads(actor=_actor("koordinator"), public_id=pathway.public_id)
    team, with_patient = found.threads
    assert team.page.paginator.count >= 3 and with_patient.page.paginator.count >= 3
    assert team.unread > 0 and with_patient.unread > 0
    for username in ("koordinator", "behandler", "kommune"):
        assert Notification.objects.filter(user__username=username).exists(), username
    assert unread_notifications(User.objects.get(username="kommune").pk) > 0
    kommune = User.objects.get(username="kommune")
    assert kommune.email
    assert NotificationPreference.objects.filter(user=kommune, kind="message",
                                                 email=True).exists()
    patient = Client()
    patient.force_login(User.objects.get(username="pasient"))
    page = patient.get("/meg/meldinger/").content.decode()
    assert "Meldinger med behandleren din" in page and "Kan jeg ta med mamma" in page
