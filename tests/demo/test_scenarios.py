"""`ettervern demo_scenario`: fresh pathways in a known state for the browser tests."""

from __future__ import annotations

import json
import random
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from stdnum.no import fodselsnummer

from ettervern.access.policy import Actor
from ettervern.core.errors import Forbidden, InvalidInput
from ettervern.demo.logins import DEMO_PASSWORD
from ettervern.demo.scenarios import SCENARIOS, ScenarioBuilder, unique_name
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.pathways.phases import Phase
from ettervern.pathways.selectors import pathway_get, pathway_worklist
from ettervern.patients.models import Consent, Patient

User = get_user_model()
Role = CareTeamMember.Role

pytestmark = pytest.mark.usefixtures("demo")


def _run(*args: str) -> list[dict[str, Any]]:
    out = StringIO()
    with override_settings(DEMO=True):
        call_command("demo_scenario", *args, stdout=out)
    return json.loads(out.getvalue())


def _actor(username: str) -> Actor:
    return Actor(user=User.objects.get(username=username), channel="cli")


# --- demo mode only, on a demo database -------------------------------------------------------

def test_refuses_outside_demo_mode(db):
    patients = Patient.objects.count()
    with override_settings(DEMO=False), pytest.raises(CommandError, match="ETTERVERN_DEMO=1"):
        call_command("demo_scenario", "contact", stdout=StringIO())
    with override_settings(DEMO=False), pytest.raises(Forbidden):
        ScenarioBuilder()
    assert Patient.objects.count() == patients


def test_refuses_a_database_without_the_demo_logins(db):
    User.objects.filter(username="behandler").update(username="someone-else")
    with override_settings(DEMO=True), pytest.raises(CommandError, match="ettervern demo"):
        call_command("demo_scenario", "contact", stdout=StringIO())


def test_refuses_an_unknown_scenario(db):
    with override_settings(DEMO=True), pytest.raises(CommandError, match="invalid choice"):
        call_command("demo_scenario", "admitted", stdout=StringIO())


# --- each scenario ----------------------------------------------------------------------------

_STAY_STATUS = {Phase.CONTACT: [], Phase.PRE_ADMISSION: [Stay.Status.PLANNED],
                Phase.RESIDENTIAL: [Stay.Status.ONGOING],
                Phase.AFTERCARE: [Stay.Status.DISCHARGED], Phase.CLOSED: [Stay.Status.DISCHARGED]}


@pytest.mark.parametrize("phase", SCENARIOS)
def test_each_phase_on_a_new_patient_through_the_services(db, phase):
    patients = Patient.objects.count()
    [printed] = _run(phase)
    assert Patient.objects.count() == patients + 1

    pathway = Pathway.objects.get(public_id=printed["pathway"])
    assert printed["scenario"] == printed["phase"] == pathway.phase == phase
    assert printed["url"] == f"/forlop/{pathway.public_id}/"
    patient = pathway.patient
    assert printed["patient"] == {
        "id": str(patient.public_id), "name": patient.full_name,
        "given_name": patient.given_name, "family_name": patient.family_name,
        "national_id": patient.national_id,
    }
    assert fodselsnummer.is_valid(patient.national_id)
    assert (pathway.closed_at is not None) == (phase == Phase.CLOSED)

    # Coordinated by the koordinator at their clinic; the team is the demo's logins.
    assert pathway.coordinator.user.username == "koordinator"
    assert pathway.coordinating_unit in pathway.coordinator.units.all()
    team = {(m.role, m.staff.user.username) for m in pathway.team.filter(ended_at__isnull=True)}
    expected = {(Role.GP, "fastlege"), (Role.MUNICIPAL_CONTACT, "kommune"),
                (Role.NAV_CONTACT, "nav")}
    if phase in (Phase.RESIDENTIAL, Phase.AFTERCARE, Phase.CLOSED):
        expected.add((Role.SPECIALIST_CONTACT, "behandler"))
    assert team == expected

    # Stays at the behandler's unit, admitted and discharged by the behandler.
    stays = list(pathway.stays.order_by("id"))
    assert [s.status for s in stays] == _STAY_STATUS[phase]
    behandler_units = set(User.objects.get(username="behandler").staff.units.all())
    assert all(stay.unit in behandler_units for stay in stays)
    assert printed["stays"] == [{"id": str(s.public_id), "unit": s.unit.name, "status": s.status}
                                for s in stays]
    assert set(pathway.events.filter(kind__in=["stay.admitted", "stay.discharged"])
               .values_list("actor__username", flat=True)) <= {"behandler"}

    # Played forward in time: every step is on the timeline, in order, none in the future.
    transitions = list(pathway.transitions.order_by("recorded_at"))
    assert transitions[-1].to_phase == phase
    assert [t.on for t in transitions] == sorted(t.on for t in transitions)
    assert all(t.on <= timezone.localdate() for t in transitions)
    assert pathway.events.filter(kind="pathway.opened").count() == 1

    # A next of kin with consent, but no logins unless asked for.
    consent = Consent.objects.get(patient=patient)
    assert consent.withdrawn_at is None and consent.next_of_kin.user is None
    assert patient.user is None
    assert "patient" not in printed["logins"] and "next_of_kin" not in printed["logins"]


def test_the_printed_logins_can_see_the_pathway(db):
    contact, pre_admission, closed = _run("contact", "pre_admission", "closed", "--logins")
    assert contact["logins"] == {
        "coordinator": "koordinator", "gp": "fastlege", "municipal_contact": "kommune",
        "nav_contact": "nav", "patient": contact["logins"]["patient"],
        "next_of_kin": contact["logins"]["next_of_kin"]}
    assert pre_admission["logins"]["treating_unit"] == "behandler"
    for case in (contact, pre_admission):
        for username in case["logins"].values():
            assert pathway_get(actor=_actor(username), public_id=case["pathway"])
    # Closed: the staff roles have ended with it; the patient and next of kin still see it.
    for role in ("patient", "next_of_kin"):
        assert pathway_get(actor=_actor(closed["logins"][role]), public_id=closed["pathway"])


def test_logins_sign_in_with_the_demo_password_and_see_only_their_own(db):
    first, second = _run("residential", "aftercare", "--logins")
    for case in (first, second):
        pathway = Pathway.objects.get(public_id=case["pathway"])
        patient_user = authenticate(username=case["logins"]["patient"], password=DEMO_PASSWORD)
        kin_user = authenticate(username=case["logins"]["next_of_kin"], password=DEMO_PASSWORD)
        assert patient_user is not None and kin_user is not None
        assert pathway.patient.user == patient_user
        assert Consent.objects.get(next_of_kin__user=kin_user).patient == pathway.patient
        assert not patient_user.is_staff and not hasattr(patient_user, "staff")
        shown = {row.pathway.pk for row in pathway_worklist(
            actor=Actor(user=patient_user, channel="cli")).rows}
        assert shown == {pathway.pk}
    assert first["logins"]["patient"] != second["logins"]["patient"]


def test_the_treating_unit_can_admit_the_planned_stay(db):
    [case] = _run("pre_admission")
    stay = Stay.objects.get(public_id=case["stays"][0]["id"])
    behandler = _actor("behandler")
    assert "unit:treating" in {b.role for b in stay.access_bases(behandler.user)}
    services.stay_admit(actor=behandler, stay=stay, on=timezone.localdate())
    assert Pathway.objects.get(public_id=case["pathway"]).phase == Phase.RESIDENTIAL


# --- unique patients ----------------------------------------------------------------------------

def test_every_patient_is_new_and_found_alone_by_name(db):
    printed = _run(*(["contact", "pre_admission", "residential", "aftercare"] * 3))
    numbers = [case["patient"]["national_id"] for case in printed]
    assert len(set(numbers)) == len(numbers)
    koordinator = _actor("koordinator")
    for case in printed:
        found = pathway_worklist(actor=koordinator, query=case["patient"]["name"]).rows
        assert [str(row.pathway.public_id) for row in found] == [case["pathway"]]


def test_unique_name_is_told_apart_by_the_worklist_search():
    taken = [("Marianne", "Bergersen"), ("Anne", "Lie"), ("Ole", "Olsen")]
    rng = random.Random(3)
    for _ in range(200):
        given, family = unique_name(rng, taken)
        for other_given, other_family in taken:
            # Neither name's search (every word in the given or family name) finds the other.
            mine = (given.casefold(), family.casefold())
            other = (other_given.casefold(), other_family.casefold())
            assert not all(any(word in part for part in other) for word in mine)
            assert not all(any(word in part for part in mine) for word in other)
        taken.append((given, family))


def test_unique_name_gives_up_when_nothing_is_left():
    # The empty name is found by every search, so every candidate collides.
    with pytest.raises(InvalidInput):
        unique_name(random.Random(1), [("", "")])
