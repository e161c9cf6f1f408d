"""core.sqlrows builds the same instances and values as the ORM, on either database: dates,
timestamps, UUIDs and JSON included (SQLite hands several of them back as text)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, models

from ettervern.core import sqlrows
from ettervern.demo.seeding import seed
from ettervern.pathways.models import PathwayEvent, Stay


def _fields(instance) -> dict:  # type: ignore[no-untyped-def]
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
@pytest.mark.parametrize("model", [PathwayEvent, Stay])
def test_build_equals_the_orm(model) -> None:  # type: ignore[no-untyped-def]
    seed(patients=4, seed=3)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sqlrows.columns(model, 'x')} FROM {table} x ORDER BY x.id")  # noqa: S608
        rows = cursor.fetchall()
    assert rows
    built = [sqlrows.build(model, row)[0] for row in rows]
    assert [_fields(b) for b in built] == [_fields(o) for o in model.objects.order_by("id")]
    assert all(not b._state.adding for b in built)


@pytest.mark.django_db
def test_a_missing_left_join_is_none_and_values_convert() -> None:
    instance, end = sqlrows.build(Stay, [None] * len(Stay._meta.concrete_fields) + ["next"])
    assert instance is None and end == len(Stay._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(x) FROM (SELECT %s AS x) t",
                       [connection.ops.adapt_datefield_value(dt.date(2026, 5, 17))])
        (value,) = cursor.fetchone()
    assert sqlrows.convert(models.DateField(), value) == dt.date(2026, 5, 17)
