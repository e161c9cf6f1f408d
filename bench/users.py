"""Who the bench acts as, picked from the data: needs Django set up against the bench's database.

- `typical`: the coordinator with the median caseload (open pathways they coordinate), among
  the coordinators who have one (ties: the lowest id, so that runs agree),
- `large`: the coordinator with the largest caseload (another person than `typical`).

Each gets an API bearer token (the project's `ApiToken.issue`, as `ettervern token create`
does) and a signed-in session written to the session store the way a HelseID sign-in leaves
it (`accounts.second_factor.EXTERNAL`: the provider did the strong authentication, so the
TOTP gate lets it through, as in production). Both are revoked / deleted by `release`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

BENCH_LABEL = "bench"
WRITE_POOL = 10  # pathways the write case moves back and forth: one per worker at c=10
DEMO_USERNAMES = ("koordinator", "behandler", "kommune", "nav", "fastlege", "pasient",
                  "parorende", "admin")


@dataclass
class BenchUser:
    role: str  # "typical" or "large"
    username: str
    user_id: int
    staff_id: int
    caseload: int
    token: str = ""
    session_key: str = ""
    unit_ids: list[int] = field(default_factory=list)

    def api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept-Language": "nb"}

    def page_headers(self) -> dict[str, str]:
        from django.conf import settings

        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session_key}",
                "Accept-Language": "nb"}

    def public(self) -> dict[str, Any]:
        return {"username": self.username, "caseload": self.caseload, "staff_id": self.staff_id}


def caseloads() -> list[tuple[int, int]]:
    """(staff id, open pathways coordinated) for every coordinator, smallest first."""
    from django.db.models import Count, Q

    from ettervern.directory.models import Staff

    rows = (Staff.objects.filter(profession=Staff.Profession.COORDINATOR)
            .exclude(user__username__in=DEMO_USERNAMES)
            # The cases' own coordinators (bench/discharge_cases.py) are not picked.
            .exclude(user__username__startswith="bench-")
            .annotate(n=Count("coordinated_pathways",
                              filter=Q(coordinated_pathways__closed_at__isnull=True)))
            .values_list("pk", "n").order_by("n", "pk"))
    return list(rows)


def pick() -> tuple[BenchUser, BenchUser]:
    """The median and the largest caseload."""
    from ettervern.directory.models import Staff

    loads = [row for row in caseloads() if row[1] > 0]
    if len(loads) < 2:
        raise SystemExit("bench: fewer than two coordinators with open pathways; was the "
                         "database seeded?")
    median = loads[(len(loads) - 1) // 2]
    top = max((row for row in loads if row != median), key=lambda row: (row[1], -row[0]))
    chosen = []
    for role, (staff_id, n) in (("typical", median), ("large", top)):
        staff = Staff.objects.select_related("user").get(pk=staff_id)
        chosen.append(BenchUser(role=role, username=staff.user.get_username(),
                                user_id=staff.user.pk, staff_id=staff.pk, caseload=n,
                                unit_ids=list(staff.units.values_list("pk", flat=True))))
    return chosen[0], chosen[1]


def sign_in(user: BenchUser) -> None:
    """A bearer token and a session for `user`."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from ettervern.accounts.middleware import stamp_activity
    from ettervern.accounts.second_factor import EXTERNAL, SIGN_IN_METHOD_SESSION_KEY
    from ettervern.api.models import ApiToken

    account = get_user_model().objects.get(pk=user.user_id)
    _token, user.token = ApiToken.issue(account, label=BENCH_LABEL)
    session = SessionStore()
    session[SESSION_KEY] = str(account.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = account.get_session_auth_hash()
    session[SIGN_IN_METHOD_SESSION_KEY] = EXTERNAL
    stamp_activity(session)
    session.create()
    user.session_key = session.session_key or ""


def release(users: list[BenchUser]) -> None:
    """Revoke the bench's tokens and end its sessions."""
    from django.contrib.sessions.models import Session

    from ettervern.api.models import ApiToken
    from ettervern.core import clock

    ApiToken.objects.filter(label=BENCH_LABEL, revoked_at__isnull=True).update(
        revoked_at=clock.now())
    keys = [u.session_key for u in users if u.session_key]
    Session.objects.filter(session_key__in=keys).delete()


def reading_pathway(user: BenchUser, exclude: list[str]) -> str:
    """The open pathway of `user` with the longest timeline (ties: the oldest), for the pathway
    page, the pathway API and the timeline: a busy pathway, not an empty one."""
    from django.db.models import Count

    from ettervern.pathways.models import Pathway

    pathway = (Pathway.objects.filter(coordinator_id=user.staff_id, closed_at__isnull=True)
               .exclude(public_id__in=exclude)
               .annotate(n=Count("events")).order_by("-n", "id").first())
    if pathway is None:
        raise SystemExit(f"bench: {user.username} coordinates no open pathway")
    return str(pathway.public_id)


def write_pool(user: BenchUser, *, size: int = WRITE_POOL, top_up: bool = True) -> list[str]:
    """`size` open pathways of `user` in contact or pre-admission, for the phase-move case.

    When the data has fewer, the missing ones are opened now (through the services, as the
    coordinator, in contact): once, as they stay in those two phases run after run."""
    from ettervern.pathways.models import Pathway
    from ettervern.pathways.phases import Phase

    def current() -> list[str]:
        return [str(p) for p in Pathway.objects.filter(
            coordinator_id=user.staff_id, closed_at__isnull=True,
            phase__in=[Phase.CONTACT, Phase.PRE_ADMISSION],
        ).order_by("id").values_list("public_id", flat=True)[:size]]

    found = current()
    if len(found) < size and top_up:
        _open_pathways(user, size - len(found))
        found = current()
    return found


def _open_pathways(user: BenchUser, count: int) -> None:
    from django.utils import timezone

    from ettervern.access.policy import Actor
    from ettervern.demo import data
    from ettervern.demo.identities import birth_date, national_id
    from ettervern.directory.models import Staff, Unit
    from ettervern.pathways import services
    from ettervern.patients.models import Patient

    staff = Staff.objects.select_related("user").get(pk=user.staff_id)
    clinic = staff.units.filter(kind=Unit.Kind.OUTPATIENT).order_by("id").first()
    if clinic is None:
        raise SystemExit(f"bench: {user.username} works at no outpatient clinic")
    rng = random.Random(f"bench-{user.username}")
    taken = set(Patient.objects.values_list("national_id", flat=True))
    today = timezone.localdate()
    actor = Actor(user=staff.user, channel="cli")
    for _ in range(count):
        nid = national_id(rng, birth_date(rng, today), taken)
        services.pathway_open(
            actor=actor, coordinating_unit=clinic, national_id=nid,
            given_name=rng.choice(data.GIVEN_NAMES), family_name=rng.choice(data.FAMILY_NAMES),
            first_contact_on=today - dt.timedelta(days=rng.randint(1, 20)))


def phases(public_ids: list[str]) -> dict[str, str]:
    from ettervern.pathways.models import Pathway

    return {str(pid): phase for pid, phase in
            Pathway.objects.filter(public_id__in=public_ids).values_list("public_id", "phase")}
