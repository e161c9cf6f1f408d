"""Tasks: "Mine oppgaver" (page and API) for a coordinator with 300 open pathways.

The data (once; `ensure_owner`): a coordinator of their own, `bench-oppgaver`, at the typical
coordinator's outpatient clinic, with 300 open pathways opened through pathways.services (so
that access, the timeline and the audit log are what real use leaves), and on each, written in
bulk, three open tasks of theirs (due from ten days ago to a month ahead: about one in seven is
overdue), two done ones, and two open ones of other people on the team. The coordinator's
list is then 900 open tasks, 36 pages of 25; both cases read the first page (the overdue ones
and the next due) and its count."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bench.cases import Case, Context, Streams, add, headers_for
from bench.users import BenchUser, sign_in

OWNER = "tasks"
USERNAME = "bench-oppgaver"
PATHWAYS = 300
OPEN_PER_PATHWAY, DONE_PER_PATHWAY, OTHERS_PER_PATHWAY = 3, 2, 2


def ensure_owner(ctx: Context) -> BenchUser:
    """The coordinator with PATHWAYS open pathways and their tasks, signed in (seeded once)."""
    if OWNER in ctx.users:
        return ctx.users[OWNER]
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from ettervern.directory.models import Staff

    account = get_user_model().objects.filter(username=USERNAME).first()
    if account is None:
        with transaction.atomic():
            account = _seed(ctx)
    staff = Staff.objects.get(user=account)
    who = BenchUser(role=OWNER, username=USERNAME, user_id=account.pk, staff_id=staff.pk,
                    caseload=PATHWAYS)
    sign_in(who)
    ctx.users[OWNER] = who
    return who


def _seed(ctx: Context) -> Any:
    from django.contrib.auth import get_user_model

    from ettervern.access.policy import Actor
    from ettervern.core import clock
    from ettervern.demo import data
    from ettervern.demo.identities import birth_date, national_id
    from ettervern.directory.models import Staff, Unit
    from ettervern.pathways import services
    from ettervern.pathways.models import Pathway
    from ettervern.patients.models import Patient
    from ettervern.tasks.models import Service, Task

    typical = Staff.objects.get(pk=ctx.users["typical"].staff_id)
    clinic = typical.units.filter(kind=Unit.Kind.OUTPATIENT).order_by("id").first()
    if clinic is None:
        raise SystemExit("bench: the typical coordinator works at no outpatient clinic")
    account = get_user_model().objects.create_user(username=USERNAME, password=None)
    staff = Staff.objects.create(user=account, name="Bench Oppgaver",
                                 profession=Staff.Profession.COORDINATOR)
    staff.units.add(clinic)
    others = list(Staff.objects.filter(profession__in=[Staff.Profession.MUNICIPAL,
                                                       Staff.Profession.NAV])
                  .values_list("user_id", "profession")[:20]) or [(typical.user_id, "")]
    rng = random.Random(f"bench-tasks-{USERNAME}")
    taken = set(Patient.objects.values_list("national_id", flat=True))
    today = clock.today()
    actor = Actor(user=account, channel="cli")
    for _ in range(PATHWAYS):
        services.pathway_open(
            actor=actor, coordinating_unit=clinic,
            national_id=national_id(rng, birth_date(rng, today), taken),
            given_name=rng.choice(data.GIVEN_NAMES), family_name=rng.choice(data.FAMILY_NAMES),
            first_contact_on=today - dt.timedelta(days=rng.randint(1, 60)))
    now = clock.now()
    rows: list[Task] = []
    for pathway_id in Pathway.objects.filter(coordinator=staff).values_list("pk", flat=True):
        def task(owner_id: int, service: str, n: int, done: bool = False,
                 pathway_id: int = pathway_id) -> Task:
            return Task(pathway_id=pathway_id, owner_id=owner_id, service=service,
                        title=f"Oppgave {n}: følg opp pasienten",
                        due_on=today + dt.timedelta(days=rng.randint(-10, 30)),
                        status="done" if done else "open", done_at=now if done else None,
                        done_by_id=account.pk if done else None, created_by_id=account.pk)
        rows += [task(account.pk, Service.OUTPATIENT, n) for n in range(OPEN_PER_PATHWAY)]
        rows += [task(account.pk, Service.OUTPATIENT, n, done=True)
                 for n in range(DONE_PER_PATHWAY)]
        for n in range(OTHERS_PER_PATHWAY):
            owner_id, profession = rng.choice(others)
            rows.append(task(owner_id, Service.NAV if profession == "nav"
                             else Service.MUNICIPALITY, n))
    Task.objects.bulk_create(rows, batch_size=1000)
    return account


def _get(path: str, kind: str) -> Any:
    def build(ctx: Context) -> Streams:
        ensure_owner(ctx)
        return [[{"method": "GET", "path": path, "headers": headers_for(ctx, kind, OWNER)}]]
    return build


add(Case("my_tasks_page", "GET /oppgaver/ (coordinator, 300 open pathways)", "page", OWNER,
         _get("/oppgaver/", "page"),
         what="Mine oppgaver: the first 25 of 900 open tasks, overdue first, and the count"))
add(Case("my_tasks_api", "GET /api/tasks/mine (coordinator, 300 open pathways)", "api", OWNER,
         _get("/api/tasks/mine", "api"),
         what="the same, as JSON"))
