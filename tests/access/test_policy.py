from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from ettervern.access.consent_kinds import BEDS_VIEW, MEETING_VIEW
from ettervern.access.models import AuditEvent
from ettervern.access.policy import (
    BED_ACCEPT,
    BED_AGREEMENT,
    BED_BOOK,
    BED_UNIT,
    CHECKLIST_VIEW,
    CHECKPOINT_TICK,
    CONSENT_MANAGE,
    CONSENT_VIEW,
    CRISIS_EDIT,
    CRISIS_VIEW,
    DISCHARGE_VIEW,
    EDIT,
    HANDOVER,
    MAPPING_RATE,
    MAPPING_VIEW,
    MEETING_MANAGE,
    MESSAGE_PATIENT,
    MESSAGE_TEAM,
    NEXT_OF_KIN_MANAGE,
    OVERVIEW_VIEW,
    PERMISSIONS,
    PLAN_CONTRIBUTE,
    PLAN_EDIT,
    PLAN_RESPOND,
    PLAN_VIEW,
    READ_ACTIONS,
    REOPEN,
    STAY,
    STAY_PLAN,
    TASK_MANAGE,
    TASK_VIEW,
    TEAM,
    TRANSITION,
    VIEW,
    WHAT_MATTERS_EDIT,
    WHAT_MATTERS_VIEW,
    Actor,
    Basis,
    actor_from_request,
    allowed_actions,
    require,
)
from ettervern.core import clock
from ettervern.core.errors import Forbidden, NotAuthenticated, NotFound
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Stay
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Consent
from tests import factories
from tests.pathways.helpers import act, audit_count, days_ago, plan_stay

# What everyone on the team reads besides the pathway; the user-controlled bed agreements and
# their bookings (BEDS_VIEW) among them.
READS = {PLAN_VIEW, CRISIS_VIEW, MAPPING_VIEW, CHECKLIST_VIEW, WHAT_MATTERS_VIEW, BEDS_VIEW}
PLANNING = READS | {PLAN_EDIT, PLAN_CONTRIBUTE, CRISIS_EDIT, MAPPING_RATE}
CONSENT = {CONSENT_VIEW, CONSENT_MANAGE, NEXT_OF_KIN_MANAGE}
# Every staff member on the team reads the checkpoints, the team overview, the meetings and
# the tasks, writes in the team's thread and adds and completes tasks.
TEAMWORK = {DISCHARGE_VIEW, OVERVIEW_VIEW, MEETING_VIEW, MESSAGE_TEAM, TASK_VIEW, TASK_MANAGE}
# The clinic also ticks checkpoints, arranges meetings and writes with the patient.
CLINIC = TEAMWORK | {CHECKPOINT_TICK, MEETING_MANAGE, MESSAGE_PATIENT}
# Those who plan the pathway's stays make an agreement for a user-controlled bed too.
ALL = ({VIEW, EDIT, TRANSITION, STAY, STAY_PLAN, TEAM, HANDOVER, BED_AGREEMENT} | PLANNING | CONSENT
       | CLINIC)
# The bed actions no role of the care team has: accepting (the patient), booking (the patient
# and the unit), marking arrival, refusal and departure (the unit).
BEDS = {BED_ACCEPT, BED_BOOK, BED_UNIT}
ACTIONS = ALL | BEDS | {PLAN_RESPOND, WHAT_MATTERS_EDIT, REOPEN}

# The matrix as the domain describes it, written out independently of the code.
EXPECTED = {
    "coordinator": ALL,
    "unit:coordinating": ALL,
    # The specialist contact records the patient's consents too (a clinician of the clinic).
    "team:specialist_contact": {VIEW, EDIT, TRANSITION, STAY, STAY_PLAN, BED_AGREEMENT}
    | PLANNING | CONSENT | CLINIC,
    # The residential unit admits and discharges its own stays; it does not plan stays. It
    # works on its own parts of the plan and rates in the mapping.
    # It ticks the checkpoints before its discharges and holds the cooperation meeting, but
    # the thread with the patient is the coordinating clinic's.
    "unit:treating": {VIEW, STAY, PLAN_CONTRIBUTE, MAPPING_RATE, CHECKPOINT_TICK, MEETING_MANAGE}
    | READS | TEAMWORK,
    # The other levels read the plan and edit the parts they are responsible for. The
    # municipality arranges meetings too (network meetings); NAV and the GP take part.
    "team:municipal_contact": {VIEW, PLAN_CONTRIBUTE, CRISIS_EDIT, MAPPING_RATE, MEETING_MANAGE}
    | READS | TEAMWORK,
    "team:nav_contact": {VIEW, PLAN_CONTRIBUTE} | READS | TEAMWORK,
    "team:gp": {VIEW, PLAN_CONTRIBUTE} | READS | TEAMWORK,
    # The patient reads the plan and answers it; they never edit the services' parts. They
    # decide who close to them sees what, and write what matters to them. They accept their
    # agreement for a user-controlled bed, and book (and cancel) its stays.
    # They read their meetings and their own tasks, and write with the clinic.
    "patient": {VIEW, PLAN_RESPOND, WHAT_MATTERS_EDIT, BED_ACCEPT, BED_BOOK, MEETING_VIEW,
                MESSAGE_PATIENT, TASK_VIEW} | READS | CONSENT,
    # The staff of the unit an agreement is with, on that agreement and its bookings only: they
    # read them, make agreements with the patient, book and cancel for them, and mark arrival,
    # refusal and departure. Never the rest of the pathway.
    "unit:beds": {BEDS_VIEW, BED_AGREEMENT, BED_BOOK, BED_UNIT},
    # A next of kin or trust person sees exactly the kind the patient shared, nothing else.
    "consent:pathway": {VIEW},
    "consent:plan": {PLAN_VIEW},
    "consent:crisis_plan": {CRISIS_VIEW},
    "consent:mapping": {MAPPING_VIEW},
    "consent:beds": {BEDS_VIEW},
    "consent:meetings": {MEETING_VIEW},
    # Emergency access reads the pathway and what is planned (a bed agreement among it),
    # nothing more, for a few hours.
    "emergency": {VIEW} | READS,
    # On a closed pathway the coordinating clinic reads (its checkpoints, meetings and tasks
    # too), and may reopen a slip.
    "closed:coordinator": {VIEW, REOPEN, CONSENT_VIEW, DISCHARGE_VIEW, OVERVIEW_VIEW,
                           MEETING_VIEW, TASK_VIEW} | READS,
    "closed:unit:coordinating": {VIEW, REOPEN, CONSENT_VIEW, DISCHARGE_VIEW, OVERVIEW_VIEW,
                                 MEETING_VIEW, TASK_VIEW} | READS,
}

# The read that shows what a write changes (the policy's SEEN_WITH, written out here).
SEEN_WITH_DOMAIN = {PLAN_EDIT: PLAN_VIEW, PLAN_CONTRIBUTE: PLAN_VIEW, PLAN_RESPOND: PLAN_VIEW,
                    CRISIS_EDIT: CRISIS_VIEW, MAPPING_RATE: MAPPING_VIEW,
                    # The people close to the patient show on the pathway itself.
                    WHAT_MATTERS_EDIT: WHAT_MATTERS_VIEW,
                    # Whatever is done with a bed agreement shows with the agreements.
                    BED_AGREEMENT: BEDS_VIEW, BED_ACCEPT: BEDS_VIEW, BED_BOOK: BEDS_VIEW,
                    BED_UNIT: BEDS_VIEW,
                    # Ticks show with the checkpoints, meetings and tasks with themselves.
                    CHECKPOINT_TICK: DISCHARGE_VIEW, MEETING_MANAGE: MEETING_VIEW,
                    TASK_MANAGE: TASK_VIEW}

# Which fixture stands in each role (exactly that role and nothing else).
ROLE_FIXTURE = {
    "coordinator": "coordinator",
    "unit:coordinating": "colleague",
    "team:specialist_contact": "specialist",
    "unit:treating": "treating_clinician",
    "team:municipal_contact": "municipal",
    "team:nav_contact": "nav",
    "team:gp": "gp",
    "patient": "patient_user",
    "consent:pathway": "kin_user",
    "emergency": "emergency_clinician",
}


def test_permissions_matrix_is_exactly_the_expected_one():
    assert set(PERMISSIONS) == set(EXPECTED)
    for role, actions in EXPECTED.items():
        assert PERMISSIONS[role] == actions, role


def test_unknown_role_permits_nothing():
    assert allowed_actions([Basis("stranger")]) == frozenset()
    assert allowed_actions([Basis("team:gp"), Basis("unit:treating")]) == {
        VIEW, STAY, PLAN_CONTRIBUTE, MAPPING_RATE, CHECKPOINT_TICK, MEETING_MANAGE,
    } | READS | TEAMWORK


def _user(person):  # type: ignore[no-untyped-def]
    return getattr(person, "user", person)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLE_FIXTURE))
def test_each_role_has_exactly_its_basis(role, request, pathway):
    person = request.getfixturevalue(ROLE_FIXTURE[role])
    pathway.refresh_from_db()
    roles = {b.role for b in pathway.access_bases(_user(person))}
    if role == "coordinator":
        # The coordinator works at the coordinating clinic, so they also have that basis.
        assert roles == {"coordinator", "unit:coordinating"}
    else:
        assert roles == {role}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", sorted(ROLE_FIXTURE))
def test_require_per_role_and_action(role, action, request, pathway):
    person = request.getfixturevalue(ROLE_FIXTURE[role])
    pathway.refresh_from_db()
    actor = act(person)
    before = AuditEvent.objects.count()
    if action in EXPECTED[role]:
        basis = require(actor, pathway, action)
        assert basis.role in {role, "coordinator"}
        events = list(AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before])
        assert len(events) == 1
        event = events[0]
        assert event.outcome == AuditEvent.Outcome.ALLOWED
        assert event.basis == str(basis) and event.basis
    else:
        # Refused reads are "not found"; so is a refused change for someone who may not see
        # what it changes (a next of kin who follows the pathway, refused a change to the plan).
        hidden = action in READ_ACTIONS or SEEN_WITH_DOMAIN.get(action, VIEW) not in EXPECTED[role]
        with pytest.raises(NotFound if hidden else Forbidden):
            require(actor, pathway, action)
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.latest("id")
        assert event.outcome == AuditEvent.Outcome.DENIED
        assert event.basis == f"role lacks {action}"
    assert event.action == action
    assert event.actor_id == _user(person).pk
    assert event.patient_id == pathway.patient_id
    assert event.pathway_id == pathway.pk
    assert event.object_type == "Pathway" and event.object_id == str(pathway.public_id)
    assert event.channel == "web"


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_no_role_is_not_found_for_every_action_and_audited(action, pathway, outsider):
    """Without any role, even a write answers 'not found': the pathway's existence does not leak."""
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        require(act(outsider), pathway, action)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.outcome, event.basis, event.action) == ("denied", "no role", action)
    assert event.actor_id == outsider.user.pk and event.patient_id == pathway.patient_id
    assert event.actor_name == outsider.name


@pytest.mark.django_db
def test_viewer_write_is_forbidden_not_hidden(pathway, gp):
    with pytest.raises(Forbidden) as caught:
        require(act(gp), pathway, EDIT)
    assert caught.value.status == 403
    with pytest.raises(NotFound):
        require(factories.actor(factories.staff()), pathway, EDIT)


@pytest.mark.django_db
def test_unauthenticated_is_refused_before_anything_is_read(pathway):
    before = AuditEvent.objects.count()
    with pytest.raises(NotAuthenticated) as caught:
        require(Actor(user=AnonymousUser(), channel="api"), pathway, VIEW)
    assert caught.value.status == 401
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_obj_is_what_the_audit_names(pathway, coordinator, residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    require(act(coordinator), pathway, STAY, obj=stay)
    event = AuditEvent.objects.latest("id")
    assert (event.object_type, event.object_id) == ("Stay", str(stay.public_id))


def _close(pathway, coordinator):  # type: ignore[no-untyped-def]
    services.pathway_transition(actor=act(coordinator), pathway=pathway, to_phase=Phase.CLOSED,
                                on=clock.today(), note="Ferdig.")
    pathway.refresh_from_db()
    assert not pathway.is_open


@pytest.mark.django_db
def test_closing_ends_staff_access_but_not_the_patients(pathway, coordinator, colleague, gp,
                                                        municipal, patient_user, kin_user):
    for who in (coordinator, colleague, gp, municipal):
        require(act(who), pathway, VIEW)
    _close(pathway, coordinator)
    for who in (gp, municipal):
        with pytest.raises(NotFound):
            require(act(who), pathway, VIEW)
    # The coordinating clinic keeps read access (audited) to find a slip and reopen it.
    assert require(act(coordinator), pathway, VIEW).role == "closed:coordinator"
    assert require(act(colleague), pathway, VIEW).role == "closed:unit:coordinating"
    assert require(act(colleague), pathway, REOPEN).role == "closed:unit:coordinating"
    for action in (EDIT, TRANSITION, STAY, STAY_PLAN, TEAM, HANDOVER):
        with pytest.raises(Forbidden):
            require(act(coordinator), pathway, action)
    assert require(act(patient_user), pathway, VIEW).role == "patient"
    assert require(act(kin_user), pathway, VIEW).role == "consent:pathway"
    with pytest.raises(Forbidden):
        require(act(patient_user), pathway, EDIT)


@pytest.mark.django_db
def test_consent_withdrawal_takes_effect_at_once(pathway, kin_user):
    actor = act(kin_user)
    require(actor, pathway, VIEW)
    Consent.objects.filter(next_of_kin__user=kin_user).update(withdrawn_at=clock.now())
    with pytest.raises(NotFound):
        require(actor, pathway, VIEW)
    assert AuditEvent.objects.filter(actor_id=kin_user.pk, outcome="denied").count() == 1


@pytest.mark.django_db
def test_next_of_kin_without_consent_has_nothing(pathway):
    from django.contrib.auth import get_user_model

    from ettervern.patients.models import NextOfKin

    user = get_user_model().objects.create_user(username="uten-samtykke", password=None)
    NextOfKin.objects.create(patient_id=pathway.patient_id, name="X", relation="søster",
                             user=user)
    with pytest.raises(NotFound):
        require(act(user), pathway, VIEW)


@pytest.mark.django_db
def test_treating_unit_access_follows_the_stay(pathway, coordinator, residential_unit, clinician):
    actor = act(clinician)
    with pytest.raises(NotFound):
        require(actor, pathway, VIEW)
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(10))
    assert require(actor, pathway, VIEW).role == "unit:treating"  # planned
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=days_ago(12))
    services.stay_admit(actor=actor, stay=stay, on=days_ago(10))
    assert require(actor, pathway, STAY).role == "unit:treating"  # ongoing
    services.stay_discharge(actor=actor, stay=stay, on=days_ago(2),
                            reason="Pasienten ønsket å reise hjem.")
    with pytest.raises(NotFound):  # discharged: the unit no longer treats the patient
        require(actor, pathway, VIEW)


@pytest.mark.django_db
def test_cancelled_stay_gives_no_access(pathway, coordinator, residential_unit, clinician):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(10))
    services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=stay.version,
                         reason="Flyttet.")
    with pytest.raises(NotFound):
        require(act(clinician), pathway, VIEW)


@pytest.mark.django_db
def test_leaving_the_coordinating_clinic_ends_unit_access(pathway, colleague, clinic):
    require(act(colleague), pathway, EDIT)
    colleague.units.remove(clinic)
    with pytest.raises(NotFound):
        require(act(colleague), pathway, VIEW)


@pytest.mark.django_db
def test_ended_care_team_role_no_longer_grants_access(pathway, coordinator, municipal):
    require(act(municipal), pathway, VIEW)
    member = CareTeamMember.objects.get(pathway=pathway, staff=municipal)
    services.careteam_end(actor=act(coordinator), member=member, expected_version=member.version)
    with pytest.raises(NotFound):
        require(act(municipal), pathway, VIEW)


@pytest.mark.django_db
def test_a_role_on_one_pathway_gives_nothing_on_another(pathway, gp, coordinator):
    other = factories.open_pathway(coordinator)
    with pytest.raises(NotFound):
        require(act(gp), other, VIEW)


def test_actor_from_request_does_not_trust_a_forged_forwarded_address(settings):  # type: ignore[no-untyped-def]
    # No proxy configured: X-Forwarded-For is whatever the client wrote, so it is ignored.
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.0.0.7, 10.0.0.1",
                                   REMOTE_ADDR="127.0.0.1")
    request.user = AnonymousUser()
    actor = actor_from_request(request, "api")
    assert (actor.channel, actor.ip) == ("api", "127.0.0.1")
    # Behind one trusted proxy: the address that proxy saw (the last entry).
    settings.ETTERVERN_TRUSTED_PROXIES = 1
    assert actor_from_request(request, "api").ip == "10.0.0.1"
    settings.ETTERVERN_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.4")
    request.user = AnonymousUser()
    assert actor_from_request(request, "web").ip == "192.0.2.4"


@pytest.mark.django_db
def test_treating_fixture_is_a_planned_stay_and_reads_nothing_yet(treating_clinician, pathway):
    assert pathway.stays.get().status == Stay.Status.PLANNED
    assert audit_count(actor_id=treating_clinician.user.pk) == 0


# --- a user-controlled bed agreement: the pathway's bases, and the unit's staff ----------------

@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_beds_consent_opens_the_agreements_only(action, pathway, agreement, kin_beds):
    """A next of kin with the `beds` consent (and no other) reads the agreements and their
    bookings, on the pathway and on the agreement, and nothing else."""
    assert {b.role for b in pathway.access_bases(kin_beds)} == {"consent:beds"}
    assert {b.role for b in agreement.access_bases(kin_beds)} == {"consent:beds"}
    for subject in (pathway, agreement):
        if action in EXPECTED["consent:beds"]:
            assert require(act(kin_beds), subject, action).role == "consent:beds"
        else:
            hidden = action in READ_ACTIONS or SEEN_WITH_DOMAIN.get(action, VIEW) not in (
                EXPECTED["consent:beds"])
            with pytest.raises(NotFound if hidden else Forbidden):
                require(act(kin_beds), subject, action)


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_units_staff_stand_on_the_agreement_only(action, pathway, accepted, bed_clinician):
    """`unit:beds` on the agreement (and its bookings) for the staff of its unit, whatever
    trust treated the patient, once the patient has accepted it; nothing on the pathway."""
    agreement = accepted
    assert {b.role for b in agreement.access_bases(bed_clinician.user)} == {"unit:beds"}
    assert list(pathway.access_bases(bed_clinician.user)) == []
    actor = act(bed_clinician)
    if action in EXPECTED["unit:beds"]:
        assert require(actor, agreement, action).role == "unit:beds"
        event = AuditEvent.objects.latest("id")
        assert (event.outcome, event.object_type, event.patient_id, event.pathway_id) == (
            "allowed", "Agreement", pathway.patient_id, pathway.pk)
    else:
        hidden = action in READ_ACTIONS or SEEN_WITH_DOMAIN.get(action, VIEW) not in EXPECTED[
            "unit:beds"]
        with pytest.raises(NotFound if hidden else Forbidden):
            require(actor, agreement, action)
    with pytest.raises(NotFound):
        require(actor, pathway, VIEW if action == BEDS_VIEW else action)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLE_FIXTURE))
def test_on_the_agreement_the_team_stands_as_on_the_pathway(role, request, pathway, agreement):
    person = request.getfixturevalue(ROLE_FIXTURE[role])
    pathway.refresh_from_db()
    on_pathway = {b.role for b in pathway.access_bases(_user(person))}
    assert {b.role for b in agreement.access_bases(_user(person))} == on_pathway
    for action in BEDS | {BEDS_VIEW, BED_AGREEMENT}:
        allowed = any(action in EXPECTED[r] for r in on_pathway)
        if allowed:
            require(act(person), agreement, action)
        else:
            with pytest.raises((NotFound, Forbidden)):
                require(act(person), agreement, action)


@pytest.mark.django_db
def test_the_units_staff_lose_the_agreement(pathway, accepted, bed_clinician, patient_user,
                                            coordinator):
    """Staff of another residential unit have nothing; a block, or closing the pathway, takes
    the unit's basis away."""
    agreement = accepted
    stranger = factories.staff(factories.Staff.Profession.CLINICIAN,
                               units=[factories.unit(factories.Unit.Kind.RESIDENTIAL)])
    assert list(agreement.access_bases(stranger.user)) == []
    from ettervern.rights.models import Block

    block = Block.objects.create(patient_id=pathway.patient_id, staff=bed_clinician,
                                 created_by=patient_user)
    bases = agreement.access_bases(bed_clinician.user)
    assert list(bases) == [] and bases.blocked
    with pytest.raises(NotFound):
        require(act(bed_clinician), agreement, BEDS_VIEW)
    assert AuditEvent.objects.latest("id").basis == "blocked"
    block.lifted_at = clock.now()
    block.save(update_fields=["lifted_at"])
    assert {b.role for b in agreement.access_bases(bed_clinician.user)} == {"unit:beds"}
    _close(pathway, coordinator)
    agreement.pathway.refresh_from_db()
    assert list(agreement.access_bases(bed_clinician.user)) == []
