"""Synthetic patients and their pathways, written THROUGH pathways.services.

Each pathway is played forward in time: the clock is frozen at each step's date, and the
pathway's coordinator (a CLI actor) calls the same services a clinic would. Access checks,
the audit log and the timeline are therefore exactly what real use would leave behind.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone

from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.demo import data
from ettervern.demo.directory import Directory, Place, Trust
from ettervern.demo.identities import birth_date, national_id
from ettervern.directory.models import Staff, Unit
from ettervern.pathways import services
from ettervern.pathways.models import CareTeamMember, Pathway, Stay
from ettervern.pathways.phases import Phase
from ettervern.patients.models import Consent, NextOfKin, Patient

# What a pathway looks like today. "sequential" = two stays, the second ongoing or done.
CONTACT = "contact"  # contact before any referral
REFERRAL = "referral"
PRE_ADMISSION = "pre_admission"
RESIDENTIAL = "residential"
AFTERCARE = "aftercare"
SEQUENTIAL = "sequential"
CLOSED = "closed"
KINDS: dict[str, int] = {CONTACT: 8, REFERRAL: 15, PRE_ADMISSION: 17, RESIDENTIAL: 17,
                         AFTERCARE: 18, SEQUENTIAL: 10, CLOSED: 15}

Role = CareTeamMember.Role

REFERRERS = ["Fastlege", "Legevakt", "NAV", "Kommunal rustjeneste", "Psykiatrisk akuttmottak",
             "DPS", "Barnevernet", "Kriminalomsorgen"]


def plan_kinds(n: int, rng: random.Random) -> list[str]:
    """`n` pathway kinds in the KINDS proportions; every kind at least once when n allows."""
    kinds = list(KINDS)[:n]
    weights = list(KINDS.values())
    kinds += rng.choices(list(KINDS), weights=weights, k=max(n - len(kinds), 0))
    rng.shuffle(kinds)
    return kinds


@dataclass
class Cast:
    """Who takes part in one pathway. The random population draws it; the demo fixes it."""

    coordinator: Staff
    clinic: Unit
    place: Place
    stay_units: list[Unit]  # first and (for sequential) second stay
    gp: Staff | None = None
    municipal: Staff | None = None
    nav: Staff | None = None
    specialist: Staff | None = None  # contact person in specialist care during the stay
    aftercare_specialist: Staff | None = None  # takes over at discharge (outpatient clinician)
    handover_to: Staff | None = None
    # The demo's curated pathways: no random omissions (every planned stay and role present).
    complete: bool = False
    # A closed pathway ends at most this many days ago (the demo's is recent, so that it can
    # still be reopened).
    closed_within_days: int = 200


@dataclass
class Person:
    national_id: str
    given_name: str
    family_name: str


@dataclass
class Stats:
    pathways: dict[str, int] = field(default_factory=dict)
    patients: int = 0


class PathwayPlayer:
    """Plays one pathway forward in time through the services."""

    def __init__(self, rng: random.Random, actors: dict[int, Actor], today: dt.date,
                 clinicians: Callable[[Unit], list[Staff]] | None = None) -> None:
        self.rng = rng
        self.actors = actors
        self.today = today
        # Who works at a residential unit: they admit and discharge their own stays.
        self.clinicians = clinicians or (lambda unit: [])
        self._last: dt.datetime | None = None
        self._not_before: dt.date | None = None

    def actor(self, staff: Staff) -> Actor:
        if staff.pk not in self.actors:
            self.actors[staff.pk] = Actor(user=staff.user, channel="cli")
        return self.actors[staff.pk]

    @contextmanager
    def on(self, day: dt.date) -> Iterator[None]:
        """Freeze the clock during office hours of `day`, after the previous step."""
        day = min(day, self.today)
        at = timezone.make_aware(dt.datetime.combine(
            day, dt.time(self.rng.randint(8, 14), self.rng.randint(0, 59))))
        if self._last is not None and at <= self._last:
            at = self._last + dt.timedelta(minutes=self.rng.randint(2, 20))
        real_now = timezone.now()
        if at > real_now:
            # Today: before "now" (but still today), so nothing is dated in the future.
            start_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time(0, 1)))
            at = max(start_of_day, real_now - dt.timedelta(minutes=self.rng.randint(1, 30)))
            if self._last is not None and at <= self._last:
                at = self._last + dt.timedelta(seconds=1)
        self._last = at
        with clock.frozen(at):
            yield

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    # --- the steps ---------------------------------------------------------------------

    def play(self, kind: str, cast: Cast, person: Person,
             not_before: dt.date | None = None) -> Pathway:
        """Play a pathway of `kind`; `not_before` keeps a returning patient's new pathway
        after the previous one closed."""
        self._last = None
        self._not_before = not_before
        handler: Callable[[Cast, Person], Pathway] = {
            CONTACT: self._contact, REFERRAL: self._referral,
            PRE_ADMISSION: self._pre_admission, RESIDENTIAL: self._residential,
            AFTERCARE: self._aftercare, SEQUENTIAL: self._sequential, CLOSED: self._closed,
        }[kind]
        pathway = handler(cast, person)
        if cast.handover_to is not None and pathway.is_open:
            self._handover(pathway, cast)
        return pathway

    def _open(self, cast: Cast, person: Person, *, referral_on: dt.date | None,
              first_contact_on: dt.date | None = None) -> Pathway:
        day = first_contact_on or referral_on
        assert day is not None
        with self.on(day):
            pathway = services.pathway_open(
                actor=self.actor(cast.coordinator), coordinating_unit=cast.clinic,
                national_id=person.national_id, given_name=person.given_name,
                family_name=person.family_name, referral_received_on=referral_on,
                referrer=self.rng.choice(REFERRERS) if referral_on else "",
                first_contact_on=first_contact_on, municipality=cast.place.municipality,
            )
            if cast.gp is not None:
                self._team(pathway, cast, cast.gp, Role.GP)
        return pathway

    def _team(self, pathway: Pathway, cast: Cast, staff: Staff | None, role: str) -> None:
        if staff is not None:
            services.careteam_add(actor=self.actor(cast.coordinator), pathway=pathway,
                                  staff=staff, role=role)

    def _referred(self, cast: Cast, person: Person, referral_on: dt.date) -> Pathway:
        """Open from a referral; some patients were in contact with the clinic before it."""
        if self.rng.random() < 0.25:
            contact_on = referral_on - self.days(2, 14)
            pathway = self._open(cast, person, referral_on=None, first_contact_on=contact_on)
            with self.on(referral_on):
                pathway.refresh_from_db()
                pathway = services.pathway_update(
                    actor=self.actor(cast.coordinator), pathway=pathway,
                    expected_version=pathway.version, referral_received_on=referral_on,
                    referrer=self.rng.choice(REFERRERS), first_contact_on=contact_on,
                    note="Kontakt før henvisning; henvisning mottatt.",
                )
            return pathway
        return self._open(cast, person, referral_on=referral_on)

    def _to_pre_admission(self, pathway: Pathway, cast: Cast, on: dt.date) -> Pathway:
        with self.on(on):
            pathway = services.pathway_transition(
                actor=self.actor(cast.coordinator), pathway=pathway,
                to_phase=Phase.PRE_ADMISSION, on=on,
            )
            self._team(pathway, cast, cast.municipal, Role.MUNICIPAL_CONTACT)
            if cast.nav is not None and (cast.complete or self.rng.random() < 0.6):
                self._team(pathway, cast, cast.nav, Role.NAV_CONTACT)
                cast.nav = None  # added; not again later
        return pathway

    def _plan(self, pathway: Pathway, cast: Cast, unit: Unit, on: dt.date, start: dt.date,
              length: int) -> Stay:
        with self.on(on):
            return services.stay_plan(actor=self.actor(cast.coordinator), pathway=pathway,
                                      unit=unit, planned_start=start,
                                      planned_end=start + dt.timedelta(days=length))

    def _treating(self, stay: Stay, cast: Cast) -> Actor:
        """The residential unit records its own admissions and discharges (policy basis
        unit:treating); the coordinator does it when the unit has no staff on file."""
        staff = self.clinicians(stay.unit)
        return self.actor(staff[0] if staff else cast.coordinator)

    def _admit(self, stay: Stay, cast: Cast, on: dt.date, *, first: bool) -> None:
        with self.on(on):
            services.stay_admit(actor=self._treating(stay, cast), stay=stay, on=on)
            if first:
                self._team(stay.pathway, cast, cast.specialist, Role.SPECIALIST_CONTACT)
                self._team(stay.pathway, cast, cast.nav, Role.NAV_CONTACT)

    def _discharge(self, stay: Stay, cast: Cast, on: dt.date, *, last: bool) -> None:
        actor = self.actor(cast.coordinator)
        with self.on(on):
            services.stay_discharge(actor=self._treating(stay, cast), stay=stay, on=on)
            if last and cast.aftercare_specialist is not None and cast.specialist is not None:
                # The residential contact hands over to a clinician at the outpatient clinic.
                member = CareTeamMember.objects.get(pathway=stay.pathway, staff=cast.specialist,
                                                    role=Role.SPECIALIST_CONTACT,
                                                    ended_at__isnull=True)
                services.careteam_end(actor=actor, member=member,
                                      expected_version=member.version)
                self._team(stay.pathway, cast, cast.aftercare_specialist,
                           Role.SPECIALIST_CONTACT)

    def _handover(self, pathway: Pathway, cast: Cast) -> None:
        assert cast.handover_to is not None
        with self.on(self.today):
            pathway.refresh_from_db()
            services.coordinator_handover(
                actor=self.actor(cast.coordinator), pathway=pathway, to_staff=cast.handover_to,
                expected_version=pathway.version, reason="Permisjon; ny koordinator overtar.",
            )

    # --- the kinds ---------------------------------------------------------------------

    def _contact(self, cast: Cast, person: Person) -> Pathway:
        day = self.today - self.days(0, 21)
        return self._open(cast, person, referral_on=None, first_contact_on=day)

    def _referral(self, cast: Cast, person: Person) -> Pathway:
        referral_on = self.today - self.days(1, 45)
        if self._not_before is not None and referral_on < self._not_before:
            referral_on = self._not_before + self.days(0, (self.today - self._not_before).days)
            return self._open(cast, person, referral_on=referral_on)
        return self._referred(cast, person, referral_on)

    def _pre_admission(self, cast: Cast, person: Person) -> Pathway:
        pre_on = self.today - self.days(0, 30)
        pathway = self._referred(cast, person, pre_on - self.days(3, 30))
        pathway = self._to_pre_admission(pathway, cast, pre_on)
        if cast.complete or self.rng.random() < 0.85:
            start = self.today + self.days(3, 40)
            if not cast.complete and self.rng.random() < 0.15:
                # Planned at one place, then moved: cancel and plan again.
                stay = self._plan(pathway, cast, cast.stay_units[1], pre_on, start,
                                  self.rng.randint(21, 42))
                moved_on = pre_on + self.days(0, (self.today - pre_on).days)
                with self.on(moved_on):
                    services.stay_cancel(actor=self.actor(cast.coordinator), stay=stay,
                                         expected_version=stay.version,
                                         reason="Pasienten ønsket et annet sted.")
                self._plan(pathway, cast, cast.stay_units[0], moved_on,
                           start + self.days(0, 14), self.rng.randint(21, 42))
            else:
                self._plan(pathway, cast, cast.stay_units[0], pre_on, start,
                           self.rng.randint(21, 42))
        return pathway

    def _until_admitted(self, cast: Cast, person: Person, admit_on: dt.date,
                        lengths: list[int], gap: int = 0) -> tuple[Pathway, list[Stay]]:
        """Referral, pre-admission, the planned stay(s) and the first admission."""
        pre_on = admit_on - self.days(7, 45)
        pathway = self._referred(cast, person, pre_on - self.days(3, 30))
        pathway = self._to_pre_admission(pathway, cast, pre_on)
        stays = []
        start = admit_on
        for index, length in enumerate(lengths):
            stays.append(self._plan(pathway, cast, cast.stay_units[index], pre_on, start, length))
            start = start + dt.timedelta(days=length + gap)
        self._admit(stays[0], cast, admit_on, first=True)
        return pathway, stays

    def _residential(self, cast: Cast, person: Person) -> Pathway:
        admit_on = self.today - self.days(0, 40)
        # Planned to end in the future: the patient is still there.
        length = max(self.rng.randint(28, 70),
                     (self.today - admit_on).days + self.rng.randint(3, 21))
        pathway, _stays = self._until_admitted(cast, person, admit_on, [length])
        return pathway

    def _aftercare(self, cast: Cast, person: Person) -> Pathway:
        length = self.rng.randint(14, 56)
        discharge_on = self.today - self.days(1, 120)
        pathway, stays = self._until_admitted(cast, person,
                                              discharge_on - dt.timedelta(days=length), [length])
        self._discharge(stays[0], cast, discharge_on, last=True)
        return pathway

    def _sequential(self, cast: Cast, person: Person) -> Pathway:
        """A planned series of two stays: the second is ongoing now, or done."""
        first, second = self.rng.randint(14, 35), self.rng.randint(14, 35)
        gap = self.rng.randint(14, 60)
        second_done = self.rng.random() < 0.5
        if second_done:
            end = self.today - self.days(1, 60)
            admit2 = end - dt.timedelta(days=second)
        else:
            admit2 = self.today - self.days(0, min(second - 1, 20))
        admit1 = admit2 - dt.timedelta(days=first + gap)
        pathway, stays = self._until_admitted(cast, person, admit1, [first, second], gap=gap)
        self._discharge(stays[0], cast, admit1 + dt.timedelta(days=first), last=False)
        self._admit(stays[1], cast, admit2, first=False)
        if second_done:
            self._discharge(stays[1], cast, admit2 + dt.timedelta(days=second), last=True)
        return pathway

    def _closed(self, cast: Cast, person: Person) -> Pathway:
        close_on = self.today - self.days(1, cast.closed_within_days)
        if self.rng.random() < 0.2:
            # Ended already in the contact phase (e.g. other help was found).
            pathway = self._referred(cast, person, close_on - self.days(3, 30))
        else:
            length = self.rng.randint(14, 56)
            discharge_on = close_on - self.days(30, 150)
            pathway, stays = self._until_admitted(
                cast, person, discharge_on - dt.timedelta(days=length), [length])
            self._discharge(stays[0], cast, discharge_on, last=True)
        with self.on(close_on):
            return services.pathway_transition(actor=self.actor(cast.coordinator),
                                               pathway=pathway, to_phase=Phase.CLOSED,
                                               on=close_on, note="Avsluttet i poliklinikken.")


class PopulationBuilder:
    """Draws patients and their casts at random and plays their pathways."""

    def __init__(self, directory: Directory, rng: random.Random,
                 today: dt.date | None = None) -> None:
        self.directory = directory
        self.rng = rng
        self.today = today or timezone.localdate()
        self.actors: dict[int, Actor] = {}
        self.player = PathwayPlayer(rng, self.actors, self.today, directory.clinicians_at)
        self.national_ids = set(Patient.objects.values_list("national_id", flat=True))
        self.stats = Stats()

    def person(self) -> Person:
        born = birth_date(self.rng, self.today)
        # About one in twelve has a D-nummer (e.g. foreign workers), the first one early.
        d_number = self.stats.patients % 12 == 2
        nid = national_id(self.rng, born, self.national_ids, d_number=d_number)
        return Person(nid, self.rng.choice(data.GIVEN_NAMES), self.rng.choice(data.FAMILY_NAMES))

    def stay_unit(self, trust: Trust) -> Unit:
        draw = self.rng.random()
        if draw < 0.5:
            return trust.residential
        region = trust.organisation.region
        candidates = [unit for unit, r, _staff in self.directory.residential
                      if unit.pk != trust.residential.pk and (draw >= 0.85 or r == region)]
        return self.rng.choice(candidates or [trust.residential])

    def cast(self) -> Cast:
        places = self.directory.places
        place = self.rng.choices(places, weights=[p.weight for p in places])[0]
        trust = self.directory.trusts[place.trust.name]
        coordinator = self.rng.choice(trust.coordinators)
        units = [self.stay_unit(trust)]
        units.append(units[0] if self.rng.random() < 0.7 else self.stay_unit(trust))
        clinicians = self.directory.clinicians_at(units[0])
        cast = Cast(
            coordinator=coordinator, clinic=trust.clinic, place=place, stay_units=units,
            gp=self.rng.choice(place.gp_staff) if self.rng.random() < 0.9 else None,
            municipal=self.rng.choice(place.municipal_staff) if self.rng.random() < 0.85
            else None,
            nav=self.rng.choice(place.nav_staff) if self.rng.random() < 0.6 else None,
            specialist=self.rng.choice(clinicians) if clinicians and self.rng.random() < 0.7
            else None,
        )
        if cast.specialist is not None and self.rng.random() < 0.5:
            cast.aftercare_specialist = self.rng.choice(trust.clinic_clinicians)
        if self.rng.random() < 0.06:
            others = [c for c in trust.coordinators if c.pk != coordinator.pk]
            cast.handover_to = self.rng.choice(others) if others else None
        return cast

    def next_of_kin(self, pathway: Pathway) -> None:
        """Some patients name a next of kin; most of them consent to sharing the overview."""
        if self.rng.random() >= 0.35:
            return
        given, family = self.rng.choice(data.GIVEN_NAMES), pathway.patient.family_name
        kin = NextOfKin.objects.create(patient=pathway.patient, name=f"{given} {family}",
                                       relation=self.rng.choice(data.NEXT_OF_KIN_RELATIONS))
        if self.rng.random() < 0.7:
            given_at = pathway.opened_at + dt.timedelta(days=self.rng.randint(0, 10))
            given_at = min(given_at, timezone.now())
            withdrawn = given_at + dt.timedelta(days=20) if self.rng.random() < 0.1 else None
            if withdrawn is not None and withdrawn > timezone.now():
                withdrawn = None
            Consent.objects.create(patient=pathway.patient, next_of_kin=kin,
                                   scope=Consent.Scope.PATHWAY, given_at=given_at,
                                   withdrawn_at=withdrawn)

    def add(self, kind: str) -> Pathway:
        pathway = self.player.play(kind, self.cast(), self.person())
        self.next_of_kin(pathway)
        self.stats.patients += 1
        self.stats.pathways[kind] = self.stats.pathways.get(kind, 0) + 1
        closed_on = timezone.localdate(pathway.closed_at) if pathway.closed_at else None
        if closed_on is not None and closed_on < self.today and self.rng.random() < 0.3:
            # Came back: a new referral after the closed pathway (a readmission in the KPIs).
            again = self.player.play(REFERRAL, self._same_place_cast(pathway),
                                     self._same_person(pathway),
                                     not_before=closed_on + dt.timedelta(days=1))
            self.stats.pathways[REFERRAL] = self.stats.pathways.get(REFERRAL, 0) + 1
            return again
        return pathway

    def _same_person(self, pathway: Pathway) -> Person:
        patient = pathway.patient
        return Person(patient.national_id, patient.given_name, patient.family_name)

    def _same_place_cast(self, pathway: Pathway) -> Cast:
        cast = self.cast()
        trust = next(t for t in self.directory.trusts.values()
                     if t.clinic.pk == pathway.coordinating_unit_id)
        cast.clinic, cast.coordinator = trust.clinic, self.rng.choice(trust.coordinators)
        cast.handover_to = None
        for place in self.directory.places:
            if place.municipality.pk == pathway.patient.municipality_id:
                cast.place = place
        return cast
