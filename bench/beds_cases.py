"""User-controlled beds: the search across the country and a booking, with 300 residential
units and a year of bookings.

The data (once, in one transaction, in bulk; `ensure_beds`): residential units up to 300
(the directory has about 120 at every scale; the rest are added to the trusts and private
providers of the four regions), a published programme for each with its target groups, a
capacity of a few beds per night (some units change it during the year), and a year of stays
from half a year ago to half a year ahead, bed by bed: most nights of the past are used, the
near future is well booked and the far future less. Past stays have departed (or the patient
is there now); some were cancelled or refused. The night rows (BedNight) hold what the stays
take. The patients are those of closed pathways (at `tiny`, a few hundred patients share the
stays), so that no case that reads an open pathway meets them.

The search: as the typical coordinator, 30 nights from a week ahead; `raw` runs the search's
own statement (`selectors.search_sql`, see rawsql.QUERIES["bed_search"]).

The booking: patients of open pathways (the write pool: `POOL` of them, none on a pathway
another case uses) each hold an accepted agreement with a unit that lets them book a year
ahead with a week between stays. Before each load run the pool's booked stays are taken back
(deleted, their nights given back) and the requests are planned from the data: every request
is a stay the rules allow (dates, days between stays, the agreement's number of stays, a
residential stay elsewhere) on nights with a free bed, posted with the patient's own bearer
token. Each patient's stays go to one stream (two or three patients' interleaved), so that one
patient's bookings are sent in order by one worker."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from bench.cases import Case, Context, Request, Streams, add, headers_for
from bench.users import BENCH_LABEL

UNITS = 300
SEED_USER = "bench-senger"  # writes the seeded agreements and stays; exists once seeded
SEED = 20251
YEAR_BACK, YEAR_AHEAD = 182, 183
PATIENTS_PER_BED = 8  # the patients who share one bed's stays over the year

SEARCH_AHEAD, SEARCH_NIGHTS = 7, 30

POOL = 24  # a stream needs two patients' stays at least (a patient books 52 at most)
POOL_MARK = "bench: the booking case's pool"
STREAMS = 10  # one per worker at the highest concurrency
STREAM_MIN = 60  # more than a worker sends at c=10 in a full run (42 on average)


# --- the data ---------------------------------------------------------------------------------

def ensure_beds() -> None:
    """Seed the beds' data once (a no-op when the seed user exists: it is written in the same
    transaction as the rest)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    if get_user_model().objects.filter(username=SEED_USER).exists():
        return
    with transaction.atomic():
        _Seeder(random.Random(f"bench-beds-{SEED}")).run()


class _Seeder:
    def __init__(self, rng: random.Random) -> None:
        from ettervern.core import clock

        self.rng = rng
        self.now = clock.now()
        self.today = clock.today()
        self.start = self.today - dt.timedelta(days=YEAR_BACK)
        self.end = self.today + dt.timedelta(days=YEAR_AHEAD)

    def run(self) -> None:
        from django.contrib.auth import get_user_model

        user = get_user_model()(username=SEED_USER, is_active=False)
        user.set_unusable_password()
        units = self.units()
        programmes = self.programmes(units)
        capacity = self.capacity(programmes)
        user.save()
        self.stays(programmes, capacity, user.pk)

    def units(self) -> list[Any]:
        """The residential units, topped up to UNITS across the trusts and private providers."""
        from ettervern.directory.models import Organisation, Unit

        units = list(Unit.objects.filter(kind=Unit.Kind.RESIDENTIAL).order_by("id"))
        missing = UNITS - len(units)
        if missing > 0:
            owners = list(Organisation.objects.filter(
                kind__in=[Organisation.Kind.HF, Organisation.Kind.PRIVATE])
                .exclude(region="").order_by("id"))
            have = Counter(u.organisation_id for u in units)
            new = []
            for n in range(missing):
                owner = owners[n % len(owners)]
                have[owner.pk] += 1
                new.append(Unit(organisation=owner, kind=Unit.Kind.RESIDENTIAL,
                                name=f"{owner.name} døgnenhet {have[owner.pk]}",
                                created_at=self.now, updated_at=self.now))
            Unit.objects.bulk_create(new)
            units = list(Unit.objects.filter(kind=Unit.Kind.RESIDENTIAL).order_by("id"))
        return units[:UNITS]

    def programmes(self, units: list[Any]) -> list[Any]:
        from ettervern.beds.models import Programme, TargetGroup

        rng = self.rng
        groups = list(TargetGroup.objects.order_by("order"))
        if not groups:  # a test database flushed by an earlier transactional test
            migration = importlib.import_module("ettervern.beds.migrations.0002_target_groups")
            groups = TargetGroup.objects.bulk_create(
                [TargetGroup(code=code, name=name, order=n)
                 for n, (code, name) in enumerate(migration.GROUPS, start=1)])
        taken = set(Programme.objects.values_list("unit_id", flat=True))
        new = []
        for n, unit in enumerate(u for u in units if u.pk not in taken):
            # A tenth let patients book a year ahead with a week between stays (the booking
            # case's pool books there); the others as units do.
            year = n % 10 == 0
            min_stay = 2 if rng.random() < 0.1 else 1
            new.append(Programme(
                unit=unit, gender_separated=rng.random() < 0.15,
                prerequisites="Gyldig avtale og oppdatert kriseplan.",
                content="Hvile, samtaler og struktur i hverdagen.",
                min_stay_days=min_stay, max_stay_days=rng.choice([3, 5, 5, 5, 7]),
                min_days_between=7 if year else rng.choice([7, 14, 14, 21, 30]),
                book_ahead_days=365 if year else rng.choice([60, 60, 90, 90, 180]),
                min_notice_days=0 if year else rng.choice([0, 0, 0, 1, 2]),
                contact_phone=f"{rng.randint(21, 79)} {rng.randint(10, 99)} "
                              f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                published=True, created_at=self.now, updated_at=self.now))
        Programme.objects.bulk_create(new)
        through = Programme.target_groups.through
        links = []
        for programme in new:
            chosen = {groups[0], *rng.sample(groups[1:], rng.choice([0, 1, 1, 2]))}
            links += [through(programme_id=programme.pk, targetgroup_id=g.pk) for g in chosen]
        through.objects.bulk_create(links)
        return new

    def capacity(self, programmes: list[Any]) -> dict[int, list[int]]:
        """Beds per night (index: days since `start`) of each programme, written as changes."""
        from ettervern.beds.models import CapacityChange

        rng, days = self.rng, (self.end - self.start).days
        changes, plan = [], {}
        for programme in programmes:
            beds = rng.choice([2, 3, 3, 4, 4, 4, 5, 6])
            nights = [beds] * days
            changes.append(CapacityChange(programme=programme, valid_from=self.start,
                                          beds=beds))
            if rng.random() < 0.3:
                at = rng.randint(30, days - 30)
                later = max(1, beds + rng.choice([-1, 1]))
                nights[at:] = [later] * (days - at)
                changes.append(CapacityChange(programme=programme, beds=later,
                                              valid_from=self.start + dt.timedelta(days=at)))
            plan[programme.pk] = nights
        CapacityChange.objects.bulk_create(changes)
        return plan

    def occupancy(self, day: int, horizon: int) -> float:
        """How likely a free bed is taken from `day` on (days since `start`)."""
        ahead = day - YEAR_BACK
        if ahead < 0:
            return 0.7
        if ahead >= horizon:
            return 0.0
        return 0.75 * (1 - ahead / horizon) + 0.05

    def stays(self, programmes: list[Any], capacity: dict[int, list[int]], user_id: int) -> None:
        from ettervern.beds.models import Agreement, Booking
        from ettervern.pathways.models import Pathway

        rng = self.rng
        people = list(Pathway.objects.filter(closed_at__isnull=False).order_by("id")
                      .values_list("id", "patient_id"))
        if not people:
            raise SystemExit("bench: no closed pathways to give the seeded stays to")
        rng.shuffle(people)
        who = itertools.cycle(people)
        agreements: list[Agreement] = []
        # (agreement index, arrival, departure (days since `start`), programme, status if
        # it holds no bed: cancelled or refused)
        stays: list[tuple[int, int, int, int, str]] = []
        for programme in programmes:
            nights = capacity[programme.pk]
            horizon = programme.book_ahead_days
            for bed in range(max(nights)):
                group = []
                for _ in range(PATIENTS_PER_BED):
                    pathway_id, patient_id = next(who)
                    group.append(len(agreements))
                    agreements.append(Agreement(
                        pathway_id=pathway_id, patient_id=patient_id, programme=programme,
                        valid_from=self.start, valid_to=self.end, max_stays=1,
                        max_days_per_stay=programme.max_stay_days, created_by_id=user_id,
                        conditions="Ring dagen før.",
                        accepted_at=self.now - dt.timedelta(days=YEAR_BACK),
                        created_at=self.now - dt.timedelta(days=YEAR_BACK),
                        updated_at=self.now - dt.timedelta(days=YEAR_BACK)))
                for arrival, departure in self._timeline(nights, bed, programme, horizon):
                    stays.append((rng.choice(group), arrival, departure, programme.pk, ""))
                    # Some nights were booked first by another of the bed's patients, who
                    # cancelled, or whom the unit turned away.
                    if rng.random() < 0.08:
                        stays.append((rng.choice(group), arrival, departure, programme.pk,
                                      Booking.Status.CANCELLED))
                    elif rng.random() < 0.03 and departure <= YEAR_BACK:
                        stays.append((rng.choice(group), arrival, departure, programme.pk,
                                      Booking.Status.REFUSED))
        used = Counter(index for index, *_rest, status in stays
                       if status not in (Booking.Status.CANCELLED, Booking.Status.REFUSED))
        for index, agreement in enumerate(agreements):
            agreement.max_stays = max(1, min(52, used[index]))
        Agreement.objects.bulk_create(agreements, batch_size=2000)
        self._write(agreements, stays, capacity, user_id)

    def _timeline(self, nights: list[int], bed: int, programme: Any,
                  horizon: int) -> Iterator[tuple[int, int]]:
        """One bed's stays over the year (days since `start`): a stay, a gap, a stay …"""
        rng, day, days = self.rng, 0, len(nights)
        while day < days:
            length = max(programme.min_stay_days,
                         min(programme.max_stay_days, rng.choice([1, 2, 2, 3, 3, 3, 4, 5])))
            end = day + length
            if (end <= days and rng.random() < self.occupancy(day, horizon)
                    and all(bed < beds for beds in nights[day:end])):
                yield day, end
                day = end + rng.choice([0, 0, 1, 1, 2, 3])
            else:
                day += rng.choice([1, 1, 2, 3])

    def _write(self, agreements: list[Any], stays: list[tuple[int, int, int, int, str]],
               capacity: dict[int, list[int]], user_id: int) -> None:
        """The stays (COPY) and the night rows that hold them."""
        from django.db import connection

        from ettervern.beds.models import BedNight, Booking

        booking_rows, held = [], Counter()
        today = YEAR_BACK
        for index, arrival, departure, programme_id, cancelled in stays:
            agreement = agreements[index]
            made = self.now - dt.timedelta(days=YEAR_BACK - arrival + self.rng.randint(3, 40))
            status, departed_on, cancelled_at, reason = cancelled, None, None, ""
            if cancelled == Booking.Status.CANCELLED:
                cancelled_at = made + dt.timedelta(days=1)
            elif cancelled == Booking.Status.REFUSED:
                reason = self.rng.choice(Booking.RefusalReason.values)
            elif departure <= today:
                status, departed_on = Booking.Status.DEPARTED, self._date(departure)
            elif arrival <= today:
                status = Booking.Status.ARRIVED
            else:
                status = Booking.Status.BOOKED
            if not cancelled:
                held.update((programme_id, night) for night in range(arrival, departure))
            booking_rows.append((
                uuid.UUID(int=self.rng.getrandbits(128), version=4), made, made, 1,
                self._date(arrival), self._date(departure), status, cancelled_at, reason, "",
                departed_on, agreement.pk, user_id, agreement.patient_id, None, programme_id))
        night_rows = [(programme_id, self._date(night), capacity[programme_id][night], n)
                      for (programme_id, night), n in sorted(held.items())]
        booking_columns = ["public_id", "created_at", "updated_at", "version", "arrival",
                           "departure", "status", "cancelled_at", "refusal_reason", "note",
                           "departed_on", "agreement_id", "booked_by_id", "patient_id",
                           "stay_id", "programme_id"]
        with connection.cursor() as cursor:
            for model, columns, rows in (
                    (Booking, booking_columns, booking_rows),
                    (BedNight, ["programme_id", "night", "capacity", "booked"], night_rows)):
                statement = (f"COPY {model._meta.db_table} ({', '.join(columns)}) "
                             "FROM STDIN")
                with cursor.cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
            for model in (Booking, BedNight):
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    def _date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)


# --- the search ---------------------------------------------------------------------------------

def search_range(ctx: Context) -> tuple[dt.date, dt.date]:
    first = ctx.today + dt.timedelta(days=SEARCH_AHEAD)
    return first, first + dt.timedelta(days=SEARCH_NIGHTS)


def _search(prefix: str, kind: str) -> Any:
    def build(ctx: Context) -> Streams:
        ensure_beds()
        first, until = search_range(ctx)
        return [[{"method": "GET", "path": f"{prefix}?first={first}&until={until}",
                  "headers": headers_for(ctx, kind, "typical")}]]
    return build


def _search_params(ctx: Context) -> dict[str, Any]:
    first, until = search_range(ctx)
    return {"first": first, "until": until}


# --- the booking --------------------------------------------------------------------------------

def _excluded(ctx: Context) -> set[str]:
    """The pathways other cases read or move: never in the pool."""
    return {ctx.pathway, *ctx.write_pool}


def ensure_pool(ctx: Context) -> list[Any]:
    """POOL accepted agreements of patients of open pathways (made once, kept), valid from
    today for 400 days, each with a login: the agreements, with what the planning reads."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from ettervern.beds.models import Agreement, Programme
    from ettervern.core import clock
    from ettervern.pathways.models import Pathway, Stay
    from ettervern.patients.models import Patient

    today = ctx.today
    excluded = _excluded(ctx)

    def current() -> list[Agreement]:
        return list(Agreement.objects.filter(conditions=POOL_MARK, pathway__closed_at=None)
                    .exclude(pathway__public_id__in=excluded)
                    .select_related("programme", "patient__user").order_by("id")[:POOL])

    pool = current()
    if len(pool) < POOL:
        places = list(Programme.objects.filter(published=True, book_ahead_days=365,
                                               min_days_between__lte=7).order_by("id"))
        if not places:
            raise SystemExit("bench: no programme lets patients book a year ahead")
        # Patients with no agreement yet; first those with no residential stay planned or
        # going on (a stay elsewhere bars a booking for its days: the planning keeps clear).
        busy = Exists(Stay.objects.filter(
            pathway__patient_id=OuterRef("patient_id"), kind=Stay.Kind.RESIDENTIAL,
            status__in=[Stay.Status.PLANNED, Stay.Status.ONGOING]))
        fresh = list(Pathway.objects.filter(closed_at=None, patient__bed_agreements=None)
                     .exclude(public_id__in=excluded).annotate(busy=busy)
                     .select_related("patient").order_by("busy", "id")[:POOL - len(pool)])
        creator = get_user_model().objects.get(username=SEED_USER)
        for n, pathway in enumerate(fresh, start=len(pool)):
            patient = pathway.patient
            if patient.user_id is None:
                user, _created = get_user_model().objects.get_or_create(
                    username=f"bench-pasient-{patient.pk}")
                Patient.objects.filter(pk=patient.pk).update(user=user)
            programme = places[n % len(places)]
            Agreement.objects.create(
                pathway=pathway, patient=patient, programme=programme, valid_from=today,
                valid_to=today, max_stays=52, max_days_per_stay=programme.max_stay_days,
                conditions=POOL_MARK, created_by=creator, accepted_at=clock.now())
        pool = current()
    if len(pool) < STREAMS:
        raise SystemExit(f"bench: only {len(pool)} open pathways for the booking case's pool")
    Agreement.objects.filter(pk__in=[a.pk for a in pool]).update(
        valid_from=today, valid_to=today + dt.timedelta(days=400))
    for agreement in pool:
        agreement.valid_from, agreement.valid_to = today, today + dt.timedelta(days=400)
    return pool


def take_back(pool: list[Any]) -> None:
    """Delete the pool's booked stays (the bench's own, from earlier load runs) and give their
    nights back, in one transaction."""
    from django.db import connection, transaction

    from ettervern.beds.capacity import nights
    from ettervern.beds.models import BedNight, Booking

    with transaction.atomic():
        booked = list(Booking.objects.select_for_update()
                      .filter(agreement__in=pool, status=Booking.Status.BOOKED)
                      .values_list("id", "programme_id", "arrival", "departure"))
        if not booked:
            return
        held = Counter((programme_id, night) for _id, programme_id, arrival, departure in booked
                       for night in nights(arrival, departure))
        keys = sorted(held)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {BedNight._meta.db_table} b SET booked = b.booked - x.n "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::date[], %s::int[]) AS x(programme_id, night, n) "
                "WHERE b.programme_id = x.programme_id AND b.night = x.night",
                [[k[0] for k in keys], [k[1] for k in keys], [held[k] for k in keys]])
        Booking.objects.filter(pk__in=[row[0] for row in booked]).delete()


def plan(pool: list[Any], today: dt.date) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """For each pool agreement, the stays it can book now, in order: each allowed by the rules
    (given the patient's other stays and the ones planned before it) on nights with a free bed
    (given the stays planned for the others)."""
    from ettervern.beds.capacity import scheduled
    from ettervern.beds.models import ACTIVE_STATUSES, BedNight, Booking
    from ettervern.pathways.models import Stay

    programmes = {a.programme_id: a.programme for a in pool}
    until = today + dt.timedelta(days=400)
    free: dict[tuple[int, dt.date], int] = {}
    for programme in programmes.values():
        free.update(((programme.pk, night), beds)
                    for night, beds in scheduled(programme, today, until).items())
    for programme_id, night, beds, booked in BedNight.objects.filter(
            programme_id__in=programmes, night__gte=today, night__lt=until).values_list(
                "programme_id", "night", "capacity", "booked"):
        free[programme_id, night] = beds - booked
    patients = [a.patient_id for a in pool]
    theirs: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for patient_id, programme_id, arrival, departure in Booking.objects.filter(
            patient_id__in=patients, status__in=ACTIVE_STATUSES
    ).values_list("patient_id", "programme_id", "arrival", "departure"):
        theirs[patient_id].append((programme_id, arrival, departure))
    # A residential stay planned or going on bars its days (no end: every day after its start).
    for patient_id, start, admitted, end in Stay.objects.filter(
            pathway__patient_id__in=patients, kind=Stay.Kind.RESIDENTIAL,
            status__in=[Stay.Status.PLANNED, Stay.Status.ONGOING]).values_list(
                "pathway__patient_id", "planned_start", "admitted_on", "planned_end"):
        theirs[patient_id].append((0, admitted or start, end or dt.date.max))
    used = Counter(Booking.objects.filter(agreement__in=pool, status__in=ACTIVE_STATUSES)
                   .values_list("agreement_id", flat=True))

    planned: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for agreement in pool:
        programme = agreement.programme
        longest = min(agreement.max_days_per_stay, programme.max_stay_days)
        length = dt.timedelta(days=max(programme.min_stay_days, min(2, longest)))
        gap = dt.timedelta(days=programme.min_days_between)
        arrival = max(today + dt.timedelta(days=programme.min_notice_days),
                      agreement.valid_from)
        latest = min(today + dt.timedelta(days=programme.book_ahead_days), agreement.valid_to)
        others = theirs[agreement.patient_id]
        stays: list[tuple[dt.date, dt.date]] = []
        while arrival <= latest and used[agreement.pk] + len(stays) < agreement.max_stays:
            departure = arrival + length
            days = [arrival + dt.timedelta(days=n) for n in range(length.days)]
            # Another stay of the patient's in the way (with the days between stays the
            # programme asks for, at the same unit): try again from where it allows.
            clash = next((d + g for p, a, d in others
                          for g in [gap if p == programme.pk else dt.timedelta()]
                          if arrival < d + g and departure + g > a), None)
            if clash is not None:
                arrival = max(arrival + dt.timedelta(days=1), clash)
                continue
            if departure > agreement.valid_to or any(
                    free.get((programme.pk, d), 0) <= 0 for d in days):
                arrival += dt.timedelta(days=1)
                continue
            for d in days:
                free[programme.pk, d] -= 1
            stays.append((arrival, departure))
            others.append((programme.pk, arrival, departure))
            arrival = departure + gap
        planned[agreement.pk] = stays
    return planned


def _token(ctx: Context, user_id: int) -> str:
    """The patient's bearer token for this run (revoked with the coordinators' at the end)."""
    tokens: dict[int, str] = ctx.extra.setdefault("bed_tokens", {})
    if user_id not in tokens:
        from django.contrib.auth import get_user_model

        from ettervern.api.models import ApiToken

        _issued, tokens[user_id] = ApiToken.issue(get_user_model().objects.get(pk=user_id),
                                                  label=BENCH_LABEL)
    return tokens[user_id]


def _bookings(ctx: Context) -> Streams:
    ensure_beds()
    pool = ensure_pool(ctx)
    take_back(pool)
    planned = plan(pool, ctx.today)
    # Each patient's stays go to one stream; the streams are filled evenly, most stays first.
    owners: list[list[Any]] = [[] for _ in range(STREAMS)]
    for agreement in sorted(pool, key=lambda a: (-len(planned[a.pk]), a.pk)):
        min(owners, key=lambda o: sum(len(planned[a.pk]) for a in o)).append(agreement)
    streams: Streams = []
    for s, agreements in enumerate(owners):
        queues: list[list[Request]] = []
        for agreement in agreements:
            headers = {"Authorization": f"Bearer {_token(ctx, agreement.patient.user_id)}",
                       "Accept-Language": "nb"}
            path = f"/api/bed-agreements/{agreement.public_id}/bookings"
            queues.append([{"method": "POST", "path": path, "headers": headers,
                            "body": {"arrival": arrival.isoformat(),
                                     "departure": departure.isoformat()}}
                           for arrival, departure in planned[agreement.pk]])
        stream = [q[n] for n in range(max(map(len, queues), default=0)) for q in queues
                  if n < len(q)]
        if len(stream) < STREAM_MIN:
            raise SystemExit(f"bench: the booking case's stream {s} has room for only "
                             f"{len(stream)} stays (at least {STREAM_MIN} needed); "
                             f"{len(pool)} patients in the pool")
        streams.append(stream)
    return streams


add(Case("bed_search_page", "GET /brukerstyrt/?first=…&until=… (typical, 300 units)", "page",
         "typical", _search("/brukerstyrt/", "page"), raw="bed_search",
         raw_params=_search_params,
         what="the search across the country for 30 nights, as a page (with the programmes)"))
add(Case("bed_search_api", "GET /api/bed-programmes/search (typical, 300 units, 30 nights)",
         "api", "typical", _search("/api/bed-programmes/search", "api"), raw="bed_search",
         raw_params=_search_params,
         what="the search across the country: free nights and beds of every unit for 30 "
              "nights, one statement"))
add(Case("bed_booking_api", "POST /api/bed-agreements/{id}/bookings (patients)", "write", None,
         _bookings,
         what="a patient books a stay: the rules, the agreement's lock, the nights locked in "
              "date order and taken, the booking row"))
