"""careteam_add, careteam_end, coordinator_handover."""

from __future__ import annotations

import pytest

from ettervern.access.models import AuditEvent
from ettervern.access.policy import HANDOVER, VIEW, require
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
from ettervern.pathways.models import CareTeamMember, CoordinatorHandover, Pathway
from ettervern.pathways.phases import Phase
from tests import factories
from tests.pathways.helpers import act
from tests.pathways.test_phases import _refused


def _person(profession, kind=Unit.Kind.MUNICIPAL):  # type: ignore[no-untyped-def]
    return factories.staff(profession, units=[factories.unit(kind)])


@pytest.mark.django_db
def test_add_and_end_a_care_team_role(pathway, coordinator):
    person = _person(Staff.Profession.MUNICIPAL)
    member = services.careteam_add(actor=act(coordinator), pathway=pathway, staff=person,
                                   role=CareTeamMember.Role.MUNICIPAL_CONTACT)
    assert member.ended_at is None and member.pathway_id == pathway.pk
    event = pathway.events.latest("id")
    assert (event.kind, event.data) == ("team.added", {"name": person.name,
                                                       "role": "municipal_contact"})
    assert require(act(person), pathway, VIEW).role == "team:municipal_contact"

    ended = services.careteam_end(actor=act(coordinator), member=member, expected_version=1)
    assert ended.ended_at is not None and ended.version == 2
    assert pathway.events.latest("id").kind == "team.ended"
    # The same person can be given the role again later.
    services.careteam_add(actor=act(coordinator), pathway=pathway, staff=person,
                          role=CareTeamMember.Role.MUNICIPAL_CONTACT)


@pytest.mark.django_db
def test_add_refusals(pathway, coordinator, gp, outsider):
    person = _person(Staff.Profession.MUNICIPAL)
    role = CareTeamMember.Role.MUNICIPAL_CONTACT
    _refused(InvalidInput, pathway, lambda: services.careteam_add(
        actor=act(coordinator), pathway=pathway, staff=person, role="boss"))
    _refused(InvalidInput, pathway, lambda: services.careteam_add(      # profession mismatch
        actor=act(coordinator), pathway=pathway, staff=person, role=CareTeamMember.Role.GP))
    _refused(Forbidden, pathway, lambda: services.careteam_add(
        actor=act(gp), pathway=pathway, staff=person, role=role))
    _refused(NotFound, pathway, lambda: services.careteam_add(
        actor=act(outsider), pathway=pathway, staff=person, role=role))
    services.careteam_add(actor=act(coordinator), pathway=pathway, staff=person, role=role)
    err = _refused(RuleViolation, pathway, lambda: services.careteam_add(
        actor=act(coordinator), pathway=pathway, staff=person, role=role))
    assert err.field == "staff"
    assert CareTeamMember.objects.filter(pathway=pathway, staff=person).count() == 1


@pytest.mark.django_db
def test_end_refusals(pathway, coordinator, municipal, gp):
    member = CareTeamMember.objects.get(staff=municipal)
    _refused(Forbidden, pathway, lambda: services.careteam_end(
        actor=act(gp), member=member, expected_version=1))
    _refused(StaleVersion, pathway, lambda: services.careteam_end(
        actor=act(coordinator), member=member, expected_version=5))
    services.careteam_end(actor=act(coordinator), member=member, expected_version=1)
    _refused(RuleViolation, pathway, lambda: services.careteam_end(
        actor=act(coordinator), member=member, expected_version=2))


# --- hand-over ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_handover_within_the_clinic(pathway, coordinator, colleague, clinic):
    services.coordinator_handover(actor=act(coordinator), pathway=pathway, to_staff=colleague,
                                  expected_version=pathway.version, reason="Permisjon")
    pathway.refresh_from_db()
    assert pathway.coordinator == colleague and pathway.coordinating_unit == clinic
    assert pathway.version == 2
    row = CoordinatorHandover.objects.get(pathway=pathway)
    assert (row.from_staff, row.to_staff, row.from_unit, row.to_unit, row.by, row.reason) == (
        coordinator, colleague, clinic, clinic, coordinator.user, "Permisjon")
    event = pathway.events.latest("id")
    assert event.kind == "coordinator.handover"
    assert event.data == {"from_name": coordinator.name, "to_name": colleague.name,
                          "reason": "Permisjon"}
    assert require(act(colleague), pathway, HANDOVER).role == "coordinator"
    old_roles = {b.role for b in pathway.access_bases(coordinator.user)}
    assert "coordinator" not in old_roles
    assert old_roles == {"unit:coordinating"}  # still works at the clinic
    assert AuditEvent.objects.filter(action=HANDOVER, outcome="allowed").count() == 2


@pytest.mark.django_db
def test_handover_to_another_clinic_moves_coordination(pathway, coordinator, clinic):
    elsewhere = factories.unit(Unit.Kind.OUTPATIENT, name="Ny poliklinikk")
    new = factories.staff(units=[elsewhere])
    services.coordinator_handover(actor=act(coordinator), pathway=pathway, to_staff=new,
                                  expected_version=1, reason="Permisjon.")
    pathway.refresh_from_db()
    assert (pathway.coordinator, pathway.coordinating_unit) == (new, elsewhere)
    row = CoordinatorHandover.objects.get()
    assert (row.from_unit, row.to_unit) == (clinic, elsewhere)
    assert {b.role for b in pathway.access_bases(new.user)} == {"coordinator",
                                                                 "unit:coordinating"}
    with pytest.raises(NotFound):  # the old coordinator has no basis left at all
        require(act(coordinator), pathway, VIEW)


@pytest.mark.django_db
def test_handover_refusals(pathway, coordinator, colleague, gp, specialist, outsider):
    not_outpatient = _person(Staff.Profession.MUNICIPAL)

    def handover(who, to, version=1):  # type: ignore[no-untyped-def]
        return lambda: services.coordinator_handover(actor=act(who), pathway=pathway,
                                                     to_staff=to, expected_version=version,
                                                     reason="Permisjon.")

    _refused(RuleViolation, pathway, handover(coordinator, coordinator))      # already
    _refused(InvalidInput, pathway, handover(coordinator, not_outpatient))
    _refused(StaleVersion, pathway, handover(coordinator, colleague, version=9))
    _refused(Forbidden, pathway, handover(gp, colleague))
    _refused(Forbidden, pathway, handover(specialist, colleague))  # contact, not coordinator
    _refused(NotFound, pathway, handover(outsider, colleague))
    assert not CoordinatorHandover.objects.exists()
    assert Pathway.objects.get(pk=pathway.pk).coordinator == coordinator


@pytest.mark.django_db
def test_stale_handover_to_the_new_coordinator_is_stale_not_a_rule(pathway, coordinator,
                                                                    colleague):
    """Two people hand over to the same colleague from the same page: the loser is told
    the record changed, not that the colleague 'is already the coordinator'."""
    services.coordinator_handover(actor=act(coordinator), pathway=pathway, to_staff=colleague,
                                  expected_version=1, reason="Permisjon.")
    with pytest.raises(StaleVersion):
        services.coordinator_handover(actor=act(coordinator), pathway=pathway,
                                      to_staff=colleague, expected_version=1, reason="Permisjon.")
    assert CoordinatorHandover.objects.count() == 1


@pytest.mark.django_db
def test_no_handover_on_a_closed_pathway(pathway, coordinator, colleague):
    services.pathway_transition(actor=act(coordinator), pathway=pathway, to_phase=Phase.CLOSED,
                                on=clock.today(), note="Ferdig.")
    pathway.refresh_from_db()
    with pytest.raises(Forbidden):  # read-only once closed, also for the coordinator
        services.coordinator_handover(actor=act(coordinator),
                                      pathway=pathway, to_staff=colleague,
                                      expected_version=pathway.version, reason="Permisjon.")
    assert not CoordinatorHandover.objects.exists()
