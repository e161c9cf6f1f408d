"""Slips that could not be undone: closing keeps the clinic's read access and can be reopened
within 30 days; cancelling, hand-overs and closing need a reason; the residential unit does
not plan stays; person pickers offer the people who fit first."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.access.models import AuditEvent
from ettervern.access.policy import REOPEN, VIEW, require
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from ettervern.directory.models import Organisation, Staff, Unit
from ettervern.pathways import selectors, services
from ettervern.pathways.models import CareTeamMember, Pathway, PhaseTransition, Stay
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Patient
from tests import factories
from tests.pathways.helpers import act, days_ago, plan_stay

pytestmark = pytest.mark.django_db


def _close(pathway: Pathway, who: Staff) -> Pathway:
    services.pathway_transition(actor=act(who), pathway=pathway, to_phase=Phase.PRE_ADMISSION,
                                on=days_ago(3))
    pathway.refresh_from_db()
    services.pathway_transition(actor=act(who), pathway=pathway, to_phase=Phase.CLOSED,
                                on=days_ago(1), note="Ønsket ikke mer behandling.")
    pathway.refresh_from_db()
    return pathway


def test_closing_without_a_reason_is_refused_and_changes_nothing(pathway, coordinator):
    with pytest.raises(InvalidInput) as err:
        services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                    to_phase=Phase.CLOSED, on=days_ago(1), note="  ")
    assert err.value.field == "note"
    pathway.refresh_from_db()
    assert pathway.is_open and pathway.phase == Phase.CONTACT


def test_reopen_within_30_days_returns_to_the_phase_it_was_closed_from(pathway, coordinator,
                                                                     colleague):
    closed = _close(pathway, coordinator)
    reopened = services.pathway_reopen(actor=act(colleague), pathway=closed,
                                       expected_version=closed.version,
                                       reason="Avsluttet ved en feil.")
    assert reopened.is_open and reopened.phase == Phase.PRE_ADMISSION
    last = PhaseTransition.objects.filter(pathway=pathway).latest("id")
    assert (last.from_phase, last.to_phase, last.note) == (
        Phase.CLOSED, Phase.PRE_ADMISSION, "Avsluttet ved en feil.")
    assert AuditEvent.objects.filter(action=REOPEN, outcome="allowed").count() == 1
    # Everyone's access is back as before the slip.
    assert require(act(coordinator), reopened, VIEW).role == "coordinator"


def test_reopen_after_30_days_is_refused(pathway, coordinator):
    closed = _close(pathway, coordinator)
    later = clock.now() + dt.timedelta(days=31)
    with clock.frozen(later), pytest.raises(RuleViolation):
        services.pathway_reopen(actor=act(coordinator), pathway=closed,
                                expected_version=closed.version, reason="For sent.")
    closed.refresh_from_db()
    assert not closed.is_open


def test_reopen_needs_a_reason_and_the_coordinating_clinic(pathway, coordinator, gp, outsider):
    closed = _close(pathway, coordinator)
    with pytest.raises(InvalidInput):
        services.pathway_reopen(actor=act(coordinator), pathway=closed,
                                expected_version=closed.version, reason="")
    for who in (gp, outsider):  # the GP lost access at closing; the outsider never had it
        with pytest.raises(NotFound):
            services.pathway_reopen(actor=act(who), pathway=closed,
                                    expected_version=closed.version, reason="Prøver.")
    assert AuditEvent.objects.filter(action=REOPEN, outcome="denied").count() == 2
    closed.refresh_from_db()
    assert not closed.is_open


def test_reopen_is_refused_when_the_patient_has_a_new_open_pathway(pathway, coordinator):
    closed = _close(pathway, coordinator)
    patient = Patient.objects.get(pk=closed.patient_id)
    services.pathway_open(actor=act(coordinator), coordinating_unit=closed.coordinating_unit,
                          national_id=patient.national_id, given_name=patient.given_name,
                          family_name=patient.family_name, referral_received_on=days_ago(0),
                          referrer="Fastlegen")
    with pytest.raises(RuleViolation):
        services.pathway_reopen(actor=act(coordinator), pathway=closed,
                                expected_version=closed.version, reason="Feil.")


def test_cancel_and_handover_need_a_reason(pathway, coordinator, colleague, residential_unit):
    stay = plan_stay(pathway, coordinator, residential_unit, days_ago(2))
    with pytest.raises(InvalidInput) as err:
        services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=stay.version,
                             reason=" ")
    assert err.value.field == "reason"
    assert Stay.objects.get(pk=stay.pk).status == Stay.Status.PLANNED
    with pytest.raises(InvalidInput):
        services.coordinator_handover(actor=act(coordinator), pathway=pathway,
                                      to_staff=colleague, expected_version=pathway.version,
                                      reason="")
    pathway.refresh_from_db()
    assert pathway.coordinator == coordinator
    services.stay_cancel(actor=act(coordinator), stay=stay, expected_version=stay.version,
                         reason="Pasienten ønsket et annet sted.")
    assert Stay.objects.get(pk=stay.pk).cancel_reason == "Pasienten ønsket et annet sted."


def test_treating_clinician_cannot_plan_a_stay_at_another_unit(pathway, coordinator,
                                                             treating_clinician):
    """The rule: planning stays is the coordinating clinic's and the specialist contact's."""
    other = factories.unit(Unit.Kind.RESIDENTIAL, name="Annen døgnavdeling")
    before = Stay.objects.count()
    with pytest.raises(Forbidden):
        plan_stay(pathway, treating_clinician, other, days_ago(0))
    with pytest.raises(Forbidden):  # nor at their own unit
        plan_stay(pathway, treating_clinician, treating_clinician.units.get(), days_ago(0))
    assert Stay.objects.count() == before
    assert AuditEvent.objects.filter(action="stay.plan", outcome="denied").count() == 2


# --- person pickers -----------------------------------------------------------------------

@pytest.fixture
def town(pathway):  # type: ignore[no-untyped-def]
    kommune = factories.organisation(Organisation.Kind.KOMMUNE, name="Bø kommune")
    Patient.objects.filter(pk=pathway.patient_id).update(municipality=kommune)
    return kommune


def _names(candidates):  # type: ignore[no-untyped-def]
    return [c.staff.name for c in candidates]


def test_picker_offers_the_patients_municipality_first(pathway, coordinator, town):
    local = factories.staff(Staff.Profession.MUNICIPAL, units=[factories.unit(
        Unit.Kind.MUNICIPAL, org=town, name="Rustjenesten Bø")], username="zlokal")
    far = factories.staff(Staff.Profession.MUNICIPAL, units=[factories.unit(Unit.Kind.MUNICIPAL)],
                          username="afjern")
    factories.staff(Staff.Profession.NAV, units=[factories.unit(Unit.Kind.NAV)],
                    username="anav")
    role = CareTeamMember.Role.MUNICIPAL_CONTACT
    offered = selectors.person_candidates(actor=act(coordinator), public_id=pathway.public_id,
                                          purpose=role)
    assert _names(offered) == [local.name]  # no query: only those who fit
    assert offered[0].fits and offered[0].units[0].organisation == town
    searched = selectors.person_candidates(actor=act(coordinator), public_id=pathway.public_id,
                                           purpose=role, query="staff")
    # Those who fit first, then the rest by name; never the wrong profession.
    assert _names(searched) == [local.name, far.name]


def test_handover_picker_offers_the_clinic_first_and_not_the_coordinator(pathway, coordinator,
                                                                       colleague):
    elsewhere = factories.staff(units=[factories.unit(Unit.Kind.OUTPATIENT)], username="annen")
    factories.staff(Staff.Profession.MUNICIPAL, units=[factories.unit(Unit.Kind.MUNICIPAL)],
                    username="kommunal")
    offered = selectors.person_candidates(actor=act(coordinator), public_id=pathway.public_id,
                                          purpose=selectors.HANDOVER_PURPOSE)
    assert _names(offered) == [colleague.name]
    searched = selectors.person_candidates(actor=act(coordinator), public_id=pathway.public_id,
                                           purpose=selectors.HANDOVER_PURPOSE, query="Staff")
    assert _names(searched) == [colleague.name, elsewhere.name]


def test_picker_is_refused_without_the_right_and_audited(pathway, gp, outsider):
    for who, error in ((outsider, NotFound), (gp, Forbidden)):
        with pytest.raises(error):
            selectors.person_candidates(actor=act(who), public_id=pathway.public_id,
                                        purpose=CareTeamMember.Role.GP)
    assert AuditEvent.objects.filter(action="careteam.manage", outcome="denied").count() == 2


def test_handover_notice_shows_the_reason_to_the_new_coordinator(pathway, coordinator,
                                                               colleague):
    services.coordinator_handover(actor=act(coordinator), pathway=pathway, to_staff=colleague,
                                  expected_version=pathway.version, reason="Permisjon i juli.")
    (notice,) = selectors.handovers_to_me(actor=act(colleague))
    assert (notice.pathway, notice.reason) == (pathway, "Permisjon i juli.")
    assert selectors.handovers_to_me(actor=act(coordinator)) == []
    assert AuditEvent.objects.filter(action="pathway.list", actor_id=colleague.user_id).count() == 1


def test_nav_and_gp_offices_in_the_patients_municipality_fit(pathway, coordinator):
    kommune = factories.organisation(Organisation.Kind.KOMMUNE, name="Voss kommune")
    Patient.objects.filter(pk=pathway.patient_id).update(municipality=kommune)
    nav_unit = factories.unit(Unit.Kind.NAV, name="NAV Voss")
    Unit.objects.filter(pk=nav_unit.pk).update(municipality_name="Voss")
    local = factories.staff(Staff.Profession.NAV, units=[nav_unit], username="navvoss")
    factories.staff(Staff.Profession.NAV, units=[factories.unit(Unit.Kind.NAV)], username="navx")
    offered = selectors.person_candidates(actor=act(coordinator), public_id=pathway.public_id,
                                          purpose=CareTeamMember.Role.NAV_CONTACT)
    assert _names(offered) == [local.name]


def test_a_stay_more_than_two_years_ahead_is_refused(pathway, coordinator, residential_unit):
    with pytest.raises(InvalidInput) as err:
        plan_stay(pathway, coordinator, residential_unit, dt.date(9999, 12, 31))
    assert err.value.field == "planned_start"
    assert not Stay.objects.exists()
