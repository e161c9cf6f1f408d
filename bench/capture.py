"""The SQL the app actually runs for one request of a case, and how long the database takes.

The case's request goes through Django's test client in this process (the same URL, the same
middleware, session or token, views, selectors and templates as under gunicorn), against the
same database, with `connection.execute_wrapper` timing every query: from sending it until
psycopg has the whole result (its client-side cursors fetch on execute). The sum over one
request is "all its SQL"; Python's own work (ORM, templates, JSON) and HTTP are not in it.
Needs Django set up against the bench's database.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench.cases import Case, Context


def _send(client: Any, request: dict[str, Any]) -> Any:
    from django.conf import settings

    headers = dict(request.get("headers") or {})
    cookie = headers.pop("Cookie", None)
    if cookie:
        name, _, value = cookie.partition("=")
        client.cookies[name or settings.SESSION_COOKIE_NAME] = value
    body = request.get("body")
    if body is not None:
        return client.generic(request["method"], request["path"], json.dumps(body),
                              content_type="application/json", headers=headers)
    return client.generic(request["method"], request["path"], headers=headers)


def capture(case: Case, ctx: Context, *, count: int, time_limit: float,
            warmup: int = 2) -> dict[str, Any]:
    """Send the case's first stream `count` times in-process (bounded by `time_limit`).

    Returns per request: the number of queries, the time in SQL and the whole in-process time
    (ms); the statements of the last request with their ms; and its JSON answer (if any)."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    stream = case.streams(ctx)[0]
    timings: list[tuple[int, float, float]] = []
    statements: list[tuple[str, float]] = []
    last: Any = None
    deadline = time.perf_counter() + time_limit
    for index in range(warmup + count):
        if index >= warmup and time.perf_counter() > deadline:
            break
        request = stream[index % len(stream)]
        queries: list[tuple[str, float]] = []

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any,
                  queries: list[tuple[str, float]] = queries) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((sql, time.perf_counter() - started))

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = _send(client, request)
        total = time.perf_counter() - started
        if not 200 <= response.status_code < 300:
            raise SystemExit(f"bench: {case.key}: {request['method']} {request['path']} "
                             f"answered {response.status_code} in-process: "
                             f"{response.content[:300]!r}")
        if index >= warmup:
            timings.append((len(queries), sum(q[1] for q in queries) * 1000, total * 1000))
            statements = [(sql, seconds * 1000) for sql, seconds in queries]
            last = response
    body = None
    if last is not None and last.get("Content-Type", "").startswith("application/json"):
        body = json.loads(last.content)
    return {"timings": timings, "statements": statements, "body": body}
