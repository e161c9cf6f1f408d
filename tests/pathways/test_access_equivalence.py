"""The fast access path (pathways/team.py) agrees with the foundation's definition
(reference_access.py) on a generated population with every role: the same bases on every
pathway, in the same order, and the same worklist ids for every scope.

The population is the seed's (the demo's generators, through the services), plus what the seed
leaves out: logins for some patients and next of kin, withdrawn consents, ended team roles,
cancelled stays, closed pathways, staff at several units and people with no role at all;
blocks (of a team member, of a unit colleague, of a former coordinator, one lifted) and
emergency accesses (active, expired)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model

from ettervern.access.consent_kinds import CODES
from ettervern.core import clock
from ettervern.demo.seeding import seed
from ettervern.directory.models import Staff, Unit
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.pathways.selectors import _MINE_ROLES
from ettervern.pathways.team import ROLE_ORDER, accessible_pathways, bases_by_pathway, bases_for
from ettervern.patients.models import Consent, NextOfKin, Patient
from ettervern.rights.models import Block, EmergencyAccess
from tests.pathways.reference_access import reference_accessible, reference_bases

User = get_user_model()


@pytest.fixture(scope="module")
def population(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed(patients=24, seed=11)
            _add_what_the_seed_leaves_out(random.Random(11))  # noqa: S311 - test data
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _add_what_the_seed_leaves_out(rng: random.Random) -> None:
    for n, patient in enumerate(Patient.objects.order_by("id")[:12]):
        patient.user = User.objects.create_user(f"pasient{n}", password=None)
        patient.save(update_fields=["user"])
    for n, kin in enumerate(NextOfKin.objects.order_by("id")[:10]):
        kin.user = User.objects.create_user(f"parorende{n}", password=None)
        kin.save(update_fields=["user"])
        today = clock.today()
        if not kin.consents.exists():
            Consent.objects.create(patient=kin.patient, next_of_kin=kin, kind="pathway",
                                   given_at=clock.now(), valid_from=today,
                                   withdrawn_at=clock.now() if n % 3 == 0 else None)
        # Every kind, some withdrawn, some ended, some not yet begun, one no longer known.
        for k, code in enumerate([*CODES[1:], "retired_kind"]):
            shape = (n + k) % 4
            Consent.objects.create(
                patient=kin.patient, next_of_kin=kin, kind=code, given_at=clock.now(),
                valid_from=today + dt.timedelta(days=3 if shape == 2 else -30),
                valid_until=today - dt.timedelta(days=1) if shape == 1 else None,
                withdrawn_at=clock.now() if shape == 3 else None)
    members = list(CareTeamMember.objects.filter(ended_at__isnull=True).order_by("id"))
    for member in rng.sample(members, k=min(6, len(members))):
        CareTeamMember.objects.filter(pk=member.pk).update(ended_at=clock.now())
    # A coordinator who also works at a residential unit, and one at two clinics.
    coordinators = list(Staff.objects.filter(coordinated_pathways__isnull=False).distinct()
                        .order_by("id")[:2])
    residential = Unit.objects.filter(kind=Unit.Kind.RESIDENTIAL).order_by("id")
    clinics = Unit.objects.filter(kind=Unit.Kind.OUTPATIENT).order_by("id")
    if coordinators:
        coordinators[0].units.add(*residential[:3])
        coordinators[-1].units.add(*clinics[:2])
    _add_blocks_and_emergency_accesses()


def _add_blocks_and_emergency_accesses() -> None:
    """Blocks of a team member, of colleagues at the coordinating clinic, of a former
    coordinator on a closed pathway and of a coordinator (left as coordinator), one lifted;
    emergency accesses by outsiders, one active, one expired, one on a closed pathway."""
    now = clock.now()
    anyone = User.objects.filter(staff__isnull=False).order_by("id").first()
    open_pathways = list(Pathway.objects.filter(closed_at__isnull=True).order_by("id"))
    closed_pathways = list(Pathway.objects.filter(closed_at__isnull=False).order_by("id"))
    members = list(CareTeamMember.objects.filter(ended_at__isnull=True,
                                                 pathway__closed_at__isnull=True).order_by("id"))
    blocks = []
    for member in members[:3]:
        blocks.append(Block(patient_id=member.pathway.patient_id, staff_id=member.staff_id,
                            created_by=anyone))
    for pathway in open_pathways[:2]:
        colleague = (Staff.objects.filter(units=pathway.coordinating_unit)
                     .exclude(pk=pathway.coordinator_id).order_by("id").first())
        if colleague is not None:
            blocks.append(Block(patient_id=pathway.patient_id, staff=colleague,
                                created_by=anyone))
        # A coordinator the patient blocked before a hand-over keeps the coordinator's basis.
        blocks.append(Block(patient_id=pathway.patient_id, staff_id=pathway.coordinator_id,
                            created_by=anyone))
    for pathway in closed_pathways[:1]:
        blocks.append(Block(patient_id=pathway.patient_id, staff_id=pathway.coordinator_id,
                            created_by=anyone))
    for pathway in open_pathways[3:4]:
        blocks.append(Block(patient_id=pathway.patient_id, staff_id=pathway.coordinator_id,
                            created_by=anyone, lifted_at=now))
    seen = set()
    for block in blocks:
        if block.staff_id and (block.patient_id, block.staff_id) not in seen:
            seen.add((block.patient_id, block.staff_id))
            block.save()
    strangers = list(Staff.objects.filter(coordinated_pathways__isnull=True,
                                          team_roles__isnull=True).order_by("id")[:4])
    pathways = open_pathways[-3:] + closed_pathways[-1:]
    for n, (stranger, pathway) in enumerate(zip(strangers, pathways, strict=False)):
        unit = stranger.units.order_by("id").first() or pathway.coordinating_unit
        opened = now - (dt.timedelta(hours=6) if n == 1 else dt.timedelta(hours=1))
        EmergencyAccess.objects.create(
            pathway=pathway, patient_id=pathway.patient_id, staff=stranger, unit=unit,
            reason="Akutt innleggelse, trenger kriseplanen", opened_at=opened,
            expires_at=opened + dt.timedelta(hours=4))
    # A blocked person with an emergency access: the block wins.
    if strangers and open_pathways:
        Block.objects.get_or_create(patient_id=open_pathways[-1].patient_id,
                                    staff=strangers[0], lifted_at=None,
                                    defaults={"created_by": anyone})


def _people() -> list:  # type: ignore[type-arg]
    """Everyone with a role on some pathway (the country's directory is large: the others all
    stand alike), and a few staff with none."""
    from django.db.models import Q

    involved_units = (set(Pathway.objects.values_list("coordinating_unit_id", flat=True))
                      | set(Pathway.objects.values_list("stays__unit_id", flat=True)))
    involved = Q(staff__coordinated_pathways__isnull=False) | Q(
        staff__team_roles__isnull=False) | Q(staff__units__in=involved_units - {None})
    staff_users = list(User.objects.filter(involved).distinct().order_by("id"))
    # Colleagues at a big clinic all stand alike: every fourth one is enough, but never drop
    # anyone who coordinates or is on a care team.
    key = {u.pk for u in User.objects.filter(Q(staff__coordinated_pathways__isnull=False)
                                             | Q(staff__team_roles__isnull=False))}
    staff_users = [u for n, u in enumerate(staff_users) if u.pk in key or n % 4 == 0]
    strangers = list(User.objects.filter(staff__isnull=False).exclude(
        pk__in=[u.pk for u in staff_users]).order_by("id")[:5])
    # Everyone a block or an emergency access names.
    named = set(Block.objects.values_list("staff__user_id", flat=True)) | set(
        EmergencyAccess.objects.values_list("staff__user_id", flat=True))
    strangers += list(User.objects.filter(pk__in=named).exclude(
        pk__in=[u.pk for u in staff_users + strangers]).order_by("id"))
    personal = list(User.objects.filter(staff__isnull=True).order_by("id"))
    return staff_users + strangers + personal


@pytest.mark.django_db
def test_same_bases_on_every_pathway_for_every_person(population):  # type: ignore[no-untyped-def]
    pathways = list(Pathway.objects.select_related("patient").order_by("id"))
    assert any(p.closed_at for p in pathways) and any(p.closed_at is None for p in pathways)
    seen_roles: set[str] = set()
    others = pathways[::7]  # a few where most people have no basis, to catch false ones
    for user in _people():
        # Where the reference finds any basis, every basis must match; elsewhere none.
        reached = set(reference_accessible(user, worklist=False).values_list("id", flat=True))
        checked = [p for p in pathways if p.pk in reached or p in others]
        for pathway in checked:
            expected = reference_bases(user, pathway)
            assert [b.role for b in bases_for(user, pathway)] == expected, (user, pathway)
            seen_roles.update(expected)
        firsts = bases_by_pathway(user, pathways)
        assert set(firsts) == reached, user
        for pathway in checked:
            expected = reference_bases(user, pathway)
            got = firsts.get(pathway.pk)
            assert (got.role if got else None) == (expected[0] if expected else None)
    # The data set exercises every role the policy knows.
    assert seen_roles == set(ROLE_ORDER) - {"team:specialist_contact"} or \
        seen_roles == set(ROLE_ORDER), set(ROLE_ORDER) - seen_roles


@pytest.mark.django_db
@pytest.mark.parametrize("roles", [None, _MINE_ROLES], ids=["unit", "mine"])
def test_same_worklist_ids_for_every_person(population, roles):  # type: ignore[no-untyped-def]
    for user in _people():
        fast = set(accessible_pathways(user, roles=roles).values_list("id", flat=True))
        reference = set(reference_accessible(user, roles).values_list("id", flat=True))
        assert fast == reference, user
