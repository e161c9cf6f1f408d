"""Rows, ids and the two ways of writing them: COPY on PostgreSQL, bulk_create on SQLite.

A row is a tuple in the order of its Table's columns (attribute names, so foreign keys are
`*_id`), with Python values: the writers adapt them as Django would. Ids are taken from the
tables' own sequences in blocks before the rows exist, so child rows name their parents
without a round trip per row.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

from ettervern.access.models import AuditEvent
from ettervern.directory.models import CooperationAgreement, Organisation, Staff, Unit
from ettervern.pathways.models import (
    CareTeamMember,
    CoordinatorHandover,
    Pathway,
    PathwayEvent,
    PhaseTransition,
    Stay,
)
from ettervern.patients.models import Consent, NextOfKin, Patient


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    columns: tuple[str, ...]  # attribute names, in the order of a row
    json_columns: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return str(self.model._meta.db_table)

    def db_columns(self) -> list[str]:
        by_attname = {f.attname: str(f.column) for f in self.model._meta.concrete_fields}
        return [by_attname[name] for name in self.columns]

    def missing(self) -> set[str]:
        """Model fields the rows do not cover (the model changed; the seed must follow)."""
        return {f.attname for f in self.model._meta.concrete_fields} ^ set(self.columns)


_BASE = ("id", "public_id", "created_at", "updated_at", "version")

ORGANISATION = Table(Organisation, (*_BASE, "kind", "name", "org_number", "her_id", "region",
                                    "parent_id"))
UNIT = Table(Unit, (*_BASE, "organisation_id", "kind", "name", "municipality_name"))
USER = Table(get_user_model(), ("id", "password", "last_login", "is_superuser", "username",
                                "first_name", "last_name", "email", "is_staff", "is_active",
                                "date_joined"))
STAFF = Table(Staff, (*_BASE, "user_id", "name", "hpr_number", "profession"))
STAFF_UNIT = Table(Staff.units.through, ("id", "staff_id", "unit_id"))
AGREEMENT = Table(CooperationAgreement, (*_BASE, "trust_id", "municipality_id", "valid_from",
                                         "valid_to"))
PATIENT = Table(Patient, (*_BASE, "national_id", "id_kind", "given_name", "family_name",
                          "birth_date", "municipality_id", "phone", "user_id"))
NEXT_OF_KIN = Table(NextOfKin, (*_BASE, "patient_id", "name", "relation", "phone",
                                "national_id", "user_id", "kind", "added_by_id"))
CONSENT = Table(Consent, (*_BASE, "patient_id", "next_of_kin_id", "kind", "given_at",
                          "withdrawn_at", "valid_from", "method", "recorded_as",
                          "valid_until", "recorded_by_id", "withdrawn_by_id"))
PATHWAY = Table(Pathway, (*_BASE, "patient_id", "phase", "coordinating_unit_id",
                          "coordinator_id", "first_contact_on", "referral_received_on",
                          "referrer", "note", "opened_at", "closed_at"))
TRANSITION = Table(PhaseTransition, ("id", "pathway_id", "from_phase", "to_phase", "on",
                                     "recorded_at", "recorded_by_id", "note"))
STAY = Table(Stay, (*_BASE, "pathway_id", "unit_id", "status", "planned_start", "planned_end",
                    "admitted_on", "discharged_on", "cancel_reason", "kind"))
MEMBER = Table(CareTeamMember, (*_BASE, "pathway_id", "staff_id", "role", "started_at",
                                "ended_at"))
HANDOVER = Table(CoordinatorHandover, ("id", "pathway_id", "from_staff_id", "to_staff_id",
                                       "from_unit_id", "to_unit_id", "at", "by_id", "reason"))
EVENT = Table(PathwayEvent, ("id", "pathway_id", "at", "actor_id", "actor_name", "actor_unit",
                             "kind", "data"), json_columns=("data",))
AUDIT = Table(AuditEvent, ("id", "at", "actor_id", "actor_name", "actor_organisation",
                           "patient_id", "pathway_id", "action", "object_type", "object_id",
                           "channel", "outcome", "basis", "ip"))

DIRECTORY_TABLES = (ORGANISATION, UNIT, AGREEMENT, USER, STAFF, STAFF_UNIT)
# Parents before children (PostgreSQL would defer the checks anyway; SQLite too).
POPULATION_TABLES = (PATIENT, NEXT_OF_KIN, CONSENT, PATHWAY, TRANSITION, STAY, MEMBER, HANDOVER,
                     EVENT, AUDIT)
ALL_TABLES = DIRECTORY_TABLES + POPULATION_TABLES


def check_tables() -> None:
    for table in ALL_TABLES:
        missing = table.missing()
        if missing:
            raise RuntimeError(f"The bulk seed does not know {table.name}.{sorted(missing)}; "
                               "update ettervern/demo/bulk/store.py.")


class Ids:
    """Ids taken from each table's own sequence, a block at a time.

    PostgreSQL: the block is reserved by moving the sequence past it (setval), so the
    application's later inserts never collide with seeded rows. SQLite: the next id after the
    largest in use (AUTOINCREMENT then continues after the seeded rows). The seed assumes
    nobody else writes to the tables while it runs; unused ids of the last block are handed
    back at the end (release) when nobody took ids since.
    """

    def __init__(self, alias: str = DEFAULT_DB_ALIAS, block: int = 20_000) -> None:
        self.alias = alias
        self.block = block
        self._next: dict[str, int] = {}
        self._end: dict[str, int] = {}  # last id of the current block

    def next(self, table: Table) -> int:
        name = table.name
        value = self._next.get(name, 0)
        if value == 0 or value > self._end[name]:
            value = self._reserve(name, self.block)
        self._next[name] = value + 1
        return value

    def take(self, table: Table, count: int) -> Iterator[int]:
        """`count` ids, reserved now: for rows written later from a generator (no query may
        run on the connection while a COPY is under way)."""
        name = table.name
        ranges = []
        while count > 0:
            value = self._next.get(name, 0)
            if value == 0 or value > self._end[name]:
                value = self._reserve(name, max(self.block, count))
            n = min(count, self._end[name] - value + 1)
            self._next[name] = value + n
            count -= n
            ranges.append(range(value, value + n))
        return chain.from_iterable(ranges)

    @property
    def connection(self) -> BaseDatabaseWrapper:
        """The calling thread's connection (the seed reserves ids from a second thread)."""
        return connections[self.alias]

    def _reserve(self, name: str, size: int) -> int:
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [name, name, size])
                end = int(cursor.fetchone()[0])
                first = end - size + 1
            else:
                quoted = self.connection.ops.quote_name(name)
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {quoted}")  # noqa: S608
                largest = int(cursor.fetchone()[0])
                cursor.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = %s",
                               [name])
                largest = max(largest, int(cursor.fetchone()[0]),
                              self._end.get(name, 0))
                first = largest + 1
                end = largest + size
        self._end[name] = end
        return first

    def release(self) -> None:
        """Give back the unused rest of each block, when the sequence is still where we left
        it (PostgreSQL; on SQLite nothing was taken)."""
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for name, end in self._end.items():
                unused_from = self._next.get(name, end + 1)
                if unused_from > end:
                    continue
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [name])
                sequence = cursor.fetchone()[0]
                cursor.execute(f"SELECT last_value FROM {sequence}")  # noqa: S608
                if int(cursor.fetchone()[0]) == end:
                    if unused_from > 1:
                        cursor.execute("SELECT setval(%s, %s)", [sequence, unused_from - 1])
                    else:
                        cursor.execute("SELECT setval(%s, 1, false)", [sequence])
        self._next.clear()
        self._end.clear()


@dataclass
class Tally:
    """Rows written and seconds spent writing, per table."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, table: Table, rows: int, seconds: float) -> None:
        self.rows[table.name] = self.rows.get(table.name, 0) + rows
        self.seconds[table.name] = self.seconds.get(table.name, 0.0) + seconds

    def total(self) -> int:
        return sum(self.rows.values())


class Writer:
    """Writes rows inside the caller's transaction."""

    def __init__(self, connection: BaseDatabaseWrapper, tally: Tally) -> None:
        self.connection = connection
        self.tally = tally

    def write(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
        started = time.monotonic()
        count = self._write(table, rows)
        self.tally.add(table, count, time.monotonic() - started)
        return count

    def _write(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
        raise NotImplementedError


class CopyWriter(Writer):
    """PostgreSQL: COPY ... FROM STDIN through psycopg 3, one COPY per table and chunk."""

    def _write(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.db_columns())
        sql = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
        json_at = [table.columns.index(c) for c in table.json_columns]
        count = 0
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            write_row = copy.write_row
            if json_at:
                for row in rows:
                    values = list(row)
                    for i in json_at:
                        values[i] = json.dumps(values[i])
                    write_row(values)
                    count += 1
            else:
                for row in rows:
                    write_row(row)
                    count += 1
        return count


class BulkCreateWriter(Writer):
    """SQLite (and any other database): Django's bulk_create in large batches."""

    BATCH = 5_000

    def _write(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
        model, columns = table.model, table.columns
        count = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, self.BATCH)):
            model._default_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in batch],
                batch_size=self.BATCH)
            count += len(batch)
        return count


def writer_for(connection: BaseDatabaseWrapper, tally: Tally) -> Writer:
    return CopyWriter(connection, tally) if connection.vendor == "postgresql" \
        else BulkCreateWriter(connection, tally)
