"""Model instances and values from hand-written SQL.

The hottest reads (the worklist's rows, its plan flags) are written as SQL by hand: Django
building and compiling the same query on every request cost more CPU than running it. What
comes back must still be what the ORM would give: model instances with their related objects
cached, and values converted the way each database backend converts them (SQLite hands dates
back as text). This module does that conversion with the backend's own converters, so the
answer does not depend on which database runs. Equivalence with the ORM's answer is tested
(tests/core/test_sqlrows.py and the callers' tests).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.expressions import Value

M = TypeVar("M", bound=models.Model)
_Converter = Callable[[Any, Any, Any], Any]


def marks(values: Sequence[Any]) -> str:
    """`%s, %s, …` for an IN list of `values`."""
    return ", ".join(["%s"] * len(values))


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    return tuple(model._meta.concrete_fields)


def columns(model: type[models.Model], alias: str) -> str:
    """The select list of all of `model`'s columns under `alias`, in the order `build` reads."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(str(field.column))}" for field in _fields(model))


@cache
def _converters(field: models.Field[Any, Any], vendor: str) -> tuple[Any, tuple[_Converter, ...]]:
    """The expression and converters the ORM applies to a value of `field` from `vendor`."""
    expression = Value(None, output_field=field)
    found = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
    return expression, tuple(found)


def convert(field: models.Field[Any, Any], value: Any) -> Any:
    """`value` as the ORM gives a column of `field`'s type (also for computed columns)."""
    expression, converters = _converters(field, connection.vendor)
    for converter in converters:
        value = converter(value, expression, connection)
    return value


@cache
def _shape(model: type[models.Model], vendor: str) -> tuple[
        list[str], list[tuple[int, Any, tuple[_Converter, ...]]], int]:
    """For `model` on `vendor`: its field names, the columns that need converting (most need
    none on PostgreSQL), and where its primary key is. Worked out once: a list page builds a
    few hundred values, and asking for each one's converters was a tenth of the page."""
    fields = _fields(model)
    conversions = []
    for index, field in enumerate(fields):
        expression, converters = _converters(field, vendor)
        if converters:
            conversions.append((index, expression, converters))
    primary = [field.primary_key for field in fields].index(True)
    return [field.attname for field in fields], conversions, primary


def build(model: type[M], row: Sequence[Any], start: int = 0) -> tuple[M | None, int]:
    """The instance of `model` in `row` from `start` (columns as `columns` lists them), and
    where the next part of the row begins. None when its primary key is NULL (a LEFT JOIN
    that found nothing)."""
    names, conversions, primary = _shape(model, connection.vendor)
    end = start + len(names)
    values = list(row[start:end])
    if len(values) != len(names):
        raise ValueError(f"{model.__name__}: {len(names)} columns expected, got {len(values)}")
    if values[primary] is None:
        return None, end
    for index, expression, converters in conversions:
        value = values[index]
        for converter in converters:
            value = converter(value, expression, connection)
        values[index] = value
    return model.from_db(connection.alias, names, values), end


def attach(instance: models.Model, relation: str, related: models.Model | None) -> None:
    """Cache `related` as `instance.<relation>`, as select_related would."""
    field = instance._meta.get_field(relation)
    field.set_cached_value(instance, related)  # type: ignore[union-attr]


@dataclass(frozen=True)
class Part:
    """One model in a joined row: its alias and, except for the first, the part (by alias) and
    the relation on it that it fills, as select_related would."""

    model: type[models.Model]
    alias: str
    parent: str = ""
    relation: str = ""


def select_list(parts: Sequence[Part]) -> str:
    """The select list of every part's columns, in the order `read` expects."""
    return ", ".join(columns(part.model, part.alias) for part in parts)


def read(parts: Sequence[Part], rows: Sequence[Sequence[Any]]) -> list[tuple[Any, Sequence[Any]]]:
    """For each row, the first part's instance (the others attached to it as their relations
    say) and what follows the parts' columns in the row (computed columns)."""
    result: list[tuple[Any, Sequence[Any]]] = []
    for row in rows:
        built: dict[str, models.Model | None] = {}
        at = 0
        for part in parts:
            built[part.alias], at = build(part.model, row, at)
            parent = built.get(part.parent) if part.parent else None
            if parent is not None:
                attach(parent, part.relation, built[part.alias])
        result.append((built[parts[0].alias], row[at:]))
    return result


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
