"""Small builders for test data. Synthetic identities only, generated with valid check digits."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.contrib.auth import get_user_model

from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.demo import identities
from ettervern.directory.models import Organisation, Staff, Unit  # noqa: F401 (re-exported)
from ettervern.pathways import services
from ettervern.pathways.models import Pathway

_counter = itertools.count(1)


# One generator for synthetic identities: the seed's (valid check digits from stdnum).
_rng = random.Random()
_used: set[str] = set()


def national_id(birth: dt.date | None = None, *, d_number: bool = False) -> str:
    """A valid synthetic fødselsnummer (or D-nummer) for `birth`."""
    birth = birth or dt.date(1980 + next(_counter) % 30, 1 + next(_counter) % 12,
                             1 + next(_counter) % 28)
    return identities.national_id(_rng, birth, _used, d_number=d_number)


def orgnr() -> str:
    return identities.org_number(_rng, _used)


def organisation(kind: str = Organisation.Kind.HF, name: str | None = None) -> Organisation:
    return Organisation.objects.create(kind=kind, name=name or f"Org {next(_counter)}",
                                       org_number=orgnr())


def unit(kind: str = Unit.Kind.OUTPATIENT, org: Organisation | None = None,
         name: str | None = None) -> Unit:
    org_kind = {
        Unit.Kind.OUTPATIENT: Organisation.Kind.HF,
        Unit.Kind.RESIDENTIAL: Organisation.Kind.PRIVATE,
        Unit.Kind.MUNICIPAL: Organisation.Kind.KOMMUNE,
        Unit.Kind.NAV: Organisation.Kind.NAV,
        Unit.Kind.GP: Organisation.Kind.GP_PRACTICE,
    }.get(kind, Organisation.Kind.HF)
    return Unit.objects.create(organisation=org or organisation(org_kind), kind=kind,
                               name=name or f"Unit {next(_counter)}")


def staff(profession: str = Staff.Profession.COORDINATOR, units: list[Unit] | None = None,
          username: str | None = None) -> Staff:
    user = get_user_model().objects.create_user(username=username or f"user{next(_counter)}",
                                                password=None)
    person = Staff.objects.create(user=user, name=f"Staff {user.username}", profession=profession)
    if units:
        person.units.set(units)
    return person


def actor(person: Staff | object, channel: str = "web") -> Actor:
    user = person.user if isinstance(person, Staff) else person
    return Actor(user=user, channel=channel)


def open_pathway(coordinator: Staff | None = None, *, referral_on: dt.date | None = None,
                 first_contact_on: dt.date | None = None, nid: str | None = None) -> Pathway:
    if coordinator is None:
        coordinator = staff(units=[unit(Unit.Kind.OUTPATIENT)])
    clinic = coordinator.units.filter(kind=Unit.Kind.OUTPATIENT).first()
    assert clinic is not None
    if referral_on is None and first_contact_on is None:
        referral_on = clock.today() - dt.timedelta(days=30)
    return services.pathway_open(
        actor=actor(coordinator), coordinating_unit=clinic, national_id=nid or national_id(),
        given_name="Kari", family_name=f"Nordmann{next(_counter)}",
        referral_received_on=referral_on, referrer="Fastlege Hansen" if referral_on else "",
        first_contact_on=first_contact_on,
    )
