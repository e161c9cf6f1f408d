"""Blocking (sperring): the patient blocks a named staff member, who is then refused (404 for
reads, writes refused, audited "blocked"); the coordinator cannot be blocked; the block is
lifted by the patient; the worklist follows the same rule."""

from __future__ import annotations

import pytest

from ettervern.access.models import AuditEvent
from ettervern.access.policy import EDIT, PLAN_VIEW, VIEW, require
from ettervern.core.errors import InvalidInput, NotFound, RuleViolation
from ettervern.pathways import services as pathway_services
from ettervern.pathways.selectors import pathway_worklist
from ettervern.pathways.team import bases_for
from ettervern.rights import selectors, services
from ettervern.rights.models import Block
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db


def _ids(worklist):  # type: ignore[no-untyped-def]
    return [row.pathway.pk for row in worklist.rows]


def test_blocked_team_member_is_refused_and_it_is_audited(pathway, patient_user, specialist):
    assert require(act(specialist), pathway, VIEW)
    services.block_create(actor=act(patient_user), staff=specialist)

    for action in (VIEW, PLAN_VIEW, EDIT):
        with pytest.raises(NotFound):
            require(act(specialist), pathway, action)
    refused = AuditEvent.objects.filter(actor_id=specialist.user_id,
                                        outcome=AuditEvent.Outcome.DENIED)
    assert set(refused.values_list("basis", flat=True)) == {"blocked"}
    assert refused.count() == 3
    assert pathway.pk not in _ids(pathway_worklist(actor=act(specialist), scope="mine"))
    with pytest.raises(NotFound):
        pathway_services.pathway_update(actor=act(specialist), pathway=pathway,
                                        expected_version=pathway.version, note="x",
                                        referral_received_on=pathway.referral_received_on,
                                        referrer=pathway.referrer, first_contact_on=None)


def test_block_takes_away_a_unit_colleagues_basis_too(pathway, patient_user, colleague):
    assert pathway.pk in _ids(pathway_worklist(actor=act(colleague), scope="unit"))
    services.block_create(actor=act(patient_user), staff=colleague)
    assert list(bases_for(colleague.user, pathway)) == []
    assert bases_for(colleague.user, pathway).blocked
    assert pathway.pk not in _ids(pathway_worklist(actor=act(colleague), scope="unit"))


def test_treating_unit_stays_refused_on_the_stay(pathway, patient_user, treating_clinician):
    stay = pathway.stays.get()
    assert stay.access_bases(treating_clinician.user)
    services.block_create(actor=act(patient_user), staff=treating_clinician)
    assert list(stay.access_bases(treating_clinician.user)) == []


def test_coordinator_cannot_be_blocked_and_nothing_is_stored(pathway, patient_user,
                                                             coordinator):
    with pytest.raises(RuleViolation, match="be klinikken om en ny"):
        services.block_create(actor=act(patient_user), staff=coordinator)
    assert not Block.objects.exists()


def test_nobody_blocks_themselves(pathway, patient_user, coordinator):
    from ettervern.directory.models import Staff

    me = Staff.objects.create(user=patient_user, name="Pasient som jobber her",
                              profession=Staff.Profession.CLINICIAN)
    with pytest.raises(InvalidInput, match="deg selv"):
        services.block_create(actor=act(patient_user), staff=me)
    assert not Block.objects.exists()


def test_only_the_patient_blocks(pathway, coordinator, specialist):
    with pytest.raises(NotFound):
        services.block_create(actor=act(coordinator), staff=specialist)
    assert not Block.objects.exists()


def test_blocking_twice_is_refused_and_lifting_gives_access_back(pathway, patient_user,
                                                                 specialist):
    block = services.block_create(actor=act(patient_user), staff=specialist)
    with pytest.raises(RuleViolation, match="allerede sperret"):
        services.block_create(actor=act(patient_user), staff=specialist)
    services.block_lift(actor=act(patient_user), block=block.public_id)
    assert require(act(specialist), pathway, VIEW).role == "team:specialist_contact"
    with pytest.raises(RuleViolation):
        services.block_lift(actor=act(patient_user), block=block.public_id)
    assert [b.lifted_at is not None for b in selectors.block_list(actor=act(patient_user))] == [
        True]


def test_another_patient_cannot_lift_or_see_a_block(pathway, patient_user, specialist):
    from django.contrib.auth import get_user_model

    from tests import factories

    block = services.block_create(actor=act(patient_user), staff=specialist)
    other = factories.open_pathway()
    other_user = get_user_model().objects.create_user("annen", password=None)
    other.patient.user = other_user
    other.patient.save(update_fields=["user"])
    with pytest.raises(NotFound):
        services.block_lift(actor=act(other_user), block=block.public_id)
    assert selectors.block_list(actor=act(other_user)) == []


def test_staff_are_told_a_block_exists_not_by_whom(pathway, patient_user, specialist,
                                                   coordinator):
    services.block_create(actor=act(patient_user), staff=specialist)
    found = selectors.pathway_notices(act(coordinator), pathway, frozenset({VIEW}))
    assert len(found) == 1
    text = found[0].title + " ".join(found[0].lines)
    assert specialist.name not in text


def test_block_candidates_leave_out_the_coordinator(pathway, patient_user, specialist,
                                                    coordinator):
    candidates = selectors.block_candidates(actor=act(patient_user))
    assert specialist in candidates and coordinator not in candidates


def test_a_blocked_person_is_given_no_role_on_the_pathway(pathway, patient_user, coordinator,
                                                          colleague):
    """Neither a place on the care team nor the coordinator's role, which a block could not
    take away; the refusal does not say why, and nothing changes."""
    from ettervern.pathways.models import CareTeamMember, CoordinatorHandover
    from tests import factories

    nurse = factories.staff(factories.Staff.Profession.CLINICIAN,
                            units=list(colleague.units.all()), username="sykepleier")
    services.block_create(actor=act(patient_user), staff=colleague)
    services.block_create(actor=act(patient_user), staff=nurse)
    members = CareTeamMember.objects.count()
    with pytest.raises(RuleViolation) as refused:
        pathway_services.careteam_add(actor=act(coordinator), pathway=pathway, staff=nurse,
                                      role=CareTeamMember.Role.SPECIALIST_CONTACT)
    assert "sperr" not in str(refused.value).lower() and "block" not in str(refused.value).lower()
    with pytest.raises(RuleViolation):
        pathway_services.coordinator_handover(actor=act(coordinator), pathway=pathway,
                                              to_staff=colleague, reason="Ferie",
                                              expected_version=pathway.version)
    pathway.refresh_from_db()
    assert pathway.coordinator_id == coordinator.pk
    assert CareTeamMember.objects.count() == members
    assert not CoordinatorHandover.objects.filter(pathway=pathway).exists()
