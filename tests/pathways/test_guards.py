"""Guards found missing in review: refusals of pathway_open about an existing patient, access
re-checked under the row lock, a pathway start that cannot pass what happened on it, one check
of a stay's start, and access before the foreign-stay check in pathway_transition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.core.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    StaleVersion,
)
from ettervern.directory.models import Staff, Unit
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Patient
from tests import factories
from tests.api.conftest import signed_in
from tests.pathways.helpers import act, days_ago, plan_stay
from tests.pathways.test_phases import _state


def _open(who, nid, given="Kari", family="Nordmann"):  # type: ignore[no-untyped-def]
    unit = who.units.get()
    return services.pathway_open(actor=act(who), coordinating_unit=unit, national_id=nid,
                                 given_name=given, family_name=family,
                                 referral_received_on=days_ago(3), referrer="Fastlege")


# --- pathway_open and an existing patient ----------------------------------------------------

@pytest.mark.django_db
def test_open_for_a_patient_with_an_open_pathway_is_refused_and_audited(coordinator, outsider):
    nid = factories.national_id()
    first = _open(coordinator, nid)
    before = AuditEvent.objects.count()
    with pytest.raises(RuleViolation) as caught:
        _open(outsider, nid)
    assert caught.value.field == "national_id"
    denial = AuditEvent.objects.get(id__gt=AuditEvent.objects.order_by("id")[before - 1].id)
    assert (denial.action, denial.outcome, denial.patient_id) == (
        "pathway.open", "denied", first.patient_id)
    assert denial.actor_id == outsider.user.pk and "open pathway" in denial.basis
    assert Pathway.objects.count() == 1


@pytest.mark.django_db
def test_api_open_for_a_patient_with_an_open_pathway_is_audited(pathway, outsider):
    before = AuditEvent.objects.count()
    response = signed_in(outsider.user).post("/api/pathways", {
        "national_id": pathway.patient.national_id, "given_name": "X", "family_name": "Y",
        "coordinating_unit_id": str(outsider.units.get().public_id),
        "first_contact_on": str(days_ago(1)),
    })
    assert response.status_code == 409
    rows = list(AuditEvent.objects.order_by("id")[before:]
                .values_list("action", "outcome", "patient_id"))
    assert ("pathway.open", "denied", pathway.patient_id) in rows


@pytest.mark.django_db
@pytest.mark.parametrize("given, family", [("Per", "Nordmann"), ("Kari", "Hansen")])
def test_open_for_a_registered_number_with_another_name_is_refused(coordinator, given, family):
    nid = factories.national_id()
    first = _open(coordinator, nid)
    services.pathway_transition(actor=act(coordinator), pathway=first, to_phase=Phase.CLOSED,
                                on=clock.today(), note="Ferdig.")
    with pytest.raises(InvalidInput) as caught:
        _open(coordinator, nid, given=given, family=family)
    assert caught.value.field == "national_id"
    assert Pathway.objects.count() == 1
    assert AuditEvent.objects.filter(action="pathway.open", outcome="denied",
                                     patient_id=first.patient_id).count() == 1


@pytest.mark.django_db
def test_open_for_a_registered_number_compares_names_trimmed_and_ignoring_case(coordinator):
    nid = factories.national_id()
    first = _open(coordinator, nid)
    services.pathway_transition(actor=act(coordinator), pathway=first, to_phase=Phase.CLOSED,
                                on=clock.today(), note="Ferdig.")
    second = _open(coordinator, nid, given="  KARI ", family="nordmann ")
    assert second.patient_id == first.patient_id
    assert Patient.objects.get().given_name == "Kari"


# --- access re-checked once the row is locked ------------------------------------------------

def _hand_over_before_the_lock(monkeypatch, coordinator, outsider) -> None:  # type: ignore[no-untyped-def]
    """Hand the pathway to a coordinator at another clinic after the writer's `require` passed
    and before its transaction locks the row, as a concurrent writer would."""
    real_require = services.require
    done = []

    def require_then_hand_over(actor, subject, action, **kwargs):  # type: ignore[no-untyped-def]
        basis = real_require(actor, subject, action, **kwargs)
        if not done:
            done.append(True)
            pathway = subject if isinstance(subject, Pathway) else subject.pathway
            current = Pathway.objects.get(pk=pathway.pk)
            services.coordinator_handover(actor=act(coordinator), pathway=current,
                                          to_staff=outsider, expected_version=current.version,
                                          reason="Permisjon.")
        return basis

    monkeypatch.setattr(services, "require", require_then_hand_over)


def _pre_admission(pathway: Pathway, coordinator) -> None:  # type: ignore[no-untyped-def]
    services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                to_phase=Phase.PRE_ADMISSION, on=days_ago(28))


def _case(name: str, pathway: Pathway, coordinator, unit, gp) -> Callable[[], Any]:  # type: ignore[no-untyped-def]
    a = act(coordinator)
    if name == "pathway_update":
        return lambda: services.pathway_update(
            actor=a, pathway=pathway, expected_version=pathway.version,
            referral_received_on=pathway.referral_received_on, referrer="Ny", first_contact_on=None,
            note="etter tap")
    if name == "pathway_transition":
        return lambda: services.pathway_transition(actor=a, pathway=pathway,
                                                   to_phase=Phase.PRE_ADMISSION, on=days_ago(1))
    if name == "careteam_add":
        return lambda: services.careteam_add(actor=a, pathway=pathway, staff=gp, role="gp")
    if name == "careteam_end":
        member = services.careteam_add(actor=a, pathway=pathway, staff=gp, role="gp")
        return lambda: services.careteam_end(actor=a, member=member,
                                             expected_version=member.version)
    if name == "stay_plan":
        return lambda: services.stay_plan(actor=a, pathway=pathway, unit=unit,
                                          planned_start=days_ago(2))
    _pre_admission(pathway, coordinator)
    stay = plan_stay(pathway, coordinator, unit, days_ago(5))
    if name == "stay_update":
        return lambda: services.stay_update(actor=a, stay=stay, expected_version=stay.version,
                                            unit=unit, planned_start=days_ago(4), planned_end=None)
    if name == "stay_cancel":
        return lambda: services.stay_cancel(actor=a, stay=stay, expected_version=stay.version,
                                            reason="Flyttet.")
    if name == "stay_admit":
        return lambda: services.stay_admit(actor=a, stay=stay, on=days_ago(5))
    assert name == "stay_discharge"
    services.stay_admit(actor=a, stay=stay, on=days_ago(5))
    stay.refresh_from_db()
    return lambda: services.stay_discharge(actor=a, stay=stay, on=days_ago(1),
                                           reason="Pasienten ønsket å reise hjem.")


@pytest.mark.django_db
@pytest.mark.parametrize("name", [
    "pathway_update", "pathway_transition", "careteam_add", "careteam_end", "stay_plan",
    "stay_update", "stay_cancel", "stay_admit", "stay_discharge",
])
def test_access_lost_before_the_lock_stops_the_write(name, monkeypatch, pathway, coordinator,
                                                     outsider, residential_unit):
    gp = factories.staff(Staff.Profession.GP, units=[factories.unit(Unit.Kind.GP)])
    call = _case(name, pathway, coordinator, residential_unit, gp)
    members = list(CareTeamMember.objects.values_list("id", "ended_at"))
    _hand_over_before_the_lock(monkeypatch, coordinator, outsider)
    with pytest.raises(Forbidden):
        call()
    after_handover = Pathway.objects.get(pk=pathway.pk)
    assert after_handover.coordinator == outsider  # the hand-over landed, nothing else did
    state = _state(pathway)
    assert state[3] == list(Stay.objects.filter(pathway=pathway).values_list("status", "version"))
    assert list(CareTeamMember.objects.values_list("id", "ended_at")) == members
    assert not after_handover.events.filter(
        kind__in=["pathway.updated", "phase.changed", "team.added", "team.ended", "stay.planned",
                  "stay.updated", "stay.cancelled", "stay.admitted", "stay.discharged"],
        id__gt=after_handover.events.get(kind="coordinator.handover").id,
    ).exists()
    assert after_handover.note == "" and after_handover.referrer == "Fastlege Hansen"


@pytest.mark.django_db
def test_handover_after_access_was_lost_is_refused(monkeypatch, pathway, coordinator, outsider,
                                                   colleague):
    _hand_over_before_the_lock(monkeypatch, coordinator, outsider)
    with pytest.raises((Forbidden, StaleVersion)):
        services.coordinator_handover(actor=act(coordinator), pathway=pathway,
                                      to_staff=colleague, expected_version=pathway.version,
                                      reason="Permisjon.")
    assert Pathway.objects.get(pk=pathway.pk).coordinator == outsider


@pytest.mark.django_db
def test_access_lost_by_a_treating_unit_before_the_lock(monkeypatch, pathway, coordinator,
                                                        residential_unit, clinician):
    """The stay is moved to another unit while its treating unit's admission waits for the lock."""
    _pre_admission(pathway, coordinator)
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    other_unit = factories.unit(Unit.Kind.RESIDENTIAL)
    real_require = services.require
    done = []

    def require_then_move(actor, subject, action, **kwargs):  # type: ignore[no-untyped-def]
        basis = real_require(actor, subject, action, **kwargs)
        if not done:
            done.append(True)
            current = Stay.objects.get(pk=stay.pk)
            services.stay_update(actor=act(coordinator), stay=current,
                                 expected_version=current.version, unit=other_unit,
                                 planned_start=current.planned_start, planned_end=None)
        return basis

    monkeypatch.setattr(services, "require", require_then_move)
    with pytest.raises(Forbidden):
        services.stay_admit(actor=act(clinician), stay=stay, on=days_ago(5))
    assert Stay.objects.get(pk=stay.pk).status == Stay.Status.PLANNED


# --- the start of a pathway cannot pass what happened on it ---------------------------------

def _update(coordinator, pathway, **dates):  # type: ignore[no-untyped-def]
    pathway.refresh_from_db()
    args = {"referral_received_on": pathway.referral_received_on, "referrer": "Fastlege",
            "first_contact_on": pathway.first_contact_on, "note": ""}
    args.update(dates)
    return services.pathway_update(actor=act(coordinator), pathway=pathway,
                                   expected_version=pathway.version, **args)


@pytest.mark.django_db
def test_start_cannot_move_after_an_admission(pathway, coordinator, residential_unit):
    _pre_admission(pathway, coordinator)
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(20))
    services.stay_admit(actor=act(coordinator), stay=stay, on=days_ago(20))
    before = _state(pathway)
    with pytest.raises(InvalidInput) as caught:
        _update(coordinator, pathway, referral_received_on=clock.today())
    assert caught.value.field == "referral_received_on"
    assert _state(pathway) == before


@pytest.mark.django_db
def test_start_cannot_move_after_the_first_phase_change(pathway, coordinator):
    _pre_admission(pathway, coordinator)  # 28 days ago; the pathway started 30 days ago
    with pytest.raises(InvalidInput) as caught:
        _update(coordinator, pathway, referral_received_on=days_ago(27))
    assert caught.value.field == "referral_received_on"
    _update(coordinator, pathway, referral_received_on=days_ago(28))  # the same day is fine


@pytest.mark.django_db
def test_start_cannot_move_after_a_planned_stay_but_a_cancelled_one_does_not_count(
        coordinator, residential_unit):
    pathway = factories.open_pathway(coordinator, referral_on=None, first_contact_on=days_ago(30))
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(20))
    with pytest.raises(InvalidInput) as caught:
        _update(coordinator, pathway, first_contact_on=days_ago(10))
    assert caught.value.field == "first_contact_on"
    stay.refresh_from_db()
    services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=stay.version,
                         reason="Flyttet.")
    _update(coordinator, pathway, first_contact_on=days_ago(10))
    pathway.refresh_from_db()
    assert pathway.started_on == days_ago(10)


@pytest.mark.django_db
def test_start_can_still_move_earlier(pathway, coordinator, residential_unit):
    _pre_admission(pathway, coordinator)
    plan_stay(pathway, coordinator, residential_unit, days_ago(20))
    _update(coordinator, pathway, first_contact_on=days_ago(40))
    pathway.refresh_from_db()
    assert pathway.started_on == days_ago(40)


# --- one check of a stay's start -------------------------------------------------------------

@pytest.mark.django_db
def test_stay_update_cannot_move_the_start_before_the_pathway_started(pathway, coordinator,
                                                                      residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(5))
    with pytest.raises(InvalidInput) as caught:
        services.stay_update(actor=act(coordinator), stay=stay, expected_version=stay.version,
                             unit=residential_unit, planned_start=pathway.started_on
                             - dt.timedelta(days=1), planned_end=None)
    assert caught.value.field == "planned_start"
    assert Stay.objects.get(pk=stay.pk).planned_start == days_ago(5)


# --- pathway_transition with another pathway's stay ------------------------------------------

@pytest.mark.django_db
def test_foreign_stay_is_refused_after_the_access_check(pathway, coordinator, outsider, gp,
                                                        residential_unit):
    other = factories.open_pathway(coordinator)
    _pre_admission(other, coordinator)
    foreign = plan_stay(other, coordinator, residential_unit, days_ago(3))

    def transition(who):  # type: ignore[no-untyped-def]
        return services.pathway_transition(actor=act(who), pathway=pathway,
                                           to_phase=Phase.RESIDENTIAL, on=days_ago(3),
                                           stay=foreign)

    with pytest.raises(NotFound):
        transition(outsider)
    with pytest.raises(Forbidden):
        transition(gp)
    assert AuditEvent.objects.filter(action="stay.manage", outcome="denied",
                                     pathway_id=pathway.pk).count() == 2
    with pytest.raises(InvalidInput):
        transition(coordinator)
    assert Stay.objects.get(pk=foreign.pk).status == Stay.Status.PLANNED
