"""`ettervern seed --scale NAME`: plan, write chunk by chunk, resume, report.

The directory is piece 0; pathways come in chunks of Scale.chunk. Each piece is generated from
its own random stream (seed, scale, number) and written in ONE transaction together with its
line in demo_seedchunk, so an interrupted run leaves whole pieces only, and the next run
continues with the first missing one (or does nothing when all are there).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TextIO

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from tqdm import tqdm

from ettervern.access.models import AuditEvent
from ettervern.demo.bulk.directory import (
    DirectoryWriter,
    NationalDirectory,
    load_directory,
    national_plan,
)
from ettervern.demo.bulk.reads import Reads
from ettervern.demo.bulk.recorder import BulkPopulation, PathwayRec, PathwayRecorder
from ettervern.demo.bulk.scales import PROPORTIONS, SCALES, Scale
from ettervern.demo.bulk.store import (
    AUDIT,
    DIRECTORY_TABLES,
    POPULATION_TABLES,
    Ids,
    Table,
    Tally,
    check_tables,
    writer_for,
)
from ettervern.demo.models import SeedChunk
from ettervern.demo.population import plan_kinds
from ettervern.patients.models import Patient

# Loading at least this many audit rows, and more than the table holds, drops its two
# secondary indexes first and builds them again at the end (PostgreSQL): a sorted build is
# many times faster than keeping them up to date row by row.
REBUILD_AUDIT_INDEXES_FROM = 1_000_000
INDEX_BUILD_MEMORY = "512MB"


@dataclass
class Prepared:
    """A chunk made and not yet written."""

    number: int
    pathways: list[PathwayRec]
    rows: dict[Table, list[tuple[Any, ...]]]
    counts: list[int]  # reads per pathway
    audit_ids: Iterator[int]  # reserved for the reads
    rng: random.Random  # the chunk's stream, continued by its reads
    audit_rows: int
    started: float


class ScaleError(Exception):
    """The request cannot be honoured on this database (the message says why)."""


@dataclass
class Outcome:
    scale: Scale
    written: int = 0  # pieces written by this run
    skipped: int = 0  # pieces that were there already
    pathways: int = 0
    tally: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    rebuilt_indexes: list[str] = field(default_factory=list)
    # Seconds outside the tables' writing: making the stories, committing (the deferred
    # constraint checks), building indexes, analysing.
    phases: dict[str, float] = field(default_factory=dict)

    def timed(self, phase: str) -> AbstractContextManager[None]:
        return _timed(self.phases, phase)


@contextmanager
def _timed(phases: dict[str, float], phase: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        phases[phase] = phases.get(phase, 0.0) + time.monotonic() - started


def _counting(rows: Iterable[tuple[Any, ...]], bar: tqdm, every: int = 20_000,
              ) -> Iterator[tuple[Any, ...]]:
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if pending == every:
            bar.update(pending)
            pending = 0
    bar.update(pending)


class BulkSeed:
    def __init__(self, scale: Scale, seed: int, progress: TextIO | None) -> None:
        self.scale = scale
        self.seed = seed
        self.progress = progress
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.outcome = Outcome(scale)
        self.writer = writer_for(self.connection, self.outcome.tally)
        self.ids = Ids(DEFAULT_DB_ALIAS)

    def _bar(self, **kwargs: Any) -> tqdm:
        return tqdm(file=self.progress, disable=self.progress is None, mininterval=0.5,
                    dynamic_ncols=True, **kwargs)

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> Outcome:
        started = time.monotonic()
        scale = self.scale
        if scale.postgres_only and self.connection.vendor != "postgresql":
            raise ScaleError(f"--scale {scale.name} is for PostgreSQL only (about "
                             f"{scale.pathways:,} pathways and {scale.audit_rows:,} audit rows); "
                             "set DATABASE_URL to a PostgreSQL database, or use --scale 50k.")
        check_tables()
        done = {c.number: c for c in SeedChunk.objects.all()}
        if done:
            first = done[min(done)]
            if (first.scale, first.seed) != (scale.name, self.seed):
                raise ScaleError(
                    f"This database holds the {first.scale} set (seed {first.seed}); it cannot "
                    f"also hold the {scale.name} set (seed {self.seed}). Use an empty database, "
                    f"or run --scale {first.scale} --seed {first.seed} to complete that one.")
            now = first.now
        else:
            now = timezone.now()
        today = timezone.localdate(now)
        plan = national_plan(scale)
        if 0 in done:
            self.outcome.skipped += 1
        else:
            self._directory(plan, now)
        directory = load_directory(plan)
        todo = [n for n in range(1, scale.chunks + 1) if n not in done]
        self.outcome.skipped += scale.chunks - len(todo)
        rebuild = self._drop_audit_indexes(sum(scale.audit_rows_in(n) for n in todo))
        if todo:
            self._chunks(todo, directory, now, today, done)
        self.outcome.rebuilt_indexes = self._ensure_audit_indexes() or rebuild
        self.ids.release()
        if self.outcome.written and self.connection.vendor == "postgresql":
            # VACUUM, not only ANALYZE: it sets the visibility map, without which an index-only
            # scan (the patient's "who has seen my data") still visits every heap page. VACUUM
            # cannot run in a transaction (a test's); ANALYZE then.
            command = "ANALYZE" if self.connection.in_atomic_block else "VACUUM (ANALYZE)"
            with self.outcome.timed("vacuum"), self.connection.cursor() as cursor:
                for table in (*DIRECTORY_TABLES, *POPULATION_TABLES):
                    cursor.execute(f"{command} {self.connection.ops.quote_name(table.name)}")
        self.outcome.seconds = time.monotonic() - started
        return self.outcome

    def _directory(self, plan: Any, now: dt.datetime) -> None:
        started = time.monotonic()
        rng = random.Random(f"{self.seed}:{self.scale.name}:directory")  # noqa: S311
        with self._bar(total=plan.staff_count(), desc="directory", unit="staff") as bar, \
                self.outcome.timed("directory"), transaction.atomic():
            rows = DirectoryWriter(plan, rng, self.writer, self.ids, now).write()
            SeedChunk.objects.create(scale=self.scale.name, seed=self.seed, number=0, now=now,
                                     rows=rows, seconds=time.monotonic() - started)
            bar.update(plan.staff_count())
        self.outcome.written += 1

    def _prepare(self, number: int, directory: NationalDirectory, now: dt.datetime,
                 today: dt.date, national_ids: set[str], reads: Reads) -> Prepared:
        """A chunk's stories and the plan of its reads, ready to write (no writing here)."""
        with self.outcome.timed("stories"):
            started = time.monotonic()
            rng = random.Random(f"{self.seed}:{self.scale.name}:{number}")  # noqa: S311
            recorder = PathwayRecorder(rng, today, now, directory, self.ids, national_ids)
            builder = BulkPopulation(directory, rng, today, recorder)
            target = self.scale.pathways_in(number)
            for kind in plan_kinds(target, rng, PROPORTIONS):
                builder.room = target - len(recorder.pathways)
                if builder.room <= 0:
                    break
                builder.add(kind)
            budget = max(self.scale.audit_rows_in(number) - len(recorder.rows[AUDIT]), 0)
            counts = reads.counts(recorder.pathways, budget, rng)
            return Prepared(
                number=number, pathways=recorder.pathways,
                rows={**recorder.rows, **recorder.final_rows()}, counts=counts,
                audit_ids=self.ids.take(AUDIT, sum(counts)), rng=rng,
                audit_rows=len(recorder.rows[AUDIT]) + sum(counts), started=started)

    def _chunks(self, todo: list[int], directory: NationalDirectory, now: dt.datetime,
                today: dt.date, done: dict[int, SeedChunk]) -> None:
        """Write the chunks in order. On PostgreSQL the next chunk's stories are made in a
        second thread while this one is written: Python and the database work side by side."""
        scale = self.scale
        national_ids = set(Patient.objects.values_list("national_id", flat=True))
        reads = Reads(directory, now)

        def prepare(number: int) -> Prepared:
            return self._prepare(number, directory, now, today, national_ids, reads)

        alongside = self.connection.vendor == "postgresql" and len(todo) > 1
        executor = ThreadPoolExecutor(max_workers=1) if alongside else None
        pathways_done = sum(c.pathways for c in done.values())
        audit_done = sum(c.audit_rows for c in done.values())
        try:
            with self._bar(total=scale.pathways, initial=pathways_done, desc="pathways",
                           unit="pathway") as pathways_bar, \
                    self._bar(total=scale.audit_rows, initial=audit_done, desc="audit rows",
                              unit="row", unit_scale=True) as audit_bar:
                pending = executor.submit(prepare, todo[0]) if executor else None
                for index, number in enumerate(todo):
                    pathways_bar.set_postfix_str(f"chunk {number}/{scale.chunks}: stories")
                    if executor is not None and pending is not None:
                        with self.outcome.timed("waiting for stories"):
                            prepared = pending.result()
                        if index + 1 < len(todo):
                            pending = executor.submit(prepare, todo[index + 1])
                    else:
                        prepared = prepare(number)
                    self._write(prepared, reads, now, pathways_bar, audit_bar)
        finally:
            if executor is not None:
                # The thread's own database connection (ids) closes in that thread.
                executor.submit(lambda: connections[DEFAULT_DB_ALIAS].close())
                executor.shutdown(wait=True, cancel_futures=False)

    def _write(self, prepared: Prepared, reads: Reads, now: dt.datetime, pathways_bar: tqdm,
               audit_bar: tqdm) -> None:
        """One chunk, in one transaction with its line in demo_seedchunk."""
        scale, number = self.scale, prepared.number
        rows: dict[Table, Iterable[tuple[Any, ...]]] = dict(prepared.rows)
        rows[AUDIT] = _counting(chain(prepared.rows[AUDIT], reads.rows(
            prepared.pathways, prepared.counts, prepared.audit_ids, prepared.rng)), audit_bar)
        written = 0
        with transaction.atomic():
            for table in POPULATION_TABLES:
                pathways_bar.set_postfix_str(f"chunk {number}/{scale.chunks}: {table.name}")
                written += self.writer.write(table, rows[table])
            SeedChunk.objects.create(
                scale=scale.name, seed=self.seed, number=number, now=now,
                pathways=len(prepared.pathways), audit_rows=prepared.audit_rows, rows=written,
                seconds=time.monotonic() - prepared.started)
            pathways_bar.set_postfix_str(f"chunk {number}/{scale.chunks}: commit")
            commit_started = time.monotonic()
        self.outcome.phases["commit"] = (self.outcome.phases.get("commit", 0.0)
                                         + time.monotonic() - commit_started)
        self.outcome.written += 1
        self.outcome.pathways += len(prepared.pathways)
        pathways_bar.update(len(prepared.pathways))

    # --- the audit log's secondary indexes -------------------------------------------------

    def _audit_index_names(self) -> set[str]:
        with self.connection.cursor() as cursor:
            constraints = self.connection.introspection.get_constraints(cursor, AUDIT.name)
        return {name for name, info in constraints.items() if info["index"]}

    def _drop_audit_indexes(self, adding: int) -> list[str]:
        if self.connection.vendor != "postgresql" or adding < REBUILD_AUDIT_INDEXES_FROM:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [AUDIT.name])
            present = max(int(cursor.fetchone()[0]), 0)
        if adding < present:
            return []
        names = self._audit_index_names()
        dropped = [index for index in AuditEvent._meta.indexes if index.name in names]
        with self.connection.schema_editor() as editor:
            for index in dropped:
                editor.remove_index(AuditEvent, index)
        return [index.name for index in dropped]

    def _ensure_audit_indexes(self) -> list[str]:
        """Build the audit log's indexes that are missing (dropped for the load, or by an
        interrupted run)."""
        names = self._audit_index_names()
        missing = [index for index in AuditEvent._meta.indexes if index.name not in names]
        if not missing:
            return []
        with self._bar(total=len(missing), desc="audit indexes", unit="index") as bar, \
                self.outcome.timed("audit indexes"):
            if self.connection.vendor == "postgresql":
                with self.connection.cursor() as cursor:
                    cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for index in missing:
                with self.connection.schema_editor() as editor:
                    editor.add_index(AuditEvent, index)
                bar.update(1)
            if self.connection.vendor == "postgresql":
                with self.connection.cursor() as cursor:
                    cursor.execute("RESET maintenance_work_mem")
        return [index.name for index in missing]


def seed_scale(name: str, *, seed: int = 0, progress: TextIO | None = None) -> Outcome:
    return BulkSeed(SCALES[name], seed, progress).run()
