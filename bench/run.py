"""`make bench [SCALE=50k] [QUICK=1] [RESET=1]`: the benchmark. See docs/performance.md.

    python -m bench.run --scale 50k          seed (once), gunicorn, load, SQL, table, JSON
    python -m bench.run --scale tiny --quick the short path (a few requests per case)

Steps: the database (bench.database), the users (bench.users), gunicorn (bench.server), then
for every case (bench.cases): its requests over HTTP at each concurrency (bench.load, its own
process), its SQL captured in-process (bench.capture), the hand-written SQL for the same answer
(bench.rawsql); the table, results/latest.json and the comparison (bench.report).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import cases as cases_module
from bench import database, rawsql, report
from bench.cases import Case, Context

ROOT = database.ROOT


@dataclass(frozen=True)
class Plan:
    """How much each case is sent. Every figure is a bound: count and time."""

    concurrencies: tuple[int, ...] = (1, 10)
    requests: dict[int, int] = field(default_factory=lambda: {1: 150, 10: 400})
    time_limit: float = 15.0  # seconds per load run (no request starts after it)
    warmup: int = 20  # unmeasured requests before each load run
    warmup_limit: float = 3.0  # seconds the warm-up may take
    capture: int = 30  # in-process requests whose SQL is timed
    raw: int = 150  # runs of the hand-written SQL
    side_limit: float = 5.0  # seconds for the capture and for the raw SQL, each

    def bound_seconds(self, n_cases: int) -> float:
        """The longest the measuring can take (plus process starts: a few seconds a case)."""
        per_case = (len(self.concurrencies) * (self.warmup_limit + self.time_limit)
                    + 2 * self.side_limit)
        return n_cases * per_case


FULL = Plan()
QUICK = Plan(requests={1: 8, 10: 30}, time_limit=5.0, warmup=3, warmup_limit=2.0, capture=3,
             raw=8, side_limit=3.0)


# --- one case -------------------------------------------------------------------------------

def load(base_url: str, streams: list[list[dict[str, Any]]], concurrency: int, requests: int,
         plan: Plan) -> dict[str, Any]:
    """Run the load generator as its own process and return its raw result."""
    spec = {"base_url": base_url, "concurrency": concurrency, "requests": requests,
            "time_limit": plan.time_limit, "warmup": plan.warmup,
            "warmup_time_limit": plan.warmup_limit, "timeout": 30, "streams": streams}
    done = subprocess.run(  # noqa: S603 (this interpreter, our module)
        [sys.executable, "-m", "bench.load"], input=json.dumps(spec), capture_output=True,
        text=True, cwd=ROOT, timeout=plan.warmup_limit + plan.time_limit + 120, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: the load generator failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def run_case(case: Case, ctx: Context, base_url: str, db_url: str, plan: Plan,
             say: Any = print, cpu: Callable[[], float | None] = lambda: None,
             ) -> tuple[dict[str, Any], list[tuple[str, float]]]:
    """Load at each concurrency, then the captured SQL, then the hand-written SQL.

    `cpu()` gives the server's CPU seconds so far (None: unknown); the difference over a load
    run, divided by the requests it sent (warm-up included), is the app's CPU time per request,
    which other work on the machine hardly changes."""
    from bench.capture import capture

    runs: dict[str, Any] = {}
    for c in plan.concurrencies:
        cpu_before = cpu()
        raw_result = load(base_url, case.streams(ctx), c, plan.requests[c], plan)
        cpu_after = cpu()
        runs[str(c)] = report.load_figures(raw_result)
        run = runs[str(c)]
        sent = len(raw_result["latencies_ms"]) + raw_result.get("warmup_sent", 0)
        run["cpu_ms"] = (round((cpu_after - cpu_before) * 1000 / sent, 2)
                         if cpu_before is not None and cpu_after is not None and sent else None)
        say(f"  {case.key:<40} c={c:<3} n={run['n']:<4} p50={run['p50']:.1f} ms "
            f"p95={run['p95']:.1f} ms {run['rps']:.1f} req/s"
            + (f" cpu {run['cpu_ms']:.1f} ms/req" if run["cpu_ms"] is not None else "")
            + (f"  ERRORS {run['errors']}: {run['error_samples'][:1]}" if run["errors"] else ""))
    captured = capture(case, ctx, count=plan.capture, time_limit=plan.side_limit)
    timings = captured["timings"]
    sql_ms = report.percentiles([t[1] for t in timings])
    inprocess_ms = report.percentiles([t[2] for t in timings])
    query_counts = sorted({t[0] for t in timings})
    result: dict[str, Any] = {
        "label": case.label, "kind": case.kind,
        "user": ctx.users[case.user].username if case.user else None,
        "runs": runs,
        "sql": {"queries": query_counts[-1] if query_counts else 0,
                "queries_seen": query_counts, "n": len(timings),
                "p50_ms": round(sql_ms["p50"], 3), "p95_ms": round(sql_ms["p95"], 3),
                "inprocess_p50_ms": round(inprocess_ms["p50"], 3)},
    }
    if case.raw is not None:
        params = case.raw_params(ctx)
        with rawsql.connect(db_url) as conn:
            raw_ms = report.percentiles(rawsql.time_query(
                conn, case.raw, params, count=plan.raw, time_limit=plan.side_limit))
            matches = None
            if captured["body"] is not None and case.kind == "api":
                matches = (rawsql.answer(conn, case.raw, params)
                           == rawsql.app_answer(case.raw, captured["body"]))
            shown = rawsql.text(conn, case.raw, params)
        result["raw"] = {"query": case.raw, "p50_ms": round(raw_ms["p50"], 3),
                         "p95_ms": round(raw_ms["p95"], 3), "answer_matches": matches,
                         "sql": shown}
        say(f"  {case.key:<40} raw SQL ({case.raw}) p50={raw_ms['p50']:.1f} ms "
            f"p95={raw_ms['p95']:.1f} ms: results/sql/{case.key}.raw.sql")
        if matches is False:
            say(f"  WARNING {case.key}: the hand-written SQL's answer differs from the app's")
    app_p50 = runs["1"]["p50"] if "1" in runs else None
    result["ratios"] = {
        "app_over_sql": report.ratio(app_p50, result["sql"]["p50_ms"]),
        "app_over_raw": report.ratio(app_p50, (result.get("raw") or {}).get("p50_ms")),
    }
    return result, captured["statements"]


def run_cases(ctx: Context, base_url: str, db_url: str, plan: Plan,
              selected: list[Case] | None = None, say: Any = print,
              cpu: Callable[[], float | None] = lambda: None,
              ) -> tuple[dict[str, Any], dict[str, list[tuple[str, float]]]]:
    """Every case (or `selected`): {key: figures}, {key: statements of one request}."""
    out: dict[str, Any] = {}
    statements: dict[str, list[tuple[str, float]]] = {}
    for case in selected if selected is not None else cases_module.CASES:
        out[case.key], statements[case.key] = run_case(case, ctx, base_url, db_url, plan, say,
                                                       cpu)
    return out, statements


# --- the whole run --------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "memory": memory, "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_1m_at_end": round(os.getloadavg()[0], 2)}


def data_size(db_url: str) -> dict[str, Any]:
    with rawsql.connect(db_url) as conn:
        def count(table: str) -> int:
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
            return int(row[0]) if row else 0
        version = conn.execute("SHOW server_version").fetchone()
        return {"patients": count("patients_patient"), "pathways": count("pathways_pathway"),
                "open_pathways": conn.execute(
                    "SELECT count(*) FROM pathways_pathway WHERE closed_at IS NULL"
                ).fetchone()[0],  # type: ignore[index]
                "events": count("pathways_pathwayevent"), "stays": count("pathways_stay"),
                "audit_events": count("access_auditevent"),
                "bed_programmes": count("beds_programme"), "bed_nights": count("beds_bednight"),
                "bed_bookings": count("beds_booking"),
                "postgresql": version[0] if version else ""}


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True,  # noqa: S603,S607
                              cwd=ROOT, check=False)
        return done.stdout.strip()
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def context(users: list[Any], *, top_up: bool = True) -> Context:
    """The picked users, signed in, and the pathways the cases use (Django set up)."""
    from django.utils import timezone

    from bench import users as users_module

    typical, large = users
    pool = users_module.write_pool(large, top_up=top_up)
    return Context(users={"typical": typical, "large": large},
                   pathway=users_module.reading_pathway(typical, exclude=pool),
                   write_pool=pool, today=timezone.localdate(), phases=users_module.phases)


def meta(scale: str, quick: bool, ctx: Context, db_url: str, plan: Plan, started: str,
         workers: int | None) -> dict[str, Any]:
    return {
        "started_at": started, "scale": scale, "quick": quick, **git_commit(),
        "machine": machine(), "data": data_size(db_url), "gunicorn_workers": workers,
        "database": database.database_name(db_url),
        "plan": {"concurrencies": list(plan.concurrencies),
                 "requests": {str(k): v for k, v in plan.requests.items()},
                 "time_limit_s": plan.time_limit, "warmup": plan.warmup,
                 "warmup_limit_s": plan.warmup_limit, "side_limit_s": plan.side_limit,
                 "capture": plan.capture, "raw": plan.raw},
        "users": {role: u.public() for role, u in ctx.users.items()},
        "pathway": ctx.pathway, "write_pool": len(ctx.write_pool),
    }


def finish(results: dict[str, Any], statements: dict[str, list[tuple[str, float]]],
           directory: Path = report.RESULTS, say: Any = print) -> list[str]:
    """Save, print the table and the comparison; returns the comparison lines."""
    before = report.last_comparable(results, directory)
    path = report.save(results, statements, directory)
    say("")
    say(report.table(results))
    lines = report.comparison_lines(before, results)
    say("")
    for line in lines:
        say(line)
    say(f"\nWritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default=database.DEFAULT_SCALE,
                        choices=list(database.SCALES))
    parser.add_argument("--quick", action="store_true", help="a few requests per case")
    parser.add_argument("--reset", action="store_true", help="drop and seed the database anew")
    parser.add_argument("--only", default="", help="comma-separated case keys (prefixes)")
    args = parser.parse_args(argv)
    scale, plan = args.scale, QUICK if args.quick else FULL
    selected = [c for c in cases_module.CASES
                if not args.only or any(c.key.startswith(p) for p in args.only.split(","))]
    db_url = os.environ.get("BENCH_DATABASE_URL") or database.default_url(scale)
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    bound = plan.bound_seconds(len(selected)) / 60
    seeding = "" if scale == "tiny" else (
        f" plus seeding on the first run of this scale ({database.SCALES[scale].note})")
    print(f"Bench: scale {scale}, {len(selected)} cases at c={list(plan.concurrencies)}, "
          f"{'QUICK' if args.quick else 'full'}; every load run is bounded "
          f"({plan.requests} requests, {plan.time_limit:.0f} s), so the measuring takes at most "
          f"{bound:.0f} minutes{seeding}. The default scale ({database.DEFAULT_SCALE}) finishes "
          f"within 15 minutes on 2 cores. Database: {database.database_name(db_url)}.")

    load_at_start = os.getloadavg()[0]
    if load_at_start > (os.cpu_count() or 1):
        print(f"WARNING: the machine is busy (load average {load_at_start:.1f} on "
              f"{os.cpu_count()} cores): the figures will be slower and noisier than on an idle "
              f"machine; the load average is kept with the results.")
    secret_key = secrets.token_hex(32)
    env = database.server_env(db_url, secret_key)
    database.prepare(db_url, scale, env, reset=args.reset)

    # This process: the same settings as the server, for the users and the SQL capture.
    for key in [k for k in os.environ if k.startswith("ETTERVERN_")]:
        del os.environ[key]
    os.environ.update(env)
    import django

    django.setup()
    from bench import users as users_module
    from bench.server import Server

    typical, large = users_module.pick()
    for user in (typical, large):
        users_module.sign_in(user)
    signed_in: dict[str, Any] = {}
    try:
        ctx = context([typical, large])
        signed_in = ctx.users
        print(f"Users: typical {typical.username} (caseload {typical.caseload}), "
              f"large {large.username} (caseload {large.caseload}); pathway {ctx.pathway}")
        with Server(env) as server:
            print(f"gunicorn: {server.workers} sync workers at {server.url}")
            began = time.monotonic()
            figures, statements = run_cases(ctx, server.url, db_url, plan, selected,
                                            cpu=server.cpu_seconds)
            print(f"Measured in {time.monotonic() - began:.0f} s")
        results = {"meta": meta(scale, args.quick, ctx, db_url, plan, started_at,
                                server.workers),
                   "cases": figures}
        results["meta"]["machine"]["load_average_1m_at_start"] = round(load_at_start, 2)
        results["meta"]["only"] = args.only
    finally:
        # The coordinators and any user a case signed in (the patient of the access log).
        users_module.release([typical, large, *signed_in.values()])
    finish(results, statements)


if __name__ == "__main__":
    main()
