"""The cases: what is measured, as whom, and against which hand-written SQL.

To add a case, append a `Case` to `CASES` (or call `add`): a key, a label, the user it acts as
and a function that builds its requests from the `Context` (the picked users, the pathways,
today). `raw` names a query in `bench.rawsql.QUERIES` for the same answer (None: no
side-by-side SQL). Every case is sent over HTTP at each concurrency of the run, its SQL is
captured in-process, and it lands in the table, the JSON and the comparison with the last run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.users import BenchUser

Request = dict[str, Any]
Streams = list[list[Request]]


@dataclass
class Context:
    users: dict[str, BenchUser]  # "typical", "large"
    pathway: str  # public id of the pathway the pathway cases read (the typical user's)
    write_pool: list[str]  # the large user's pathways in contact / pre-admission
    today: dt.date
    phases: Callable[[list[str]], dict[str, str]] = field(default=lambda ids: {})
    extra: dict[str, Any] = field(default_factory=dict)  # what a case keeps for the run


@dataclass
class Case:
    key: str
    label: str
    kind: str  # "page", "api", "write" or "floor"
    user: str | None
    streams: Callable[[Context], Streams]
    raw: str | None = None  # a query in rawsql.QUERIES
    raw_params: Callable[[Context], dict[str, Any]] = field(default=lambda ctx: {})
    what: str = ""  # one line for the docs



def headers_for(ctx: Context, kind: str, user: str | None) -> dict[str, str]:
    """A page is read with the session cookie, the API with the bearer token."""
    if user is None:
        return {}
    who = ctx.users[user]
    return who.page_headers() if kind == "page" else who.api_headers()


def _get(path: Callable[[Context], str], kind: str,
         user: str | None) -> Callable[[Context], Streams]:
    def build(ctx: Context) -> Streams:
        return [[{"method": "GET", "path": path(ctx), "headers": headers_for(ctx, kind, user)}]]
    return build


def _transitions(ctx: Context) -> Streams:
    """One stream per pathway of the pool: to the other of contact / pre-admission and back,
    dated today (never before the previous move)."""
    headers = ctx.users["large"].api_headers()
    on = ctx.today.isoformat()
    now = ctx.phases(ctx.write_pool)
    streams: Streams = []
    for public_id in ctx.write_pool:
        first = "pre_admission" if now.get(public_id) == "contact" else "contact"
        second = "contact" if first == "pre_admission" else "pre_admission"
        path = f"/api/pathways/{public_id}/transitions"
        streams.append([{"method": "POST", "path": path, "headers": headers,
                         "body": {"to_phase": phase, "on": on, "note": "bench"}}
                        for phase in (first, second)])
    return streams


def _staff(user: str) -> Callable[[Context], dict[str, Any]]:
    return lambda ctx: {"staff": ctx.users[user].staff_id}


def _pathway(ctx: Context) -> dict[str, Any]:
    return {"pathway": ctx.pathway}


CASES: list[Case] = [
    Case("healthz", "GET /healthz", "floor", None, _get(lambda c: "/healthz", "floor", None),
         raw="healthz", what="the floor: routing, middleware and one SELECT 1"),
]

for _user in ("typical", "large"):
    for _scope in ("mine", "unit"):
        _query = "" if _scope == "mine" else "?scope=unit"
        CASES.append(Case(
            f"worklist_page_{_scope}.{_user}", f"GET /forlop/{_query} ({_user})", "page", _user,
            _get(lambda c, q=_query: f"/forlop/{q}", "page", _user),
            raw=f"worklist_{_scope}", raw_params=_staff(_user),
            what=f"the worklist page, scope {_scope}, signed in (session)"))
        CASES.append(Case(
            f"worklist_api_{_scope}.{_user}", f"GET /api/pathways?scope={_scope} ({_user})",
            "api", _user, _get(lambda c, s=_scope: f"/api/pathways?scope={s}", "api", _user),
            raw=f"worklist_{_scope}", raw_params=_staff(_user),
            what=f"the worklist API, scope {_scope}, bearer token"))

CASES += [
    Case("pathway_page", "GET /forlop/{id}/ (typical)", "page", "typical",
         _get(lambda c: f"/forlop/{c.pathway}/", "page", "typical"),
         raw="pathway", raw_params=_pathway,
         what="the pathway page (stays, team, timeline, forms)"),
    Case("pathway_api", "GET /api/pathways/{id} (typical)", "api", "typical",
         _get(lambda c: f"/api/pathways/{c.pathway}", "api", "typical"),
         raw="pathway", raw_params=_pathway, what="one pathway with stays and team"),
    Case("timeline_api", "GET /api/pathways/{id}/timeline (typical)", "api", "typical",
         _get(lambda c: f"/api/pathways/{c.pathway}/timeline", "api", "typical"),
         raw="timeline", raw_params=_pathway, what="the timeline's first page (50 events)"),
    Case("transition_api", "POST /api/pathways/{id}/transitions (large)", "write", "large",
         _transitions,
         what="a phase move contact <-> pre-admission with its event and audit rows (and, "
              "into pre-admission, the checklist's items)"),
    Case("checklist_page", "GET /forlop/{id}/sjekkliste/ (typical)", "page", "typical",
         _get(lambda c: f"/forlop/{c.pathway}/sjekkliste/", "page", "typical"),
         what="the pre-admission checklist page (items, owners, forms)"),
    Case("checklist_api", "GET /api/pathways/{id}/checklist (typical)", "api", "typical",
         _get(lambda c: f"/api/pathways/{c.pathway}/checklist", "api", "typical"),
         what="the pre-admission checklist with its progress"),
]


def add(case: Case) -> None:
    if any(c.key == case.key for c in CASES):
        raise ValueError(f"a case {case.key!r} exists already")
    CASES.append(case)


# Cases of the capabilities, each in a module of its own that calls `add`.
from bench import beds_cases, discharge_cases, plan_cases, rights_cases, tasks_cases  # noqa: E402, F401, I001
