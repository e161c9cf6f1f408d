"""The synthetic directory: regions, trusts, private providers, municipalities, NAV, GPs, staff.

Idempotent: organisations are found by kind and name (GP practices also by municipality) and
created only when missing; each unit is topped up to its staff quota, never beyond. Running
the seed twice therefore reuses the directory and only adds patients.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from ettervern.demo import data
from ettervern.demo.identities import hpr_number, org_number
from ettervern.directory.models import CooperationAgreement, Organisation, Staff, Unit

# Demo logins are curated by the demo command; the random population leaves them alone.
DEMO_USERNAMES = ("koordinator", "behandler", "kommune", "nav", "fastlege", "pasient",
                  "parorende", "admin", "sengepost")

# Staff quota per unit kind: (profession, how many, has an HPR number).
_QUOTAS: dict[str, list[tuple[str, int, bool]]] = {
    Unit.Kind.OUTPATIENT: [(Staff.Profession.COORDINATOR, 4, True),
                           (Staff.Profession.CLINICIAN, 1, True)],
    Unit.Kind.RESIDENTIAL: [(Staff.Profession.CLINICIAN, 3, True)],
    Unit.Kind.ADMIN: [(Staff.Profession.ADMIN, 1, False)],
    Unit.Kind.MUNICIPAL: [(Staff.Profession.MUNICIPAL, 2, True)],
    Unit.Kind.NAV: [(Staff.Profession.NAV, 2, False)],
    Unit.Kind.GP: [(Staff.Profession.GP, 2, True)],
}


@dataclass
class Place:
    """A municipality with the services a patient living there meets."""

    name: str
    weight: float
    municipality: Organisation
    trust: Organisation
    municipal_staff: list[Staff]
    nav_staff: list[Staff]
    gp_staff: list[Staff]
    # Keys into Directory.trusts of the outpatient clinics serving the place, when a trust has
    # more than one (the national directory); empty: the trust's one clinic, by its name.
    catchments: list[str] = field(default_factory=list)


@dataclass
class Trust:
    organisation: Organisation
    clinic: Unit  # TSB outpatient clinic: coordinates pathways
    residential: Unit
    admin_unit: Unit
    coordinators: list[Staff]
    clinic_clinicians: list[Staff]


@dataclass
class Directory:
    trusts: dict[str, Trust] = field(default_factory=dict)  # by organisation name
    places: list[Place] = field(default_factory=list)
    # Every residential unit (trusts' and private providers'), with its clinicians and region.
    residential: list[tuple[Unit, str, list[Staff]]] = field(default_factory=list)
    private_units: list[Unit] = field(default_factory=list)

    def clinicians_at(self, unit: Unit) -> list[Staff]:
        for candidate, _region, staff in self.residential:
            if candidate.pk == unit.pk:
                return staff
        return []

    def trust_for(self, place: Place, rng: random.Random) -> Trust:
        """The clinic (with its trust's units and staff) that serves a patient from `place`."""
        if place.catchments:
            return self.trusts[rng.choice(place.catchments)]
        return self.trusts[place.trust.name]


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text if ch.isalnum())


class DirectoryBuilder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.org_numbers = set(Organisation.objects.values_list("org_number", flat=True))
        self.hpr_numbers = set(
            Staff.objects.exclude(hpr_number="").values_list("hpr_number", flat=True)
        )
        self.usernames = set(get_user_model().objects.values_list("username", flat=True))

    # --- building blocks ---------------------------------------------------------------

    def organisation(self, kind: str, name: str, *, region: str = "",
                     parent: Organisation | None = None) -> Organisation:
        org = Organisation.objects.filter(kind=kind, name=name).order_by("id").first()
        if org is None:
            org = Organisation.objects.create(
                kind=kind, name=name, region=region, parent=parent,
                org_number=org_number(self.rng, self.org_numbers),
            )
        return org

    def unit(self, org: Organisation, kind: str, name: str, municipality_name: str = "") -> Unit:
        unit, _created = Unit.objects.get_or_create(
            organisation=org, kind=kind, name=name,
            defaults={"municipality_name": municipality_name},
        )
        return unit

    def person_name(self) -> tuple[str, str]:
        return self.rng.choice(data.GIVEN_NAMES), self.rng.choice(data.FAMILY_NAMES)

    def username(self, given: str, family: str) -> str:
        stem = f"{_ascii(given)}.{_ascii(family)}"
        candidate, n = stem, 1
        while candidate in self.usernames:
            n += 1
            candidate = f"{stem}{n}"
        self.usernames.add(candidate)
        return candidate

    def new_staff(self, unit: Unit, profession: str, *, hpr: bool) -> Staff:
        given, family = self.person_name()
        # No usable password: the population signs in only through the demo logins.
        user = get_user_model().objects.create_user(
            username=self.username(given, family), password=None,
            first_name=given, last_name=family,
        )
        person = Staff.objects.create(
            user=user, name=f"{given} {family}", profession=profession,
            hpr_number=hpr_number(self.rng, self.hpr_numbers) if hpr else "",
        )
        person.units.add(unit)
        return person

    def staff(self, unit: Unit) -> dict[str, list[Staff]]:
        """The unit's staff by profession, topped up to the quota (demo logins excluded)."""
        result: dict[str, list[Staff]] = {}
        for profession, count, hpr in _QUOTAS[unit.kind]:
            existing = list(
                unit.staff.filter(profession=profession)
                .exclude(user__username__in=DEMO_USERNAMES).order_by("id")
            )
            while len(existing) < count:
                existing.append(self.new_staff(unit, profession, hpr=hpr))
            result[profession] = existing
        return result

    # --- the directory -----------------------------------------------------------------

    def build(self) -> Directory:
        directory = Directory()
        rhfs = {region: self.organisation(Organisation.Kind.RHF, name, region=region)
                for region, name in data.RHFS.items()}
        for spec in data.TRUSTS:
            org = self.organisation(Organisation.Kind.HF, spec.name, region=spec.region,
                                    parent=rhfs[spec.region])
            clinic = self.unit(org, Unit.Kind.OUTPATIENT, f"TSB-poliklinikk {spec.site}",
                               spec.site)
            residential = self.unit(org, Unit.Kind.RESIDENTIAL,
                                    f"Døgnenhet rus og avhengighet {spec.site}", spec.site)
            admin_unit = self.unit(org, Unit.Kind.ADMIN,
                                   f"Administrasjon rus og avhengighet {spec.site}", spec.site)
            clinic_staff = self.staff(clinic)
            clinicians = self.staff(residential)[Staff.Profession.CLINICIAN]
            self.staff(admin_unit)
            directory.trusts[spec.name] = Trust(
                organisation=org, clinic=clinic, residential=residential, admin_unit=admin_unit,
                coordinators=clinic_staff[Staff.Profession.COORDINATOR],
                clinic_clinicians=clinic_staff[Staff.Profession.CLINICIAN],
            )
            directory.residential.append((residential, spec.region, clinicians))

        for name, region, unit_names in data.PRIVATE_PROVIDERS:
            org = self.organisation(Organisation.Kind.PRIVATE, name, region=region)
            for unit_name in unit_names:
                unit = self.unit(org, Unit.Kind.RESIDENTIAL, unit_name)
                clinicians = self.staff(unit)[Staff.Profession.CLINICIAN]
                directory.residential.append((unit, region, clinicians))
                directory.private_units.append(unit)

        stems = data.GP_PRACTICE_STEMS
        for index, muni in enumerate(data.MUNICIPALITIES):
            trust = directory.trusts[muni.trust]
            region = trust.organisation.region
            kommune = self.organisation(Organisation.Kind.KOMMUNE, f"{muni.name} kommune",
                                        region=region)
            municipal = self.unit(kommune, Unit.Kind.MUNICIPAL, "Rus- og psykisk helsetjeneste",
                                  muni.name)
            nav_org = self.organisation(Organisation.Kind.NAV, f"NAV {muni.name}", region=region)
            nav = self.unit(nav_org, Unit.Kind.NAV, f"NAV {muni.name}", muni.name)
            gp_staff: list[Staff] = []
            practices = 2 if muni.population >= 50 else 1
            for k in range(practices):
                practice = f"{stems[(index * 2 + k) % len(stems)]} legesenter"
                gp_org = (Organisation.objects
                          .filter(kind=Organisation.Kind.GP_PRACTICE, name=practice,
                                  units__municipality_name=muni.name).order_by("id").first())
                if gp_org is None:
                    gp_org = Organisation.objects.create(
                        kind=Organisation.Kind.GP_PRACTICE, name=practice, region=region,
                        org_number=org_number(self.rng, self.org_numbers),
                    )
                gp_unit = self.unit(gp_org, Unit.Kind.GP, practice, muni.name)
                gp_staff += self.staff(gp_unit)[Staff.Profession.GP]
            CooperationAgreement.objects.get_or_create(
                trust=trust.organisation, municipality=kommune, valid_from=dt.date(2024, 1, 1),
            )
            directory.places.append(Place(
                name=muni.name, weight=muni.population ** 0.7, municipality=kommune,
                trust=trust.organisation,
                municipal_staff=self.staff(municipal)[Staff.Profession.MUNICIPAL],
                nav_staff=self.staff(nav)[Staff.Profession.NAV], gp_staff=gp_staff,
            ))
        return directory


def build_directory(rng: random.Random) -> Directory:
    return DirectoryBuilder(rng).build()
