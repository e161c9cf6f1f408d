"""The demo logins, one per role, and the curated pathways that make each of them worth a look.

Only the demo command calls this, and only in demo mode: it is the one place a password is set
for a synthetic person. Re-running resets the logins (password, flags, units, permissions)
without duplicating their pathways.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission, User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ettervern.beds.demo import demo_beds
from ettervern.core.errors import Forbidden
from ettervern.demo import data
from ettervern.demo.directory import DEMO_USERNAMES, Directory, build_directory
from ettervern.demo.identities import birth_date, hpr_number, national_id
from ettervern.demo.population import (
    AFTERCARE,
    CLOSED,
    CONTACT,
    PRE_ADMISSION,
    REFERRAL,
    RESIDENTIAL,
    Cast,
    PathwayPlayer,
    Person,
)
from ettervern.directory.models import Staff, Unit
from ettervern.meetings.demo import demo_meetings
from ettervern.messaging.demo import demo_messages
from ettervern.pathways.models import Pathway
from ettervern.patients.demo import demo_consents
from ettervern.patients.models import NextOfKin, Patient
from ettervern.planning.checklist.demo import demo_checklists
from ettervern.planning.crisis.demo import demo_crisis_plan
from ettervern.planning.mapping.demo import demo_mappings
from ettervern.planning.plan.demo import demo_plan
from ettervern.rights.demo import demo_rights
from ettervern.tasks.demo import demo_tasks

# The one shared demo password: set only by the demo command, only in demo mode.
DEMO_PASSWORD = "ettervern-demo"  # noqa: S105
DEMO_TRUST = "Oslo universitetssykehus HF"
DEMO_MUNICIPALITY = "Oslo"
BED_TRUST = "Akershus universitetssykehus HF"
# Programmes in the other regions, for the search across the country.
BED_PROGRAMME_TRUSTS = ("Helse Bergen HF", "St. Olavs hospital HF",
                        "Universitetssykehuset Nord-Norge HF", "Sykehuset Innlandet HF")


@dataclass(frozen=True)
class Login:
    username: str
    role: str  # Norwegian: printed as-is in the demo's login table
    given_name: str
    family_name: str
    profession: str = ""  # staff logins only

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


LOGINS: list[Login] = [
    Login("koordinator", "Koordinator, TSB-poliklinikk", "Hanne", "Solberg",
          Staff.Profession.COORDINATOR),
    Login("behandler", "Behandler, døgnavdeling (privat)", "Trond", "Aune",
          Staff.Profession.CLINICIAN),
    Login("kommune", "Kommunal oppfølger", "Sissel", "Brekke", Staff.Profession.MUNICIPAL),
    Login("nav", "NAV-veileder", "Kamran", "Haugen", Staff.Profession.NAV),
    Login("fastlege", "Fastlege", "Marte", "Lien", Staff.Profession.GP),
    Login("pasient", "Pasient", "Jonas", "Tveit"),
    Login("parorende", "Pårørende", "Randi", "Tveit"),
    Login("admin", "Enhetsadministrator", "Eirik", "Nordby", Staff.Profession.ADMIN),
    Login("sengepost", "Leder, brukerstyrt seng (annet helseforetak)", "Ingrid", "Moe",
          Staff.Profession.CLINICIAN),
]
USERNAMES = tuple(login.username for login in LOGINS)
assert set(USERNAMES) == set(DEMO_USERNAMES)
_HEALTH_PERSONNEL = {Staff.Profession.COORDINATOR, Staff.Profession.CLINICIAN,
                     Staff.Profession.GP}


def demo_users_exist() -> bool:
    return get_user_model().objects.filter(username__in=USERNAMES).exists()


class DemoLogins:
    def __init__(self, directory: Directory, rng: random.Random) -> None:
        self.directory = directory
        self.rng = rng
        self.trust = directory.trusts[DEMO_TRUST]
        self.place = next(p for p in directory.places if p.name == DEMO_MUNICIPALITY)
        self.private_unit = next(u for u in directory.private_units
                                 if u.organisation.region == self.trust.organisation.region)
        # The pasient's user-controlled bed: at a residential unit of a neighbouring trust,
        # neither the one that coordinates nor the one that treats them.
        self.bed_unit = directory.trusts[BED_TRUST].residential
        self.hpr_numbers = set(
            Staff.objects.exclude(hpr_number="").values_list("hpr_number", flat=True)
        )
        self.users: dict[str, User] = {}
        self.staff: dict[str, Staff] = {}

    def _unit_of(self, staff: Staff, kind: str) -> Unit:
        unit = staff.units.filter(kind=kind).order_by("id").first()
        assert unit is not None, (staff, kind)
        return unit

    def _units_for(self, username: str) -> list[Unit]:
        return {
            "koordinator": [self.trust.clinic],
            "behandler": [self.private_unit],
            "kommune": [self._unit_of(self.place.municipal_staff[0], Unit.Kind.MUNICIPAL)],
            "nav": [self._unit_of(self.place.nav_staff[0], Unit.Kind.NAV)],
            "fastlege": [self._unit_of(self.place.gp_staff[0], Unit.Kind.GP)],
            "admin": [self.trust.admin_unit],
            "sengepost": [self.bed_unit],
        }[username]

    # --- logins --------------------------------------------------------------------------

    def ensure_users(self) -> None:
        """Create or reset every demo login: the demo password, active, the right flags."""
        if not settings.DEMO:
            raise Forbidden("Demo logins exist only in demo mode (ETTERVERN_DEMO=1).")
        user_model = get_user_model()
        for login in LOGINS:
            user, _created = user_model.objects.get_or_create(username=login.username)
            user.first_name, user.last_name = login.given_name, login.family_name
            user.is_active = True
            user.is_superuser = False
            user.is_staff = login.username == "admin"
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.users[login.username] = user
            if login.profession:
                self.staff[login.username] = self._ensure_staff(login, user)
        admin = self.users["admin"]
        # The unit administrator maintains the directory in the admin site, and nothing else:
        # no permission on patient, pathway or audit models.
        # The offers catalogue and the checklist's item types are theirs to keep as well.
        admin.user_permissions.set(Permission.objects.filter(
            Q(content_type__app_label__in=["directory", "catalogue"])
            | Q(content_type__app_label="planning", content_type__model="checklistitemtype")))

    def _ensure_staff(self, login: Login, user: User) -> Staff:
        staff = Staff.objects.filter(user=user).first()
        if staff is None:
            staff = Staff.objects.create(
                user=user, name=login.name, profession=login.profession,
                hpr_number=(hpr_number(self.rng, self.hpr_numbers)
                            if login.profession in _HEALTH_PERSONNEL else ""),
            )
        elif staff.profession != login.profession or staff.name != login.name:
            staff.name, staff.profession = login.name, login.profession
            staff.save(update_fields=["name", "profession"])
        staff.units.set(self._units_for(login.username))
        return staff

    # --- curated pathways ----------------------------------------------------------------

    def ensure_pathways(self) -> None:
        """The koordinator's caseload, once: the pasient's rich pathway and one in each phase."""
        if Patient.objects.filter(user=self.users["pasient"]).exists():
            return
        today = timezone.localdate()
        player = PathwayPlayer(self.rng, {}, today, self._clinicians)
        self._patient_pathway(player, today)
        kommune, nav, gp = self.staff["kommune"], self.staff["nav"], self.staff["fastlege"]
        colleague = self.trust.coordinators[0]
        own_unit = self.trust.residential
        plans = [
            (CONTACT, self._cast(gp=gp)),
            (REFERRAL, self._cast(gp=gp, municipal=kommune)),
            (PRE_ADMISSION, self._cast(self.private_unit, gp=gp, municipal=kommune, nav=nav)),
            # Handed over to the koordinator by a colleague while the patient is admitted.
            (RESIDENTIAL, self._cast(own_unit, gp=gp, municipal=kommune,
                                     coordinator=colleague, handover_to=self.staff["koordinator"])),
            (AFTERCARE, self._cast(self.private_unit, gp=gp, municipal=kommune, nav=nav)),
            (PRE_ADMISSION, self._cast(own_unit, municipal=kommune)),
            # Closed days ago: the koordinator finds it with the phase filter and may reopen it.
            (CLOSED, self._cast(own_unit, gp=gp, municipal=kommune, closed_within_days=10)),
        ]
        for kind, cast in plans:
            player.play(kind, cast, self._person(today))

    def _clinicians(self, unit: Unit) -> list[Staff]:
        if unit.pk == self.private_unit.pk:
            return [self.staff["behandler"]]
        return self.directory.clinicians_at(unit)

    def _cast(self, unit: Unit | None = None, *, gp: Staff | None = None,
              municipal: Staff | None = None, nav: Staff | None = None,
              coordinator: Staff | None = None, handover_to: Staff | None = None,
              closed_within_days: int = 200) -> Cast:
        unit = unit or self.trust.residential
        return Cast(closed_within_days=closed_within_days,
            coordinator=coordinator or self.staff["koordinator"], clinic=self.trust.clinic,
            place=self.place, stay_units=[unit, unit], gp=gp, municipal=municipal, nav=nav,
            specialist=next(iter(self.directory.clinicians_at(unit)), None),
            handover_to=handover_to, complete=True,
        )

    def _person(self, today: dt.date, given: str | None = None,
                family: str | None = None) -> Person:
        used = set(Patient.objects.values_list("national_id", flat=True))
        return Person(national_id(self.rng, birth_date(self.rng, today), used),
                      given or self.rng.choice(data.GIVEN_NAMES),
                      family or self.rng.choice(data.FAMILY_NAMES))

    def _patient_pathway(self, player: PathwayPlayer, today: dt.date) -> Pathway:
        """The pasient: two planned stays at the behandler's unit, the second one ongoing,
        with the whole care team and a consenting next of kin."""
        days = dt.timedelta
        koordinator, behandler = self.staff["koordinator"], self.staff["behandler"]
        cast = self._cast(self.private_unit, gp=self.staff["fastlege"],
                          municipal=self.staff["kommune"], nav=self.staff["nav"])
        cast.specialist = behandler
        login = next(login for login in LOGINS if login.username == "pasient")
        person = self._person(today, login.given_name, login.family_name)
        pathway = player._open(cast, person, referral_on=today - days(130))
        pathway = player._to_pre_admission(pathway, cast, today - days(112))
        first = player._plan(pathway, cast, self.private_unit, today - days(112),
                             today - days(90), 35)
        second = player._plan(pathway, cast, self.private_unit, today - days(112),
                              today - days(14), 42)
        player._admit(first, cast, today - days(90), first=True)
        player._discharge(first, cast, today - days(55), last=False)
        player._admit(second, cast, today - days(14), first=False)
        assert pathway.coordinator_id == koordinator.pk

        patient = Patient.objects.get(pk=pathway.patient_id)
        patient.user = self.users["pasient"]
        patient.save(update_fields=["user"])
        kin_login = next(login for login in LOGINS if login.username == "parorende")
        kin_number = national_id(
            self.rng, birth_date(self.rng, today),
            set(Patient.objects.values_list("national_id", flat=True)))
        # A national id, so the next of kin can also sign in with ID-porten (make demo OIDC=1).
        kin = NextOfKin.objects.create(patient=patient, name=kin_login.name, relation="mor",
                                       national_id=kin_number, user=self.users["parorende"])
        trust_number = national_id(
            self.rng, birth_date(self.rng, today),
            set(Patient.objects.values_list("national_id", flat=True)) | {kin_number})
        demo_consents(patient=patient, kin=kin, recorded_by=koordinator.user,
                      patient_user=self.users["pasient"], today=today,
                      trust_person_number=trust_number)
        demo_plan(pathway, patient_user=self.users["pasient"], today=today)
        demo_crisis_plan(pathway, by=koordinator)
        demo_mappings(pathway, clinician=koordinator, patient_user=patient.user, today=today)
        # An emergency access by a GP at the fastlege's practice (the fastlege leads the
        # practice, so sees its follow-up list), and a block of a colleague at the
        # koordinator's clinic.
        colleague = next((s for s in self.trust.coordinators if s.pk != koordinator.pk), None)
        practice = self._units_for("fastlege")[0]
        practice.leaders.add(self.users["fastlege"].staff)
        demo_rights(pathway, patient_user=patient.user, emergency_unit=practice,
                    blocked=colleague)
        sengepost = self.staff["sengepost"]
        self.bed_unit.leaders.add(sengepost)
        others = [self.directory.trusts[name].residential for name in BED_PROGRAMME_TRUSTS
                  if name in self.directory.trusts]
        demo_beds(pasient_pathway=pathway, pasient_user=patient.user, bed_unit=self.bed_unit,
                  other_units=[*others, *self.directory.private_units[-2:]],
                  bed_staff=sengepost, today=today, rng=self.rng)
        demo_meetings(pathway, first=first, second=second, staff=self.staff, kin=kin,
                      today=today)
        demo_messages(pathway=pathway, users=self.users, now=timezone.now())
        demo_tasks(pathway, koordinator=koordinator, kommune=self.staff["kommune"],
                   patient_user=patient.user, today=today)
        return pathway


def setup_demo_logins(rng: random.Random | None = None) -> list[Login]:
    """Create or reset the demo logins and, the first time, their pathways. Demo mode only."""
    if not settings.DEMO:
        raise Forbidden("Demo logins exist only in demo mode (ETTERVERN_DEMO=1).")
    rng = rng or random.Random(2025)  # noqa: S311 - synthetic data, not security
    with transaction.atomic():
        demo = DemoLogins(build_directory(rng), rng)
        demo.ensure_users()
        demo.ensure_pathways()
        demo_checklists(demo.staff["koordinator"])
    return LOGINS
