"""Hand-written SQL for the same answer as each read: the floor the database itself sets.

Each query gives, in one statement, what the read answers (not everything the page shows):

- worklist_mine / worklist_unit: the first page's pathway ids (25, in the worklist's order:
  newest opened first) and the total count, for a staff member: open pathways they
  coordinate or hold an active care-team role on; `unit` adds the pathways their units
  coordinate and those with a planned or ongoing stay at one of their units.
- pathway: the pathway row with its patient, its stays (with unit and organisation) and its
  active care team (with the staff member), stays and team aggregated as JSON.
- timeline: the first page of the pathway's events (50, newest first) and the total count.
- access_log: the patient's access log page ("who has looked at my data"): the newest 201
  audit rows of the patient (index-only), runs of list views by one person folded into one
  entry, the first 50 entries with the reason of any emergency access.
- bed_search: the search across the country for user-controlled beds, the app's own statement
  (`beds.selectors.search_sql`: its text is the search, there is no shorter one to write by
  hand), with the case's nights: free nights and free beds of every published programme.
- healthz: `SELECT 1`.

They run over psycopg's client-side binding, as Django's psycopg backend does, on one
autocommit connection, timed one after another (the c=1 loop): execute + fetch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg

WORKLIST_PAGE = 25
TIMELINE_PAGE = 50

_MINE = """
    p.coordinator_id = %(staff)s
    OR EXISTS (SELECT 1 FROM pathways_careteammember t
               WHERE t.pathway_id = p.id AND t.staff_id = %(staff)s AND t.ended_at IS NULL)
"""

_UNIT = _MINE + """
    OR p.coordinating_unit_id IN (SELECT unit_id FROM directory_staff_units
                                  WHERE staff_id = %(staff)s)
    OR EXISTS (SELECT 1 FROM pathways_stay s
               WHERE s.pathway_id = p.id AND s.status IN ('planned', 'ongoing')
                 AND s.unit_id IN (SELECT unit_id FROM directory_staff_units
                                   WHERE staff_id = %(staff)s))
"""

# Only constants are put into the SQL text; values go as parameters.
_WORKLIST = """
SELECT p.public_id, count(*) OVER () AS total
FROM pathways_pathway p
WHERE p.closed_at IS NULL AND p.phase <> 'closed' AND ({condition})
ORDER BY p.opened_at DESC, p.id DESC
LIMIT {page}
"""

# rights.selectors.access_log_for in one statement: the same rows, the same folding.
ACCESS_LOG_READ = 201
ACCESS_LOG_PAGE = 50
_ACCESS_LOG = f"""
WITH page AS (
  SELECT id, at, actor_name, actor_organisation, action, basis, outcome, channel,
         (action = 'pathway.list' AND outcome = 'allowed') AS listed
  FROM access_auditevent WHERE patient_id = %(patient)s
  ORDER BY at DESC, id DESC LIMIT {ACCESS_LOG_READ}
), marked AS (
  SELECT *, CASE WHEN listed AND LAG(listed) OVER w
                      AND LAG(actor_name) OVER w = actor_name
                      AND LAG(actor_organisation) OVER w = actor_organisation
                 THEN 0 ELSE 1 END AS starts
  FROM page WINDOW w AS (ORDER BY at DESC, id DESC)
), runs AS (
  SELECT *, SUM(starts) OVER (ORDER BY at DESC, id DESC) AS run FROM marked
)
SELECT r.run, min(r.actor_name) AS person, min(r.actor_organisation) AS organisation,
       min(r.action) AS action, min(r.basis) AS basis, bool_and(r.outcome = 'allowed'),
       max(r.at) AS at, min(r.at) AS first_at, count(*) AS count,
       min(e.reason) AS emergency_reason
FROM runs r LEFT JOIN rights_emergencyaccess e
  ON r.basis LIKE 'emergency %%' AND e.id::text = substr(r.basis, 11)
GROUP BY r.run ORDER BY r.run LIMIT {ACCESS_LOG_PAGE}
"""


def _bed_search(params: dict[str, Any]) -> tuple[str, list[Any]]:
    """The search's statement for the nights first … until − 1 (needs Django set up)."""
    from ettervern.beds.selectors import search_sql

    return search_sql(params["first"], params["until"])


# A query is SQL with named parameters, or a function that makes the SQL and its parameters.
Query = str | Callable[[dict[str, Any]], tuple[str, list[Any]]]

QUERIES: dict[str, Query] = {
    "healthz": "SELECT 1",
    "bed_search": _bed_search,
    "access_log": _ACCESS_LOG,
    "worklist_mine": _WORKLIST.format(condition=_MINE, page=WORKLIST_PAGE),
    "worklist_unit": _WORKLIST.format(condition=_UNIT, page=WORKLIST_PAGE),
    "pathway": """
SELECT p.*, pt.given_name, pt.family_name, pt.national_id,
  (SELECT coalesce(json_agg(s ORDER BY s.planned_start, s.id), '[]')
   FROM (SELECT s.public_id, s.status, s.planned_start, s.planned_end, s.admitted_on,
                s.discharged_on, s.version, u.public_id AS unit_id, u.name AS unit_name,
                o.name AS organisation_name, s.id
         FROM pathways_stay s JOIN directory_unit u ON u.id = s.unit_id
              JOIN directory_organisation o ON o.id = u.organisation_id
         WHERE s.pathway_id = p.id) s) AS stays,
  (SELECT coalesce(json_agg(t ORDER BY t.role, t.staff_name), '[]')
   FROM (SELECT m.public_id, m.role, m.started_at, m.version, st.public_id AS staff_id,
                st.name AS staff_name
         FROM pathways_careteammember m JOIN directory_staff st ON st.id = m.staff_id
         WHERE m.pathway_id = p.id AND m.ended_at IS NULL) t) AS team
FROM pathways_pathway p JOIN patients_patient pt ON pt.id = p.patient_id
WHERE p.public_id = %(pathway)s
""",
    "timeline": f"""
SELECT e.at, e.kind, e.actor_name, e.actor_unit, e.data, count(*) OVER () AS total
FROM pathways_pathwayevent e
WHERE e.pathway_id = (SELECT id FROM pathways_pathway WHERE public_id = %(pathway)s)
ORDER BY e.at DESC, e.id DESC
LIMIT {TIMELINE_PAGE}
""",
}


def connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)


def statement(name: str, params: dict[str, Any]) -> tuple[str, Any]:
    query = QUERIES[name]
    return query(params) if callable(query) else (query, params)


def fetch(conn: psycopg.Connection[Any], name: str, params: dict[str, Any]) -> list[Any]:
    with conn.cursor() as cursor:
        cursor.execute(*statement(name, params))
        return cursor.fetchall()


def text(conn: psycopg.Connection[Any], name: str, params: dict[str, Any]) -> str:
    """The statement as it is sent, its parameters bound (for the results' SQL files)."""
    with conn.cursor() as cursor:
        return str(cursor.mogrify(*statement(name, params))).strip()  # type: ignore[attr-defined]


def time_query(conn: psycopg.Connection[Any], name: str, params: dict[str, Any], *, count: int,
               time_limit: float, warmup: int = 3) -> list[float]:
    """Milliseconds of each of `count` runs, one after another (bounded by `time_limit`)."""
    for _ in range(warmup):
        fetch(conn, name, params)
    timings: list[float] = []
    deadline = time.perf_counter() + time_limit
    while len(timings) < count and time.perf_counter() < deadline:
        started = time.perf_counter()
        fetch(conn, name, params)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


# --- the same answer? -------------------------------------------------------------------------

def answer(conn: psycopg.Connection[Any], name: str, params: dict[str, Any]) -> dict[str, Any]:
    """What the query answers, in the shape `app_answer` gives for the API's JSON."""
    rows = fetch(conn, name, params)
    if name.startswith("worklist"):
        return {"ids": [str(r[0]) for r in rows], "total": rows[0][1] if rows else 0}
    if name == "pathway":
        if not rows:
            return {}
        columns = [c.name for c in conn.execute(*statement(name, params)).description or []]
        row = dict(zip(columns, rows[0], strict=True))
        return {"stays": sorted(str(s["public_id"]) for s in row["stays"]),
                "team": sorted(str(t["public_id"]) for t in row["team"])}
    if name == "timeline":
        return {"total": rows[0][-1] if rows else 0, "first": [r[1] for r in rows]}
    if name == "access_log":
        return {"entries": [[r[1], r[8]] for r in rows]}
    if name == "bed_search":
        from ettervern.beds.api import PAGE_SIZE

        # The API's first page, in the search's order (ties, the same free nights and unit
        # name, may come in either order: so the name, not the id).
        return {"total": len(rows), "page": [[r[1], r[5]] for r in rows[:PAGE_SIZE]]}
    return {"rows": len(rows)}


def app_answer(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """The same fields from the API's JSON answer."""
    if name.startswith("worklist"):
        return {"ids": [item["id"] for item in body["items"]], "total": body["total"]}
    if name == "pathway":
        return {"stays": sorted(s["id"] for s in body["stays"]),
                "team": sorted(m["id"] for m in body["care_team"])}
    if name == "timeline":
        return {"total": body["total"], "first": [item["kind"] for item in body["items"]]}
    if name == "access_log":
        return {"entries": [[item["person"], item["count"]] for item in body["items"]]}
    if name == "bed_search":
        return {"total": body["total"],
                "page": [[item["unit"], item["free_nights"]] for item in body["items"]]}
    return {"rows": 1}
