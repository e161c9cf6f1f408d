"""Fresh pathways in a known state, made on demand in the demo database (demo mode only).

The browser tests share one demo server, so no test may rely on the seeded population or on
what another test changed. Each test asks for the pathway it needs instead
(`ettervern demo_scenario PHASE`, see tests/e2e/README.md): a new synthetic patient whose
pathway is played forward in time through pathways.services by the demo logins, exactly as the
demo's own curated pathways are:

- coordinated by `koordinator` at their TSB outpatient clinic;
- `fastlege`, `kommune` and `nav` on the care team;
- from pre-admission on, the stay is at `behandler`'s residential unit, and `behandler` (who
  admits and discharges it) is the specialist contact from the admission;
- a next of kin with the patient's consent to see the pathway;
- with `logins=True`, the patient and that next of kin can also sign in, as new users named
  `pasient-…` and `parorende-…` with the demo password.

The patient's name is unique in the way the worklist searches (every word of the name in the
given or family name): searching for it finds this patient only, and no other patient's name
finds this one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ettervern.core.errors import Forbidden, InvalidInput
from ettervern.demo import data
from ettervern.demo.directory import Place
from ettervern.demo.identities import birth_date, national_id
from ettervern.demo.logins import DEMO_PASSWORD
from ettervern.demo.population import Cast, PathwayPlayer, Person
from ettervern.directory.models import Staff, Unit
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Consent, NextOfKin, Patient

# The states a scenario can leave a pathway in: one per phase.
SCENARIOS: tuple[str, ...] = tuple(Phase.values)
_STAFF_LOGINS = ("koordinator", "behandler", "kommune", "nav", "fastlege")
_NAME_ATTEMPTS = 1000
# When the one stay starts, from today: planned in two weeks, ongoing for a month, or over
# (admitted 100 days ago, discharged after 40 days; the closed pathway ended 10 days ago).
_STAY_STARTS_IN_DAYS: dict[str, int] = {Phase.PRE_ADMISSION: 14, Phase.RESIDENTIAL: -30,
                                        Phase.AFTERCARE: -100, Phase.CLOSED: -100}


@dataclass
class Scenario:
    """What a test needs to know about the pathway it was given (printed as JSON)."""

    name: str
    pathway: Pathway
    patient: Patient
    stays: list[Stay]
    logins: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "phase": self.pathway.phase,
            "pathway": str(self.pathway.public_id),
            "url": f"/forlop/{self.pathway.public_id}/",
            "patient": {
                "id": str(self.patient.public_id),
                "name": self.patient.full_name,
                "given_name": self.patient.given_name,
                "family_name": self.patient.family_name,
                "national_id": self.patient.national_id,
            },
            "stays": [{"id": str(stay.public_id), "unit": stay.unit.name, "status": stay.status}
                      for stay in self.stays],
            "logins": self.logins,
        }


def _finds(query: tuple[str, str], name: tuple[str, str]) -> bool:
    """Whether the worklist's name search for `query` finds a patient called `name`."""
    given, family = name[0].casefold(), name[1].casefold()
    return all(word.casefold() in given or word.casefold() in family for word in query)


def unique_name(rng: random.Random, taken: list[tuple[str, str]]) -> tuple[str, str]:
    """A synthetic (given, family) name that the worklist search tells apart from `taken`."""
    for _attempt in range(_NAME_ATTEMPTS):
        name = (rng.choice(data.GIVEN_NAMES), rng.choice(data.FAMILY_NAMES))
        if not any(_finds(name, other) or _finds(other, name) for other in taken):
            return name
    raise InvalidInput("No unique synthetic name is left; start the demo on a fresh database.")


class ScenarioBuilder:
    def __init__(self, rng: random.Random | None = None) -> None:
        if not settings.DEMO:
            raise Forbidden("Scenarios exist only in demo mode (ETTERVERN_DEMO=1).")
        self.rng = rng or random.Random()  # noqa: S311 - synthetic data, not security
        self.today = timezone.localdate()
        staff = {s.user.username: s for s in
                 Staff.objects.filter(user__username__in=_STAFF_LOGINS).select_related("user")}
        missing = sorted(set(_STAFF_LOGINS) - set(staff))
        if missing:
            raise InvalidInput(f"The demo logins {', '.join(missing)} are missing: run "
                               "`ettervern demo` on this database first.")
        self.staff = staff
        self.clinic = self._unit("koordinator", Unit.Kind.OUTPATIENT)
        self.stay_unit = self._unit("behandler", Unit.Kind.RESIDENTIAL)
        municipal_unit = self._unit("kommune", Unit.Kind.MUNICIPAL)
        self.place = Place(
            name=municipal_unit.municipality_name, weight=1.0,
            municipality=municipal_unit.organisation, trust=self.clinic.organisation,
            municipal_staff=[staff["kommune"]], nav_staff=[staff["nav"]],
            gp_staff=[staff["fastlege"]],
        )
        self.player = PathwayPlayer(self.rng, {}, self.today, self._clinicians)

    def _unit(self, username: str, kind: str) -> Unit:
        unit = self.staff[username].units.filter(kind=kind).select_related("organisation") \
            .order_by("id").first()
        if unit is None:
            raise InvalidInput(f"The demo login {username} has no unit of kind {kind}.")
        return unit

    def _clinicians(self, unit: Unit) -> list[Staff]:
        return [self.staff["behandler"]] if unit.pk == self.stay_unit.pk else []

    def _cast(self) -> Cast:
        return Cast(
            coordinator=self.staff["koordinator"], clinic=self.clinic,
            place=self.place,
            stay_units=[self.stay_unit, self.stay_unit], gp=self.staff["fastlege"],
            municipal=self.staff["kommune"], nav=self.staff["nav"],
            specialist=self.staff["behandler"], complete=True,
        )

    @staticmethod
    def _numbers_in_use() -> set[str]:
        used = set(Patient.objects.values_list("national_id", flat=True))
        return used | set(NextOfKin.objects.exclude(national_id="")
                          .values_list("national_id", flat=True))

    def _person(self) -> Person:
        used = self._numbers_in_use()
        taken = list(Patient.objects.values_list("given_name", "family_name"))
        given, family = unique_name(self.rng, taken)
        return Person(national_id(self.rng, birth_date(self.rng, self.today), used),
                      given, family)

    def build(self, name: str, *, logins: bool = False) -> Scenario:
        if name not in SCENARIOS:
            raise InvalidInput(f"Unknown scenario {name!r}; choose one of {', '.join(SCENARIOS)}.")
        # Hashing is slow: done before the transaction, which keeps SQLite's write lock.
        password = make_password(DEMO_PASSWORD) if logins else None
        with transaction.atomic():
            pathway = self._play(name, self._cast(), self._person())
            patient = Patient.objects.get(pk=pathway.patient_id)
            kin = self._next_of_kin(pathway, patient)
            result = Scenario(name, pathway, patient, list(pathway.stays.order_by("id")))
            result.logins = self._logins(pathway)
            if password is not None:
                suffix = pathway.public_id.hex[:8]
                patient.user = self._user(f"pasient-{suffix}", patient.given_name,
                                          patient.family_name, password)
                patient.save(update_fields=["user"])
                given, family = kin.name.split(" ", 1)
                kin.user = self._user(f"parorende-{suffix}", given, family, password)
                kin.save(update_fields=["user"])
                result.logins.update(patient=patient.user.username,
                                     next_of_kin=kin.user.username)
        return result

    def _play(self, name: str, cast: Cast, person: Person) -> Pathway:
        days, today, player = dt.timedelta, self.today, self.player
        player._last = None
        if name == Phase.CONTACT:
            # A first contact a week ago, no referral yet; the whole team is already known.
            pathway = player._open(cast, person, referral_on=None,
                                   first_contact_on=today - days(7))
            with player.on(today - days(6)):
                player._team(pathway, cast, cast.municipal, CareTeamMember.Role.MUNICIPAL_CONTACT)
                player._team(pathway, cast, cast.nav, CareTeamMember.Role.NAV_CONTACT)
            pathway.refresh_from_db()
            return pathway
        # Referral, pre-admission (municipal and NAV contacts join), one planned stay.
        start = today + days(_STAY_STARTS_IN_DAYS[name])
        pathway = player._open(cast, person, referral_on=start - days(40))
        pathway = player._to_pre_admission(pathway, cast, start - days(25))
        stay = player._plan(pathway, cast, self.stay_unit, start - days(25), start, 42)
        if name != Phase.PRE_ADMISSION:
            player._admit(stay, cast, start, first=True)  # the behandler joins the team
        if name in (Phase.AFTERCARE, Phase.CLOSED):
            player._discharge(stay, cast, start + days(40), last=True)
        if name == Phase.CLOSED:
            with player.on(today - days(10)):
                services.pathway_transition(
                    actor=player.actor(cast.coordinator), pathway=pathway,
                    to_phase=Phase.CLOSED, on=today - days(10),
                    note="Avsluttet etter ettervern i poliklinikken.")
        pathway.refresh_from_db()
        return pathway

    def _next_of_kin(self, pathway: Pathway, patient: Patient) -> NextOfKin:
        used = self._numbers_in_use()
        kin = NextOfKin.objects.create(
            patient=patient, name=f"{self.rng.choice(data.GIVEN_NAMES)} {patient.family_name}",
            relation=self.rng.choice(data.NEXT_OF_KIN_RELATIONS),
            national_id=national_id(self.rng, birth_date(self.rng, self.today), used),
        )
        Consent.objects.create(patient=patient, next_of_kin=kin, kind="pathway",
                               given_at=pathway.opened_at,
                               valid_from=timezone.localdate(pathway.opened_at),
                               recorded_as=Consent.RecordedAs.CLINICIAN)
        return kin

    def _logins(self, pathway: Pathway) -> dict[str, str]:
        """The demo staff logins with a role on the pathway, by role."""
        result = {"coordinator": pathway.coordinator.user.username}  # type: ignore[union-attr]
        for member in pathway.team.filter(ended_at__isnull=True).select_related("staff__user"):
            result[member.role] = member.staff.user.username
        if pathway.stays.filter(unit=self.stay_unit,
                                status__in=[Stay.Status.PLANNED, Stay.Status.ONGOING]).exists():
            result["treating_unit"] = self.staff["behandler"].user.username
        return result

    @staticmethod
    def _user(username: str, given: str, family: str, password: str) -> Any:
        user = get_user_model()(username=username, first_name=given, last_name=family,
                                password=password)
        user.save()
        return user


def build_scenarios(names: list[str], *, logins: bool = False,
                    rng: random.Random | None = None) -> list[Scenario]:
    """Each named scenario on a new patient, in order. Demo mode only."""
    builder = ScenarioBuilder(rng)
    return [builder.build(name, logins=logins) for name in names]
