"""Watch the SQL a test sends: which queries carried a given value as a parameter."""

from __future__ import annotations

from typing import Any


def queries_with_nul() -> tuple[list[str], Any]:
    """(hits, wrapper): install `wrapper` with connection.execute_wrapper(); `hits` collects the
    SQL of every query that carried a NUL character in a parameter (PostgreSQL refuses them)."""
    hits: list[str] = []

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        flat = [p for row in params for p in row] if many else list(params or [])
        if any(isinstance(p, str) and "\x00" in p for p in flat):
            hits.append(sql)
        return execute(sql, params, many, context)

    return hits, wrapper
