"""Synthetic patients and their pathways, written THROUGH pathways.services.

Each pathway is played forward in time: the clock is frozen at each step's date, and the
pathway's coordinator (a CLI actor) calls the same services a clinic would. Access checks,
the audit log and the timeline are therefore exactly what real use would leave behind.

The stories themselves (PathwayStory: which steps, on which dates) are shared with the bulk
seed (ettervern.demo.bulk), which records the same steps as rows instead of calling services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

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
# Why a synthetic stay ended with checkpoints open (the discharge gate asks for a reason).
DISCHARGE_REASONS = (
    "Pasienten ønsket å reise hjem før samarbeidsmøtet kunne holdes.",
    "Behandlingen er fullført; møtet etter utskriving avtales med kommunen denne uken.",
    "Pasienten avbrøt oppholdet. Oppfølging fra poliklinikken er avtalt.",
)
SEQUENTIAL = "sequential"
CLOSED = "closed"
KINDS: dict[str, int] = {CONTACT: 8, REFERRAL: 15, PRE_ADMISSION: 17, RESIDENTIAL: 17,
                         AFTERCARE: 18, SEQUENTIAL: 10, CLOSED: 15}

Role = CareTeamMember.Role

REFERRERS = ["Fastlege", "Legevakt", "NAV", "Kommunal rustjeneste", "Psykiatrisk akuttmottak",
             "DPS", "Barnevernet", "Kriminalomsorgen"]


def plan_kinds(n: int, rng: random.Random, proportions: dict[str, float] | None = None,
               ) -> list[str]:
    """`n` pathway kinds in the KINDS proportions (or `proportions`); every kind at least once
    when n allows."""
    chosen: dict[str, float] = dict(proportions or KINDS)
    kinds = list(chosen)[:n]
    weights = list(chosen.values())
    kinds += rng.choices(list(chosen), weights=weights, k=max(n - len(kinds), 0))
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


class PathwayStory:
    """What happens on a pathway of each kind, and when: the random draws, the dates and the
    order of the steps.

    How a step is written is the subclass's business: PathwayPlayer calls the services;
    the bulk seed (ettervern.demo.bulk) records the rows those services would write. Both
    therefore tell the same stories, draw for draw.
    """

    def __init__(self, rng: random.Random, today: dt.date,
                 clinicians: Callable[[Unit], list[Staff]] | None = None) -> None:
        self.rng = rng
        self.today = today
        # Who works at a residential unit: they admit and discharge their own stays.
        self.clinicians = clinicians or (lambda unit: [])
        self._last: dt.datetime | None = None
        self._not_before: dt.date | None = None

    # --- time --------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The present moment: nothing may be dated after it."""
        return timezone.now()

    def moment(self, day: dt.date) -> dt.datetime:
        """Office hours of `day`, after the previous step and not in the future."""
        day = min(day, self.today)
        at = timezone.make_aware(dt.datetime.combine(
            day, dt.time(self.rng.randint(8, 14), self.rng.randint(0, 59))))
        if self._last is not None and at <= self._last:
            at = self._last + dt.timedelta(minutes=self.rng.randint(2, 20))
        real_now = self.now()
        if at > real_now:
            # Today: before "now" (but still today), so nothing is dated in the future.
            start_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time(0, 1)))
            at = max(start_of_day, real_now - dt.timedelta(minutes=self.rng.randint(1, 30)))
            if self._last is not None and at <= self._last:
                at = self._last + dt.timedelta(seconds=1)
        self._last = at
        return at

    @contextmanager
    def on(self, day: dt.date) -> Iterator[None]:
        """Everything inside happens at one moment during office hours of `day`."""
        with self.at(self.moment(day)):
            yield

    def at(self, moment: dt.datetime) -> AbstractContextManager[None]:
        raise NotImplementedError

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    # --- the steps a subclass writes ----------------------------------------------------

    def open_pathway(self, cast: Cast, person: Person, *, referral_on: dt.date | None,
                     referrer: str, first_contact_on: dt.date | None) -> Any:
        raise NotImplementedError

    def register_referral(self, pathway: Any, cast: Cast, *, referral_on: dt.date,
                          referrer: str, first_contact_on: dt.date, note: str) -> Any:
        raise NotImplementedError

    def move(self, pathway: Any, cast: Cast, to_phase: str, on: dt.date, note: str = "") -> Any:
        raise NotImplementedError

    def team_add(self, pathway: Any, cast: Cast, staff: Staff, role: str) -> None:
        raise NotImplementedError

    def team_end(self, pathway: Any, cast: Cast, staff: Staff, role: str) -> None:
        raise NotImplementedError

    def plan_stay(self, pathway: Any, cast: Cast, unit: Unit, start: dt.date,
                  end: dt.date) -> Any:
        raise NotImplementedError

    def cancel_stay(self, stay: Any, cast: Cast, reason: str) -> None:
        raise NotImplementedError

    def admit(self, stay: Any, by: Staff, on: dt.date) -> None:
        raise NotImplementedError

    def discharge(self, stay: Any, by: Staff, on: dt.date) -> None:
        raise NotImplementedError

    def hand_over(self, pathway: Any, cast: Cast, to_staff: Staff, reason: str) -> Any:
        raise NotImplementedError

    def pathway_of(self, stay: Any) -> Any:
        return stay.pathway

    # --- the story ---------------------------------------------------------------------

    def play(self, kind: str, cast: Cast, person: Person,
             not_before: dt.date | None = None) -> Any:
        """Play a pathway of `kind`; `not_before` keeps a returning patient's new pathway
        after the previous one closed."""
        self._last = None
        self._not_before = not_before
        handler: Callable[[Cast, Person], Any] = {
            CONTACT: self._contact, REFERRAL: self._referral,
            PRE_ADMISSION: self._pre_admission, RESIDENTIAL: self._residential,
            AFTERCARE: self._aftercare, SEQUENTIAL: self._sequential, CLOSED: self._closed,
        }[kind]
        pathway = handler(cast, person)
        if cast.handover_to is not None and pathway.is_open:
            self._handover(pathway, cast)
        return pathway

    def _open(self, cast: Cast, person: Person, *, referral_on: dt.date | None,
              first_contact_on: dt.date | None = None) -> Any:
        day = first_contact_on or referral_on
        assert day is not None
        with self.on(day):
            referrer = self.rng.choice(REFERRERS) if referral_on else ""
            pathway = self.open_pathway(cast, person, referral_on=referral_on,
                                        referrer=referrer, first_contact_on=first_contact_on)
            if cast.gp is not None:
                self._team(pathway, cast, cast.gp, Role.GP)
        return pathway

    def _team(self, pathway: Any, cast: Cast, staff: Staff | None, role: str) -> None:
        if staff is not None:
            self.team_add(pathway, cast, staff, role)

    def _referred(self, cast: Cast, person: Person, referral_on: dt.date) -> Any:
        """Open from a referral; some patients were in contact with the clinic before it."""
        if self.rng.random() < 0.25:
            contact_on = referral_on - self.days(2, 14)
            pathway = self._open(cast, person, referral_on=None, first_contact_on=contact_on)
            with self.on(referral_on):
                pathway = self.register_referral(
                    pathway, cast, referral_on=referral_on, referrer=self.rng.choice(REFERRERS),
                    first_contact_on=contact_on,
                    note="Kontakt før henvisning; henvisning mottatt.",
                )
            return pathway
        return self._open(cast, person, referral_on=referral_on)

    def _to_pre_admission(self, pathway: Any, cast: Cast, on: dt.date) -> Any:
        with self.on(on):
            pathway = self.move(pathway, cast, Phase.PRE_ADMISSION, on)
            self._team(pathway, cast, cast.municipal, Role.MUNICIPAL_CONTACT)
            if cast.nav is not None and (cast.complete or self.rng.random() < 0.6):
                self._team(pathway, cast, cast.nav, Role.NAV_CONTACT)
                cast.nav = None  # added; not again later
        return pathway

    def _plan(self, pathway: Any, cast: Cast, unit: Unit, on: dt.date, start: dt.date,
              length: int) -> Any:
        with self.on(on):
            return self.plan_stay(pathway, cast, unit, start,
                                  start + dt.timedelta(days=length))

    def _treating(self, stay: Any, cast: Cast) -> Staff:
        """The residential unit records its own admissions and discharges (policy basis
        unit:treating); the coordinator does it when the unit has no staff on file."""
        staff = self.clinicians(stay.unit)
        return staff[0] if staff else cast.coordinator

    def _admit(self, stay: Any, cast: Cast, on: dt.date, *, first: bool) -> None:
        with self.on(on):
            self.admit(stay, self._treating(stay, cast), on)
            if first:
                pathway = self.pathway_of(stay)
                self._team(pathway, cast, cast.specialist, Role.SPECIALIST_CONTACT)
                self._team(pathway, cast, cast.nav, Role.NAV_CONTACT)

    def _discharge(self, stay: Any, cast: Cast, on: dt.date, *, last: bool) -> None:
        with self.on(on):
            self.discharge(stay, self._treating(stay, cast), on)
            if last and cast.aftercare_specialist is not None and cast.specialist is not None:
                # The residential contact hands over to a clinician at the outpatient clinic.
                pathway = self.pathway_of(stay)
                self.team_end(pathway, cast, cast.specialist, Role.SPECIALIST_CONTACT)
                self._team(pathway, cast, cast.aftercare_specialist, Role.SPECIALIST_CONTACT)

    def _handover(self, pathway: Any, cast: Cast) -> None:
        assert cast.handover_to is not None
        with self.on(self.today):
            self.hand_over(pathway, cast, cast.handover_to,
                           "Permisjon; ny koordinator overtar.")

    # --- the kinds ---------------------------------------------------------------------

    def _contact(self, cast: Cast, person: Person) -> Any:
        day = self.today - self.days(0, 21)
        return self._open(cast, person, referral_on=None, first_contact_on=day)

    def _referral(self, cast: Cast, person: Person) -> Any:
        referral_on = self.today - self.days(1, 45)
        if self._not_before is not None and referral_on < self._not_before:
            referral_on = self._not_before + self.days(0, (self.today - self._not_before).days)
            return self._open(cast, person, referral_on=referral_on)
        return self._referred(cast, person, referral_on)

    def _pre_admission(self, cast: Cast, person: Person) -> Any:
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
                    self.cancel_stay(stay, cast, "Pasienten ønsket et annet sted.")
                self._plan(pathway, cast, cast.stay_units[0], moved_on,
                           start + self.days(0, 14), self.rng.randint(21, 42))
            else:
                self._plan(pathway, cast, cast.stay_units[0], pre_on, start,
                           self.rng.randint(21, 42))
        return pathway

    def _until_admitted(self, cast: Cast, person: Person, admit_on: dt.date,
                        lengths: list[int], gap: int = 0) -> tuple[Any, list[Any]]:
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

    def _residential(self, cast: Cast, person: Person) -> Any:
        admit_on = self.today - self.days(0, 40)
        # Planned to end in the future: the patient is still there.
        length = max(self.rng.randint(28, 70),
                     (self.today - admit_on).days + self.rng.randint(3, 21))
        pathway, _stays = self._until_admitted(cast, person, admit_on, [length])
        return pathway

    def _aftercare(self, cast: Cast, person: Person) -> Any:
        length = self.rng.randint(14, 56)
        discharge_on = self.today - self.days(1, 120)
        pathway, stays = self._until_admitted(cast, person,
                                              discharge_on - dt.timedelta(days=length), [length])
        self._discharge(stays[0], cast, discharge_on, last=True)
        return pathway

    def _sequential(self, cast: Cast, person: Person) -> Any:
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

    # The longest a closed pathway's history reaches back before its closing: contact, referral,
    # pre-admission, the stay and the aftercare (see _closed and _until_admitted).
    CLOSED_HISTORY_DAYS = 14 + 30 + 45 + 56 + 150

    def _closed(self, cast: Cast, person: Person) -> Any:
        if self._not_before is not None:
            # A returning patient: the whole new history after the previous pathway closed.
            earliest = self._not_before + dt.timedelta(days=self.CLOSED_HISTORY_DAYS + 1)
            close_on = earliest + self.days(0, max((self.today - earliest).days - 1, 0))
        else:
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
            return self.move(pathway, cast, Phase.CLOSED, close_on,
                             note="Avsluttet i poliklinikken.")


class PathwayPlayer(PathwayStory):
    """Plays pathways forward in time THROUGH the services, as a CLI actor, with the clock
    frozen at each step."""

    def __init__(self, rng: random.Random, actors: dict[int, Actor], today: dt.date,
                 clinicians: Callable[[Unit], list[Staff]] | None = None) -> None:
        super().__init__(rng, today, clinicians)
        self.actors = actors

    def actor(self, staff: Staff) -> Actor:
        if staff.pk not in self.actors:
            self.actors[staff.pk] = Actor(user=staff.user, channel="cli")
        return self.actors[staff.pk]

    def at(self, moment: dt.datetime) -> AbstractContextManager[None]:
        return clock.frozen(moment)

    def open_pathway(self, cast: Cast, person: Person, *, referral_on: dt.date | None,
                     referrer: str, first_contact_on: dt.date | None) -> Pathway:
        return services.pathway_open(
            actor=self.actor(cast.coordinator), coordinating_unit=cast.clinic,
            national_id=person.national_id, given_name=person.given_name,
            family_name=person.family_name, referral_received_on=referral_on,
            referrer=referrer, first_contact_on=first_contact_on,
            municipality=cast.place.municipality,
        )

    def register_referral(self, pathway: Pathway, cast: Cast, *, referral_on: dt.date,
                          referrer: str, first_contact_on: dt.date, note: str) -> Pathway:
        pathway.refresh_from_db()
        return services.pathway_update(
            actor=self.actor(cast.coordinator), pathway=pathway,
            expected_version=pathway.version, referral_received_on=referral_on,
            referrer=referrer, first_contact_on=first_contact_on, note=note,
        )

    def move(self, pathway: Pathway, cast: Cast, to_phase: str, on: dt.date,
             note: str = "") -> Pathway:
        return services.pathway_transition(actor=self.actor(cast.coordinator), pathway=pathway,
                                           to_phase=to_phase, on=on, note=note)

    def team_add(self, pathway: Pathway, cast: Cast, staff: Staff, role: str) -> None:
        services.careteam_add(actor=self.actor(cast.coordinator), pathway=pathway,
                              staff=staff, role=role)

    def team_end(self, pathway: Pathway, cast: Cast, staff: Staff, role: str) -> None:
        member = CareTeamMember.objects.get(pathway=pathway, staff=staff, role=role,
                                            ended_at__isnull=True)
        services.careteam_end(actor=self.actor(cast.coordinator), member=member,
                              expected_version=member.version)

    def plan_stay(self, pathway: Pathway, cast: Cast, unit: Unit, start: dt.date,
                  end: dt.date) -> Stay:
        return services.stay_plan(actor=self.actor(cast.coordinator), pathway=pathway,
                                  unit=unit, planned_start=start, planned_end=end)

    def cancel_stay(self, stay: Stay, cast: Cast, reason: str) -> None:
        services.stay_cancel(actor=self.actor(cast.coordinator), stay=stay,
                             expected_version=stay.version, reason=reason)

    def admit(self, stay: Stay, by: Staff, on: dt.date) -> None:
        services.stay_admit(actor=self.actor(by), stay=stay, on=on)

    def discharge(self, stay: Stay, by: Staff, on: dt.date) -> None:
        # Synthetic pathways rarely meet every checkpoint before discharge: the gate then
        # stores this reason (discharge/), as a clinic's would be.
        services.stay_discharge(actor=self.actor(by), stay=stay, on=on,
                                reason=DISCHARGE_REASONS[stay.pk % len(DISCHARGE_REASONS)])

    def hand_over(self, pathway: Pathway, cast: Cast, to_staff: Staff, reason: str) -> Pathway:
        pathway.refresh_from_db()
        return services.coordinator_handover(
            actor=self.actor(cast.coordinator), pathway=pathway, to_staff=to_staff,
            expected_version=pathway.version, reason=reason,
        )


class PopulationBuilder:
    """Draws patients and their casts at random and plays their pathways."""

    def __init__(self, directory: Directory, rng: random.Random,
                 today: dt.date | None = None, *, player: PathwayStory | None = None,
                 national_ids: set[str] | None = None) -> None:
        self.directory = directory
        self.rng = rng
        self.today = today or timezone.localdate()
        self.actors: dict[int, Actor] = {}
        self.player = player or PathwayPlayer(rng, self.actors, self.today,
                                              directory.clinicians_at)
        self.national_ids = (national_ids if national_ids is not None
                             else set(Patient.objects.values_list("national_id", flat=True)))
        self.stats = Stats()
        # Lookups over the directory, made once (the directory does not change meanwhile).
        self._stay_candidates: dict[tuple[Any, str, bool], list[Unit]] = {}
        self._trust_by_clinic: dict[Any, Trust] = {}
        self._place_by_municipality: dict[Any, Place] = {}
        self._place_weights: list[float] = []

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
        anywhere = draw >= 0.85
        key = (trust.residential.pk, trust.organisation.region, anywhere)
        candidates = self._stay_candidates.get(key)
        if candidates is None:
            region = trust.organisation.region
            candidates = [unit for unit, r, _staff in self.directory.residential
                          if unit.pk != trust.residential.pk and (anywhere or r == region)]
            self._stay_candidates[key] = candidates
        return self.rng.choice(candidates or [trust.residential])

    def cast(self) -> Cast:
        places = self.directory.places
        if len(self._place_weights) != len(places):  # the running totals choices() would make
            self._place_weights = list(accumulate(p.weight for p in places))
        place = self.rng.choices(places, cum_weights=self._place_weights)[0]
        trust = self.directory.trust_for(place, self.rng)
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

    def next_of_kin(self, pathway: Any) -> None:
        """Some patients name a next of kin; most of them consent to sharing the overview."""
        if self.rng.random() >= 0.35:
            return
        given, family = self.rng.choice(data.GIVEN_NAMES), pathway.patient.family_name
        kin = self.save_next_of_kin(pathway, f"{given} {family}",
                                    self.rng.choice(data.NEXT_OF_KIN_RELATIONS))
        if self.rng.random() < 0.7:
            now = self.player.now()
            given_at = pathway.opened_at + dt.timedelta(days=self.rng.randint(0, 10))
            given_at = min(given_at, now)
            withdrawn = given_at + dt.timedelta(days=20) if self.rng.random() < 0.1 else None
            if withdrawn is not None and withdrawn > now:
                withdrawn = None
            self.save_consent(pathway, kin, given_at, withdrawn)

    def save_next_of_kin(self, pathway: Any, name: str, relation: str) -> Any:
        return NextOfKin.objects.create(patient=pathway.patient, name=name, relation=relation)

    def save_consent(self, pathway: Any, kin: Any, given_at: dt.datetime,
                     withdrawn_at: dt.datetime | None) -> None:
        Consent.objects.create(patient=pathway.patient, next_of_kin=kin, kind="pathway",
                               given_at=given_at, valid_from=timezone.localdate(given_at),
                               withdrawn_at=withdrawn_at,
                               recorded_as=Consent.RecordedAs.CLINICIAN)

    def return_kind(self, closed_on: dt.date) -> str | None:
        """What a patient coming back after a closed pathway starts with (None: no return)."""
        return REFERRAL

    def add(self, kind: str) -> Any:
        pathway = self.player.play(kind, self.cast(), self.person())
        self.next_of_kin(pathway)
        self.stats.patients += 1
        self.stats.pathways[kind] = self.stats.pathways.get(kind, 0) + 1
        closed_on = timezone.localdate(pathway.closed_at) if pathway.closed_at else None
        if closed_on is not None and closed_on < self.today and self.rng.random() < 0.3:
            # Came back: a new referral after the closed pathway (a readmission in the KPIs).
            again_kind = self.return_kind(closed_on)
            if again_kind is not None:
                again = self.player.play(again_kind, self._same_place_cast(pathway),
                                         self._same_person(pathway),
                                         not_before=closed_on + dt.timedelta(days=1))
                self.stats.pathways[again_kind] = self.stats.pathways.get(again_kind, 0) + 1
                return again
        return pathway

    def _same_person(self, pathway: Any) -> Person:
        patient = pathway.patient
        return Person(patient.national_id, patient.given_name, patient.family_name)

    def _same_place_cast(self, pathway: Any) -> Cast:
        cast = self.cast()
        if not self._trust_by_clinic:
            for candidate in reversed(list(self.directory.trusts.values())):
                self._trust_by_clinic[candidate.clinic.pk] = candidate  # the first one wins
            for place in self.directory.places:
                self._place_by_municipality[place.municipality.pk] = place  # the last one wins
        trust = self._trust_by_clinic[pathway.coordinating_unit_id]
        cast.clinic, cast.coordinator = trust.clinic, self.rng.choice(trust.coordinators)
        cast.handover_to = None
        cast.place = self._place_by_municipality.get(pathway.patient.municipality_id, cast.place)
        return cast
