"""The demo's stories, recorded as the rows the services would write.

PathwayRecorder is a PathwayStory (ettervern.demo.population): the same random draws, dates
and steps as the seed through the services. Each step here writes what the service of that
name writes: the audit record of the access decision (with the basis the access policy would
give, computed by access.policy.permitted over the bases the step's actor holds), the changed
rows with their versions and timestamps, the phase transitions and the timeline events, at the
moment the story's clock shows. Rows are tuples in the order of ettervern.demo.bulk.store.

It also notes, per pathway, who held which basis from when to when (Grant), so the reads
added afterwards (reads.py) are made only by people who could have made them.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ettervern.access import policy
from ettervern.access.policy import Basis
from ettervern.core.identifiers import DNR, FNR
from ettervern.demo import data
from ettervern.demo.bulk.directory import NationalDirectory, Person
from ettervern.demo.bulk.scales import HISTORY_DAYS
from ettervern.demo.bulk.store import (
    AUDIT,
    CONSENT,
    EVENT,
    HANDOVER,
    MEMBER,
    NEXT_OF_KIN,
    PATHWAY,
    PATIENT,
    STAY,
    TRANSITION,
    Ids,
    Table,
)
from ettervern.demo.identities import birth_date, national_id
from ettervern.demo.population import (
    CLOSED,
    REFERRAL,
    Cast,
    PathwayStory,
    PopulationBuilder,
)
from ettervern.demo.population import Person as Who
from ettervern.directory.models import Staff, Unit
from ettervern.pathways import team
from ettervern.pathways.models import Stay
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Consent, NextOfKin

# The staff roles of pathways.team, in the order bases_for lists them (the first one that
# permits an action is the basis the audit log records).
ROLE_ORDER: tuple[str, ...] = tuple(role for role in team.ROLE_ORDER
                                    if role not in team.PERSONAL_ROLES)
RANK = {role: index for index, role in enumerate(ROLE_ORDER)}
CLI = "cli"


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class Grant:
    """A basis someone held on a pathway: one staff member (staff > 0) or everyone at a unit
    (unit > 0), from `start` until `end` (None: still)."""

    role: str
    start: dt.datetime
    staff: int = 0
    unit: int = 0
    end: dt.datetime | None = None


@dataclass
class PatientRec:
    id: int
    national_id: str
    given_name: str
    family_name: str
    municipality_id: int | None


@dataclass
class PathwayRec:
    id: int
    public_id: uuid.UUID
    patient: PatientRec
    clinic: Unit
    coordinator: Staff
    first_contact_on: dt.date | None
    referral_received_on: dt.date | None
    referrer: str
    opened_at: dt.datetime
    phase: str = Phase.CONTACT
    note: str = ""
    closed_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    version: int = 1
    stays: list[StayRec] = field(default_factory=list)
    team: list[MemberRec] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def coordinating_unit_id(self) -> int:
        return int(self.clinic.id)

    @property
    def started_on(self) -> dt.date:
        return min(d for d in (self.first_contact_on, self.referral_received_on) if d)

    def row(self) -> tuple[Any, ...]:
        return (self.id, self.public_id, self.opened_at, self.updated_at or self.opened_at,
                self.version, self.patient.id, self.phase, self.clinic.pk, self.coordinator.pk,
                self.first_contact_on, self.referral_received_on, self.referrer, self.note,
                self.opened_at, self.closed_at)


@dataclass
class StayRec:
    id: int
    public_id: uuid.UUID
    pathway: PathwayRec
    unit: Unit
    planned_start: dt.date
    planned_end: dt.date | None
    created_at: dt.datetime
    status: str = Stay.Status.PLANNED
    admitted_on: dt.date | None = None
    discharged_on: dt.date | None = None
    cancel_reason: str = ""
    updated_at: dt.datetime | None = None
    version: int = 1
    grant: Grant | None = None

    def row(self) -> tuple[Any, ...]:
        return (self.id, self.public_id, self.created_at, self.updated_at or self.created_at,
                self.version, self.pathway.id, self.unit.pk, self.status, self.planned_start,
                self.planned_end, self.admitted_on, self.discharged_on, self.cancel_reason,
                Stay.Kind.RESIDENTIAL.value)


@dataclass
class MemberRec:
    id: int
    public_id: uuid.UUID
    pathway: PathwayRec
    staff: Staff
    role: str
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    version: int = 1
    grant: Grant | None = None

    def row(self) -> tuple[Any, ...]:
        return (self.id, self.public_id, self.started_at, self.ended_at or self.started_at,
                self.version, self.pathway.id, self.staff.pk, self.role, self.started_at,
                self.ended_at)


class PathwayRecorder(PathwayStory):
    """Plays the demo's stories and records the rows of every step."""

    def __init__(self, rng: random.Random, today: dt.date, now: dt.datetime,
                 directory: NationalDirectory, ids: Ids, national_ids: set[str]) -> None:
        super().__init__(rng, today, directory.clinicians_at)
        self._now = now
        self.clock = now
        self.directory = directory
        self.ids = ids
        self.national_ids = national_ids
        self.rows: dict[Table, list[tuple[Any, ...]]] = {table: [] for table in (
            PATIENT, NEXT_OF_KIN, CONSENT, TRANSITION, HANDOVER, EVENT, AUDIT)}
        self.patients: dict[str, PatientRec] = {}
        self.pathways: list[PathwayRec] = []
        self.births: dict[str, dt.date] = {}

    # --- time ---------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return self._now

    @contextmanager
    def at(self, moment: dt.datetime) -> Iterator[None]:
        self.clock = moment
        yield

    # --- what every step writes -------------------------------------------------------------

    def _person(self, staff: Staff) -> Person:
        return self.directory.people[staff.id]

    def _bases(self, pathway: PathwayRec, staff: Staff, stay: StayRec | None = None,
               ) -> list[Basis]:
        """The bases `staff` holds on the pathway (or one stay of it) now, in bases_for's
        order; for a stay, the treating-unit basis counts for that stay's unit only
        (pathways.team.stay_bases_for)."""
        staff_id = staff.id
        member_sets = self.directory.member_sets
        held = {g.role for g in pathway.grants if g.end is None and (
            g.staff == staff_id or (g.unit and staff_id in member_sets.get(g.unit, ())))}
        if stay is not None:
            held.discard("unit:treating")
        bases = [Basis(role) for role in ROLE_ORDER if role in held]
        if (stay is not None and pathway.is_open and stay.status in (
                Stay.Status.PLANNED, Stay.Status.ONGOING)
                and staff_id in member_sets.get(stay.unit.id, ())):
            bases.append(Basis("unit:treating"))
        return bases

    def _members(self, unit_id: int) -> list[int]:
        return self.directory.members.get(unit_id, [])

    def _audit(self, pathway: PathwayRec, staff: Staff, action: str, *,
               stay: StayRec | None = None, obj: tuple[str, str] | None = None) -> None:
        """access.policy.require: the record of an allowed access, with its basis."""
        basis = policy.permitted(self._bases(pathway, staff, stay), action)
        if basis is None:  # the story never asks for what the policy would refuse
            raise RuntimeError(f"{staff} may not {action} on pathway {pathway.id}")
        if obj is None:
            obj = ("Stay", str(stay.public_id)) if stay is not None \
                else ("Pathway", str(pathway.public_id))
        person = self._person(staff)
        self.rows[AUDIT].append((
            self.ids.next(AUDIT), self.clock, person.user_id, person.name, person.organisation,
            pathway.patient.id, pathway.id, action, obj[0], obj[1], CLI, "allowed", str(basis),
            None))

    def _event(self, pathway: PathwayRec, staff: Staff, kind: str, **values: Any) -> None:
        """pathways.events.record_event."""
        person = self._person(staff)
        self.rows[EVENT].append((
            self.ids.next(EVENT), pathway.id, self.clock, person.user_id, person.name,
            person.unit, kind, {key: str(value) for key, value in values.items()}))

    def _transition(self, pathway: PathwayRec, staff: Staff, to_phase: str, on: dt.date,
                    note: str = "") -> None:
        """pathways.services._record_transition."""
        from_phase = pathway.phase
        self.rows[TRANSITION].append((
            self.ids.next(TRANSITION), pathway.id, from_phase, to_phase, on, self.clock,
            self._person(staff).user_id, note))
        pathway.phase = to_phase
        if to_phase == Phase.CLOSED:
            pathway.closed_at = self.clock
            self._close_grants(pathway)
        self._bump(pathway)
        self._event(pathway, staff, "phase.changed", from_phase=from_phase, to_phase=to_phase,
                    on=on)

    def _bump(self, rec: PathwayRec | StayRec | MemberRec) -> None:
        """core.models.update_versioned."""
        rec.version += 1
        if not isinstance(rec, MemberRec):
            rec.updated_at = self.clock

    def _grant(self, pathway: PathwayRec, role: str, *, staff: int = 0, unit: int = 0) -> Grant:
        grant = Grant(role, self.clock, staff=staff, unit=unit)
        pathway.grants.append(grant)
        return grant

    def _end(self, grant: Grant | None) -> None:
        if grant is not None and grant.end is None:
            grant.end = self.clock

    def _close_grants(self, pathway: PathwayRec) -> None:
        """Staff roles end with the pathway; the clinic and the last coordinator keep
        read access (the closed: roles of pathways.team)."""
        for grant in pathway.grants:
            self._end(grant)
        self._grant(pathway, "closed:coordinator", staff=pathway.coordinator.pk)
        self._grant(pathway, "closed:unit:coordinating", unit=pathway.clinic.pk)

    # --- the steps (pathways.services, one function each) ------------------------------------

    def _identify(self, person: Who, started_on: dt.date) -> None:
        """A new patient, drawn when the pathway opens: 19–70 years old at that date."""
        born = birth_date(self.rng, started_on)
        d_number = len(self.births) % 12 == 2
        person.national_id = national_id(self.rng, born, self.national_ids, d_number=d_number)
        person.given_name = self.rng.choice(data.GIVEN_NAMES)
        person.family_name = self.rng.choice(data.FAMILY_NAMES)
        self.births[person.national_id] = born

    def open_pathway(self, cast: Cast, person: Who, *, referral_on: dt.date | None,
                     referrer: str, first_contact_on: dt.date | None) -> PathwayRec:
        started_on = min(d for d in (first_contact_on, referral_on) if d)
        if not person.national_id:
            self._identify(person, started_on)
        patient = self.patients.get(person.national_id)
        if patient is None:
            nid = person.national_id
            patient = PatientRec(self.ids.next(PATIENT), nid, person.given_name,
                                 person.family_name, cast.place.municipality.pk)
            self.patients[nid] = patient
            self.rows[PATIENT].append((
                patient.id, _uuid(self.rng), self.clock, self.clock, 1, nid,
                DNR if int(nid[0]) >= 4 else FNR, person.given_name, person.family_name,
                self.births[nid], patient.municipality_id, "", None))
        pathway = PathwayRec(self.ids.next(PATHWAY), _uuid(self.rng), patient, cast.clinic,
                             cast.coordinator, first_contact_on, referral_on, referrer,
                             self.clock)
        self.pathways.append(pathway)
        self._grant(pathway, "coordinator", staff=cast.coordinator.pk)
        self._grant(pathway, "unit:coordinating", unit=cast.clinic.pk)
        self.rows[TRANSITION].append((
            self.ids.next(TRANSITION), pathway.id, "", Phase.CONTACT, started_on,
            self.clock, self._person(cast.coordinator).user_id, ""))
        self._event(pathway, cast.coordinator, "pathway.opened", unit=cast.clinic.name)
        person_ = self._person(cast.coordinator)
        self.rows[AUDIT].append((
            self.ids.next(AUDIT), self.clock, person_.user_id, person_.name,
            person_.organisation, patient.id, pathway.id, "pathway.open", "Pathway",
            str(pathway.public_id), CLI, "allowed",
            str(Basis("staff:opening-unit", cast.clinic.name)), None))
        return pathway

    def register_referral(self, pathway: PathwayRec, cast: Cast, *, referral_on: dt.date,
                          referrer: str, first_contact_on: dt.date, note: str) -> PathwayRec:
        self._audit(pathway, cast.coordinator, policy.EDIT)
        pathway.referral_received_on, pathway.referrer = referral_on, referrer
        pathway.first_contact_on, pathway.note = first_contact_on, note
        self._bump(pathway)
        self._event(pathway, cast.coordinator, "pathway.updated")
        return pathway

    def move(self, pathway: PathwayRec, cast: Cast, to_phase: str, on: dt.date,
             note: str = "") -> PathwayRec:
        self._audit(pathway, cast.coordinator, policy.TRANSITION)
        self._transition(pathway, cast.coordinator, to_phase, on, note)
        return pathway

    def team_add(self, pathway: PathwayRec, cast: Cast, staff: Staff, role: str) -> None:
        self._audit(pathway, cast.coordinator, policy.TEAM)
        member = MemberRec(self.ids.next(MEMBER), _uuid(self.rng), pathway, staff, role,
                           self.clock)
        member.grant = self._grant(pathway, f"team:{role}", staff=staff.pk)
        pathway.team.append(member)
        self._event(pathway, cast.coordinator, "team.added", name=staff.name, role=role)

    def team_end(self, pathway: PathwayRec, cast: Cast, staff: Staff, role: str) -> None:
        member = next(m for m in pathway.team
                      if m.staff.pk == staff.pk and m.role == role and m.ended_at is None)
        self._audit(pathway, cast.coordinator, policy.TEAM,
                    obj=("CareTeamMember", str(member.public_id)))
        member.ended_at = self.clock
        self._bump(member)
        self._end(member.grant)
        self._event(pathway, cast.coordinator, "team.ended", name=staff.name, role=role)

    def plan_stay(self, pathway: PathwayRec, cast: Cast, unit: Unit, start: dt.date,
                  end: dt.date) -> StayRec:
        self._audit(pathway, cast.coordinator, policy.STAY_PLAN)
        stay = StayRec(self.ids.next(STAY), _uuid(self.rng), pathway, unit, start, end,
                       self.clock)
        stay.grant = self._grant(pathway, "unit:treating", unit=unit.pk)
        pathway.stays.append(stay)
        self._event(pathway, cast.coordinator, "stay.planned", unit=unit.name, start=start)
        return stay

    def cancel_stay(self, stay: StayRec, cast: Cast, reason: str) -> None:
        self._audit(stay.pathway, cast.coordinator, policy.STAY, stay=stay)
        stay.status, stay.cancel_reason = Stay.Status.CANCELLED, reason
        self._bump(stay)
        self._end(stay.grant)
        self._event(stay.pathway, cast.coordinator, "stay.cancelled", unit=stay.unit.name,
                    reason=reason)

    def admit(self, stay: StayRec, by: Staff, on: dt.date) -> None:
        self._audit(stay.pathway, by, policy.STAY, stay=stay)
        stay.status, stay.admitted_on = Stay.Status.ONGOING, on
        self._bump(stay)
        self._transition(stay.pathway, by, Phase.RESIDENTIAL, on)
        self._event(stay.pathway, by, "stay.admitted", unit=stay.unit.name, on=on)

    def discharge(self, stay: StayRec, by: Staff, on: dt.date) -> None:
        self._audit(stay.pathway, by, policy.STAY, stay=stay)
        stay.status, stay.discharged_on = Stay.Status.DISCHARGED, on
        self._bump(stay)
        self._end(stay.grant)
        self._transition(stay.pathway, by, Phase.AFTERCARE, on)
        self._event(stay.pathway, by, "stay.discharged", unit=stay.unit.name, on=on)

    def hand_over(self, pathway: PathwayRec, cast: Cast, to_staff: Staff,
                  reason: str) -> PathwayRec:
        actor = cast.coordinator
        self._audit(pathway, actor, policy.HANDOVER)
        if to_staff.pk in self._members(pathway.clinic.pk):
            to_unit = pathway.clinic
        else:  # their first outpatient clinic (the bulk seed hands over within a clinic)
            to_unit = self.directory.units[self._person(to_staff).unit_id]
        previous = pathway.coordinator
        self.rows[HANDOVER].append((
            self.ids.next(HANDOVER), pathway.id, previous.pk, to_staff.pk,
            pathway.clinic.pk, to_unit.pk, self.clock, self._person(actor).user_id, reason))
        for grant in pathway.grants:
            if grant.end is None and (grant.role == "coordinator" or (
                    grant.role == "unit:coordinating" and to_unit.pk != pathway.clinic.pk)):
                self._end(grant)
        if to_unit.pk != pathway.clinic.pk:
            self._grant(pathway, "unit:coordinating", unit=to_unit.pk)
        pathway.coordinator, pathway.clinic = to_staff, to_unit
        self._grant(pathway, "coordinator", staff=to_staff.pk)
        self._bump(pathway)
        self._event(pathway, actor, "coordinator.handover", from_name=previous.name,
                    to_name=to_staff.name, reason=reason)
        return pathway

    # --- next of kin (PopulationBuilder's hooks) ---------------------------------------------

    def next_of_kin(self, pathway: PathwayRec, name: str, relation: str) -> int:
        kin_id = self.ids.next(NEXT_OF_KIN)
        at = pathway.opened_at
        self.rows[NEXT_OF_KIN].append((kin_id, _uuid(self.rng), at, at, 1, pathway.patient.id,
                                       name, relation, "", "", None,
                                       NextOfKin.Kind.NEXT_OF_KIN.value, None))
        return kin_id

    def consent(self, pathway: PathwayRec, kin_id: int, given_at: dt.datetime,
                withdrawn_at: dt.datetime | None) -> None:
        self.rows[CONSENT].append((
            self.ids.next(CONSENT), _uuid(self.rng), given_at, withdrawn_at or given_at, 1,
            pathway.patient.id, kin_id, "pathway", given_at, withdrawn_at,
            given_at.date(), Consent.Method.IN_PERSON.value,
            Consent.RecordedAs.CLINICIAN.value, None, None, None))

    # --- the chunk's mutable rows, in their final state --------------------------------------

    def final_rows(self) -> dict[Table, list[tuple[Any, ...]]]:
        return {
            PATHWAY: [p.row() for p in self.pathways],
            STAY: [s.row() for p in self.pathways for s in p.stays],
            MEMBER: [m.row() for p in self.pathways for m in p.team],
        }


class BulkPopulation(PopulationBuilder):
    """The demo's population builder with the recorder as its player: ten years of history."""

    def __init__(self, directory: NationalDirectory, rng: random.Random, today: dt.date,
                 recorder: PathwayRecorder) -> None:
        super().__init__(directory, rng, today, player=recorder,
                         national_ids=recorder.national_ids)
        self.recorder = recorder
        self.room = 0  # pathways the chunk can still take

    def person(self) -> Who:
        return Who("", "", "")  # drawn when the pathway opens (PathwayRecorder._identify)

    def cast(self) -> Cast:
        cast = super().cast()
        cast.closed_within_days = HISTORY_DAYS
        return cast

    def save_next_of_kin(self, pathway: Any, name: str, relation: str) -> Any:
        return self.recorder.next_of_kin(pathway, name, relation)

    def save_consent(self, pathway: Any, kin: Any, given_at: dt.datetime,
                     withdrawn_at: dt.datetime | None) -> None:
        self.recorder.consent(pathway, kin, given_at, withdrawn_at)

    def return_kind(self, closed_on: dt.date) -> str | None:
        if self.room < 2:
            return None
        earliest = closed_on + dt.timedelta(days=PathwayStory.CLOSED_HISTORY_DAYS + 2)
        # A whole new pathway, closed again, when there was time for it; else a new referral.
        return CLOSED if earliest < self.today - dt.timedelta(days=30) else REFERRAL
