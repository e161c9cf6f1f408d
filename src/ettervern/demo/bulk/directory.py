"""The national directory: four regions, their trusts with outpatient clinics, residential and
administrative units, about a hundred private residential units, and all 357 municipalities
with their municipal service, NAV office and GP practices; staff for every unit.

The plan is fixed by the data (ettervern.demo.data, ettervern.demo.municipalities) and the
scale; only people and numbers are drawn, with the demo's generators. Writing finds what is
already there (by kind and name, as the demo's DirectoryBuilder does) and adds only what is
missing, so it can run on a database the demo seeded, and again.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Count

from ettervern.demo import data
from ettervern.demo.bulk.scales import CASELOAD, OPEN_SHARE, Scale
from ettervern.demo.bulk.store import (
    AGREEMENT,
    ORGANISATION,
    STAFF,
    STAFF_UNIT,
    UNIT,
    USER,
    Ids,
    Writer,
)
from ettervern.demo.directory import (
    DEMO_USERNAMES,
    Directory,
    DirectoryBuilder,
    Place,
    Trust,
)
from ettervern.demo.identities import hpr_number, org_number
from ettervern.demo.municipalities import KOMMUNER, Kommune
from ettervern.directory.models import CooperationAgreement, Organisation, Region, Staff, Unit

Kind = Organisation.Kind
Profession = Staff.Profession

# How the services are sized. People: inhabitants of a catchment area or municipality.
CLINIC_PEOPLE = 150_000  # a TSB outpatient clinic per this many (at least one per trust)
RESIDENTIAL_PEOPLE = 300_000  # a trust's residential unit per this many (at least one)
GP_PEOPLE = 6_000  # a GP practice per this many (at least one per municipality)
MUNICIPAL_PEOPLE = 25_000  # a municipal follow-up worker per this many (at least two)
NAV_PEOPLE = 30_000  # a NAV advisor per this many (at least two)
PRIVATE_UNITS = 100  # residential units of private providers, the demo's included
STAYS_NOW_SHARE = 0.03  # of all pathways, admitted or about to be, at any time
STAYS_PER_CLINICIAN = 6
AGREEMENTS_FROM = dt.date(2024, 1, 1)  # as the demo's
# Oslo is one municipality but several clinics: named after districts (bydeler).
OSLO_SITES = ["Oslo", "Grorud", "Søndre Nordstrand", "Sagene", "Ullern", "Nordstrand"]

# Invented names; any likeness to a real provider or practice is accidental.
PRIVATE_STEMS = [
    "Bjørkeli", "Tindeglimt", "Lyngheim", "Myrtun", "Elvelund", "Fjellro", "Sjøglimt",
    "Vindheia", "Månelys", "Solstreif", "Furuholt", "Steinvik", "Kildeli", "Granstua",
    "Høstlys", "Vårsol", "Nordvang", "Sørtun", "Lauvhaug", "Ospelia", "Einerlund", "Reinrose",
    "Multeli", "Tyttebærlia", "Blåklokke", "Sildrevik", "Skjærgardstun", "Fossheim", "Bekkeli",
    "Åsglimt", "Heiatun", "Fjæretun", "Lysningen", "Nyvang", "Vidsyn", "Stillevik", "Linnea",
    "Kvitstein", "Rognli", "Hegglia", "Ørnereir", "Tjernli", "Vassli", "Skogsro", "Dalglimt",
    "Lomtjern", "Revehiet", "Smørblomst", "Fjellvåk", "Ekornli", "Brisletun", "Hvitveis",
    "Bølgetun", "Måketun", "Lerkeli", "Sivtjern", "Gaukeli", "Storevik", "Lauvlia", "Mosetun",
]
PRIVATE_ORG_FORMS = ["{} Behandlingssenter AS", "Stiftelsen {}", "{} Rehabilitering AS",
                     "{} Rusbehandling AS", "{} Behandlingstun AS"]
PRIVATE_UNIT_FORMS = ["{} døgnbehandling", "{} rehabiliteringstun", "{} ungdomstun",
                      "{} familieavdeling", "{} avrusning", "{} døgnavdeling"]
PRIVATE_UNITS_EACH = [2, 1, 3, 2, 1, 2]  # units per generated provider, in turn
GP_STEMS = [*data.GP_PRACTICE_STEMS,
            "Sentrum", "Torget", "Stasjonen", "Kirkebakken", "Parkveien", "Storgata",
            "Havnegata", "Brygga", "Fjordsiden", "Nordlys", "Sørbyen", "Vestbyen", "Østsiden",
            "Åsen", "Dalen", "Moen", "Haugen", "Vika", "Neset", "Holmen", "Lia", "Bakken",
            "Eikelund", "Bjørkelund", "Granlund", "Rosenlund", "Lindheim", "Solheim", "Fagerlia",
            "Kløverhagen"]
GP_FORMS = ["legesenter", "legekontor", "legepraksis"]

OrgKey = tuple[str, ...]  # (kind, name), or (kind, name, municipality) for a GP practice
UnitKey = tuple[OrgKey, str, str]  # (organisation, unit kind, unit name)


@dataclass
class OrgSpec:
    key: OrgKey
    region: str
    parent: OrgKey | None = None

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def name(self) -> str:
        return self.key[1]


@dataclass
class UnitSpec:
    key: UnitKey
    municipality_name: str
    quota: list[tuple[str, int, bool]]  # (profession, how many, has an HPR number)


@dataclass
class ClinicSpec:
    trust: str
    municipality: str
    unit: UnitKey
    residential: UnitKey
    admin: UnitKey
    people: float = 0.0


@dataclass
class PlaceSpec:
    kommune: Kommune
    organisation: OrgKey
    municipal: UnitKey
    nav: UnitKey
    gps: list[UnitKey]
    clinics: list[str]  # clinic unit names (keys of NationalDirectory.trusts)


@dataclass
class DirectoryPlan:
    orgs: list[OrgSpec] = field(default_factory=list)
    units: list[UnitSpec] = field(default_factory=list)
    clinics: dict[str, ClinicSpec] = field(default_factory=dict)  # by clinic name
    places: list[PlaceSpec] = field(default_factory=list)
    residential: list[UnitKey] = field(default_factory=list)
    private: list[UnitKey] = field(default_factory=list)

    def staff_count(self) -> int:
        return sum(count for unit in self.units for _p, count, _h in unit.quota)


def _region_of_trust() -> dict[str, str]:
    return {t.name: t.region for t in data.TRUSTS}


def national_plan(scale: Scale) -> DirectoryPlan:
    plan = DirectoryPlan()
    region_of = _region_of_trust()
    people = sum(k.population for k in KOMMUNER)
    rhfs = {region: (Kind.RHF, name) for region, name in data.RHFS.items()}
    plan.orgs += [OrgSpec(key, region) for region, key in rhfs.items()]

    # Trusts: clinics, residential units, an administration.
    catchment: dict[str, list[str]] = {}  # kommune name -> clinic names
    for spec in data.TRUSTS:
        trust_key: OrgKey = (Kind.HF, spec.name)
        plan.orgs.append(OrgSpec(trust_key, spec.region, parent=rhfs[spec.region]))
        kommuner = sorted((k for k in KOMMUNER if k.trust == spec.name),
                          key=lambda k: (-k.population, k.number))
        trust_people = sum(k.population for k in kommuner)
        wanted = max(1, round(trust_people / CLINIC_PEOPLE))
        if spec.site == "Oslo":
            sites = OSLO_SITES[:wanted]
        else:
            sites = [spec.site] + [k.name for k in kommuner
                                   if k.name != spec.site and k.population >= 15_000]
            sites = sites[:wanted]
        residential_sites = sites[:max(1, round(trust_people / RESIDENTIAL_PEOPLE))]
        residential: list[UnitKey] = [
            (trust_key, Unit.Kind.RESIDENTIAL, f"Døgnenhet rus og avhengighet {site}")
            for site in residential_sites]
        admin: UnitKey = (trust_key, Unit.Kind.ADMIN,
                          f"Administrasjon rus og avhengighet {spec.site}")
        for index, site in enumerate(sites):
            clinic_key: UnitKey = (trust_key, Unit.Kind.OUTPATIENT, f"TSB-poliklinikk {site}")
            plan.clinics[clinic_key[2]] = ClinicSpec(
                spec.name, "Oslo" if spec.site == "Oslo" else site, clinic_key,
                residential[index % len(residential)], admin)
        for unit_key, site in zip(residential, residential_sites, strict=True):
            plan.residential.append(unit_key)
            plan.units.append(UnitSpec(unit_key, "Oslo" if spec.site == "Oslo" else site, []))
        plan.units.append(UnitSpec(admin, spec.site, [(Profession.ADMIN, 1, False)]))
        # Which clinic serves which municipality: its own, else the least loaded one.
        load = {f"TSB-poliklinikk {site}": 0.0 for site in sites}
        for kommune in kommuner:
            if spec.site == "Oslo":
                names = list(load)
            elif kommune.name in sites:
                names = [f"TSB-poliklinikk {kommune.name}"]
            else:
                names = [min(load, key=lambda name: load[name])]
            for name in names:
                load[name] += kommune.population / len(names)
            catchment[kommune.name] = names
        for name, served in load.items():
            plan.clinics[name].people = served

    # Clinics' staff follow the caseload the scale gives them.
    for clinic in plan.clinics.values():
        open_here = scale.pathways * OPEN_SHARE * clinic.people / people
        coordinators = max(4, math.ceil(open_here / CASELOAD))
        plan.units.append(UnitSpec(
            clinic.unit, clinic.municipality,
            [(Profession.COORDINATOR, coordinators, True),
             (Profession.CLINICIAN, max(1, math.ceil(coordinators / 4)), True)]))

    # Private providers: the demo's, then invented ones spread over the regions by population.
    region_people: dict[str, int] = defaultdict(int)
    for kommune in KOMMUNER:
        region_people[region_of[kommune.trust]] += kommune.population
    in_region: dict[str, int] = defaultdict(int)
    for name, region, unit_names in data.PRIVATE_PROVIDERS:
        key = (Kind.PRIVATE, name)
        plan.orgs.append(OrgSpec(key, region))
        for unit_name in unit_names:
            plan.private.append((key, Unit.Kind.RESIDENTIAL, unit_name))
            plan.units.append(UnitSpec(plan.private[-1], "", []))
            in_region[region] += 1
    small = {region: sorted((k for k in KOMMUNER if region_of[k.trust] == region
                             and k.population < 20_000), key=lambda k: k.number)
             for region in Region.values}
    index = 0
    while len(plan.private) < PRIVATE_UNITS:
        stem = PRIVATE_STEMS[index % len(PRIVATE_STEMS)]
        total = len(plan.private) + 1
        region = max(Region.values, key=lambda r: region_people[r] / people * total - in_region[r])
        key = (Kind.PRIVATE, PRIVATE_ORG_FORMS[index % len(PRIVATE_ORG_FORMS)].format(stem))
        plan.orgs.append(OrgSpec(key, region))
        each = min(PRIVATE_UNITS_EACH[index % len(PRIVATE_UNITS_EACH)],
                   PRIVATE_UNITS - len(plan.private))
        for k in range(each):
            unit_name = PRIVATE_UNIT_FORMS[(index + k) % len(PRIVATE_UNIT_FORMS)].format(stem)
            plan.private.append((key, Unit.Kind.RESIDENTIAL, unit_name))
            town = small[region][(index * 11 + k) % len(small[region])].name
            plan.units.append(UnitSpec(plan.private[-1], town, []))
            in_region[region] += 1
        index += 1
    plan.residential += plan.private

    # Residential units' clinicians follow the number of stays the scale gives them.
    clinicians = max(3, math.ceil(scale.pathways * STAYS_NOW_SHARE / len(plan.residential)
                                  / STAYS_PER_CLINICIAN))
    for unit in plan.units:
        if unit.key[1] == Unit.Kind.RESIDENTIAL:
            unit.quota = [(Profession.CLINICIAN, clinicians, True)]

    # Municipalities: the municipal service, NAV, GP practices; sized by their population.
    demo_index = {m.name: i for i, m in enumerate(data.MUNICIPALITIES)}
    for kommune in KOMMUNER:
        region = region_of[kommune.trust]
        org: OrgKey = (Kind.KOMMUNE, f"{kommune.name} kommune")
        nav_org: OrgKey = (Kind.NAV, f"NAV {kommune.name}")
        plan.orgs += [OrgSpec(org, region), OrgSpec(nav_org, region)]
        municipal: UnitKey = (org, Unit.Kind.MUNICIPAL, "Rus- og psykisk helsetjeneste")
        nav: UnitKey = (nav_org, Unit.Kind.NAV, f"NAV {kommune.name}")
        plan.units += [
            UnitSpec(municipal, kommune.name, [(Profession.MUNICIPAL, max(
                2, math.ceil(kommune.population / MUNICIPAL_PEOPLE)), True)]),
            UnitSpec(nav, kommune.name, [(Profession.NAV, max(
                2, math.ceil(kommune.population / NAV_PEOPLE)), False)]),
        ]
        gps: list[UnitKey] = []
        for number, practice in enumerate(_practice_names(kommune, demo_index)):
            gp_org: OrgKey = (Kind.GP_PRACTICE, practice, kommune.name)
            plan.orgs.append(OrgSpec(gp_org, region))
            gps.append((gp_org, Unit.Kind.GP, practice))
            plan.units.append(UnitSpec(gps[-1], kommune.name,
                                       [(Profession.GP, 2 + number % 4, True)]))
        plan.places.append(PlaceSpec(kommune, org, municipal, nav, gps, catchment[kommune.name]))
    return plan


def _practice_names(kommune: Kommune, demo_index: dict[str, int]) -> list[str]:
    """The municipality's GP practices: the demo's names first where the demo has them."""
    wanted = max(1, round(kommune.population / GP_PEOPLE))
    names: list[str] = []
    if kommune.name in demo_index:
        index = demo_index[kommune.name]
        demo_count = 2 if data.MUNICIPALITIES[index].population >= 50 else 1
        stems = data.GP_PRACTICE_STEMS
        names += [f"{stems[(index * 2 + k) % len(stems)]} legesenter" for k in range(demo_count)]
    offset = int(kommune.number) % len(GP_STEMS)
    candidates = (f"{GP_STEMS[(offset + k) % len(GP_STEMS)]} {form}"
                  for form in GP_FORMS for k in range(len(GP_STEMS)))
    for name in candidates:
        if len(names) >= wanted:
            break
        if name not in names:
            names.append(name)
    return names


# --- writing ---------------------------------------------------------------------------------

def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class DirectoryWriter:
    """Finds what exists and writes the rest of the plan in bulk."""

    def __init__(self, plan: DirectoryPlan, rng: random.Random, writer: Writer, ids: Ids,
                 now: dt.datetime) -> None:
        self.plan, self.rng, self.writer, self.ids, self.now = plan, rng, writer, ids, now
        self.people = DirectoryBuilder(rng)  # the demo's names, usernames and numbers in use

    def _base(self, table: Any) -> tuple[int, uuid.UUID, dt.datetime, dt.datetime, int]:
        return (self.ids.next(table), _uuid(self.rng), self.now, self.now, 1)

    def write(self) -> int:
        orgs = existing_organisations()
        org_rows = []
        for spec in self.plan.orgs:
            if spec.key in orgs:
                continue
            row_id, *base = self._base(ORGANISATION)
            parent = orgs[spec.parent] if spec.parent else None
            org_rows.append((row_id, *base, spec.kind, spec.name,
                             org_number(self.rng, self.people.org_numbers), "", spec.region,
                             parent))
            orgs[spec.key] = row_id
        units = existing_units()
        unit_rows = []
        for unit in self.plan.units:
            org_key, kind, name = unit.key
            key = (orgs[org_key], kind, name)
            if key in units:
                continue
            row_id, *base = self._base(UNIT)
            unit_rows.append((row_id, *base, orgs[org_key], kind, name, unit.municipality_name))
            units[key] = row_id
        agreements = set(CooperationAgreement.objects.values_list(
            "trust_id", "municipality_id", "valid_from"))
        agreement_rows = []
        trusts = {t.name: orgs[(Kind.HF, t.name)] for t in data.TRUSTS}
        for place in self.plan.places:
            agreement = (trusts[place.kommune.trust], orgs[place.organisation], AGREEMENTS_FROM)
            if agreement not in agreements:
                agreement_rows.append((*self._base(AGREEMENT), *agreement, None))
        user_rows, staff_rows, link_rows = self._staff(orgs, units)
        written = 0
        for table, rows in ((ORGANISATION, org_rows), (UNIT, unit_rows),
                            (AGREEMENT, agreement_rows), (USER, user_rows), (STAFF, staff_rows),
                            (STAFF_UNIT, link_rows)):
            written += self.writer.write(table, rows)
        return written

    def _staff(self, orgs: dict[OrgKey, int], units: dict[tuple[int, str, str], int],
               ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        have = {(row["unit_id"], row["staff__profession"]): row["n"] for row in (
            Staff.units.through.objects.exclude(staff__user__username__in=DEMO_USERNAMES)
            .values("unit_id", "staff__profession").annotate(n=Count("id")))}
        users, staff, links = [], [], []
        for unit in self.plan.units:
            org_key, kind, name = unit.key
            unit_id = units[(orgs[org_key], kind, name)]
            for profession, count, hpr in unit.quota:
                for _ in range(count - have.get((unit_id, profession), 0)):
                    given, family = self.people.person_name()
                    user_id = self.ids.next(USER)
                    users.append((user_id, make_password(None), None, False,
                                  self.people.username(given, family), given, family, "",
                                  False, True, self.now))
                    staff_id, *base = self._base(STAFF)
                    staff.append((staff_id, *base, user_id, f"{given} {family}",
                                  hpr_number(self.rng, self.people.hpr_numbers) if hpr else "",
                                  profession))
                    links.append((self.ids.next(STAFF_UNIT), staff_id, unit_id))
        return users, staff, links


def existing_organisations() -> dict[OrgKey, int]:
    """Organisations by plan key; the oldest of namesakes, as the demo's builder finds them."""
    found: dict[OrgKey, int] = {}
    rows = Organisation.objects.order_by("id").values_list("id", "kind", "name")
    for org_id, kind, name in rows:
        if kind != Kind.GP_PRACTICE:
            found.setdefault((kind, name), org_id)
    practices = (Unit.objects.filter(organisation__kind=Kind.GP_PRACTICE)
                 .order_by("organisation_id")
                 .values_list("organisation_id", "organisation__name", "municipality_name"))
    for org_id, name, municipality in practices:
        found.setdefault((Kind.GP_PRACTICE, name, municipality), org_id)
    return found


def existing_units() -> dict[tuple[int, str, str], int]:
    found: dict[tuple[int, str, str], int] = {}
    for unit_id, org_id, kind, name in Unit.objects.order_by("id").values_list(
            "id", "organisation_id", "kind", "name"):
        found.setdefault((org_id, kind, name), unit_id)
    return found


# --- reading it back for the stories ---------------------------------------------------------

@dataclass(frozen=True)
class Person:
    """A staff member as rows name them: the audit log and the timeline."""

    staff_id: int
    user_id: int
    name: str
    organisation: str  # of the home unit (the first one), as Actor.identity gives it
    unit: str  # the home unit's name, as Actor.unit_name gives it
    unit_id: int
    organisation_id: int


@dataclass
class NationalDirectory(Directory):
    people: dict[int, Person] = field(default_factory=dict)  # by staff id
    members: dict[int, list[int]] = field(default_factory=dict)  # unit id -> staff ids
    member_sets: dict[int, set[int]] = field(default_factory=dict)
    units: dict[int, Unit] = field(default_factory=dict)
    _clinicians: dict[int, list[Staff]] = field(default_factory=dict)

    def clinicians_at(self, unit: Unit) -> list[Staff]:
        return self._clinicians.get(unit.id, [])


def load_directory(plan: DirectoryPlan) -> NationalDirectory:
    orgs_by_id = {o.pk: o for o in Organisation.objects.all()}
    org_ids = existing_organisations()
    units_by_id: dict[int, Unit] = {}
    for unit in Unit.objects.all():
        unit.organisation = orgs_by_id[unit.organisation_id]
        units_by_id[unit.pk] = unit
    unit_ids = existing_units()

    def unit_at(key: UnitKey) -> Unit:
        org_key, kind, name = key
        return units_by_id[unit_ids[(org_ids[org_key], kind, name)]]

    demo_users = set(get_user_model().objects.filter(username__in=DEMO_USERNAMES)
                     .values_list("id", flat=True))
    staff_by_id = {s.pk: s for s in Staff.objects.only("id", "user_id", "name", "profession")}
    links = sorted(Staff.units.through.objects.values_list("staff_id", "unit_id"))
    directory = NationalDirectory(units=units_by_id)
    by_unit: dict[tuple[int, str], list[Staff]] = defaultdict(list)
    for staff_id, unit_id in links:
        person = staff_by_id[staff_id]
        directory.members.setdefault(unit_id, []).append(staff_id)
        if staff_id not in directory.people:
            home = units_by_id[unit_id]
            directory.people[staff_id] = Person(staff_id, person.user_id, person.name,
                                                home.organisation.name, home.name, home.pk,
                                                home.organisation_id)
        if person.user_id not in demo_users:
            by_unit[(unit_id, person.profession)].append(person)

    directory.member_sets = {unit_id: set(ids) for unit_id, ids in directory.members.items()}

    def staff(key: UnitKey, profession: str) -> list[Staff]:
        return by_unit[(unit_at(key).pk, profession)]

    for name, clinic in plan.clinics.items():
        clinic_unit = unit_at(clinic.unit)
        directory.trusts[name] = Trust(
            organisation=clinic_unit.organisation, clinic=clinic_unit,
            residential=unit_at(clinic.residential), admin_unit=unit_at(clinic.admin),
            coordinators=staff(clinic.unit, Profession.COORDINATOR),
            clinic_clinicians=staff(clinic.unit, Profession.CLINICIAN),
        )
    for key in plan.residential:
        residential = unit_at(key)
        clinicians = staff(key, Profession.CLINICIAN)
        directory.residential.append((residential, residential.organisation.region, clinicians))
        directory._clinicians[residential.pk] = clinicians
    directory.private_units = [unit_at(key) for key in plan.private]
    trusts = {t.name: orgs_by_id[org_ids[(Kind.HF, t.name)]] for t in data.TRUSTS}
    for spec in plan.places:
        directory.places.append(Place(
            name=spec.kommune.name, weight=float(spec.kommune.population),
            municipality=orgs_by_id[org_ids[spec.organisation]],
            trust=trusts[spec.kommune.trust],
            municipal_staff=staff(spec.municipal, Profession.MUNICIPAL),
            nav_staff=staff(spec.nav, Profession.NAV),
            gp_staff=[gp for key in spec.gps for gp in staff(key, Profession.GP)],
            catchments=spec.clinics,
        ))
    return directory
