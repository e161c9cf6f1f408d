"""The benchmark harness (bench/): the comparison with the last run, and a tiny run end to end.

No timing is asserted anywhere: only that every case was measured and the logic is right.
"""

from __future__ import annotations

import copy
import json
import time
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from bench import cases, chart, database, report, run, users


def _figures(p95: float, rps: float, cpu_ms: float | None = None) -> dict[str, Any]:
    return {"n": 100, "ok": 100, "errors": 0, "p50": p95 / 2, "p95": p95, "p99": p95 * 1.2,
            "rps": rps, "cpu_ms": cpu_ms}


def _results(started: str, scale: str = "300", **cases_p95_rps: tuple[float, ...]) -> dict:
    return {"meta": {"started_at": started, "scale": scale, "quick": False, "commit": "abc",
                     "data": {"pathways": 345},
                     "machine": {"nproc": 2, "load_average_1m_at_start": 1.0}},
            "cases": {key: {"runs": {"1": _figures(*values)}}
                      for key, values in cases_p95_rps.items()}}


def test_the_comparison_reports_what_changed_beyond_the_threshold() -> None:
    before = _results("2026-01-01T10:00:00+00:00", worklist=(20.0, 50.0, 12.0),
                      pathway=(10.0, 90.0, 8.0), timeline=(8.0, 100.0))
    after = _results("2026-01-02T10:00:00+00:00", worklist=(27.0, 50.0, 12.5),
                     pathway=(10.4, 72.0, 10.0), timeline=(6.0, 100.0), healthz=(2.0, 500.0))

    lines = report.comparison_lines(before, after)

    assert lines[0].startswith("Compared with the run of 2026-01-01T10:00:00+00:00")
    assert lines[1:] == [
        "  worklist c=1 p95 +35 % since the last run (20.0 -> 27.0 ms)",
        "  pathway c=1 CPU per request +25 % since the last run (8.0 -> 10.0 ms)",
        "  pathway c=1 throughput -20 % since the last run (90.0 -> 72.0 req/s)",
        "  timeline c=1 p95 -25 % since the last run (8.0 -> 6.0 ms) (better)",
    ]  # pathway's p95 moved 4 % and worklist's CPU 4 %: below the threshold; healthz is new;
    # timeline had no CPU figure


def test_no_change_and_no_earlier_run_are_said_so() -> None:
    before = _results("2026-01-01T10:00:00+00:00", worklist=(20.0, 50.0))
    same = _results("2026-01-02T10:00:00+00:00", worklist=(21.0, 48.0))
    assert report.comparison_lines(before, same)[1] == (
        "  no p95, throughput or CPU per request changed by more than 10 %")
    assert report.comparison_lines(None, same) == [
        "No earlier run of this scale to compare with."]


def test_a_run_is_compared_with_the_last_run_of_its_own_scale(tmp_path: Path) -> None:
    for results in (_results("2026-01-01T10:00:00+00:00", scale="300", worklist=(20.0, 50.0)),
                    _results("2026-01-02T10:00:00+00:00", scale="3k", worklist=(90.0, 9.0))):
        report.save(results, {}, tmp_path)
    now = _results("2026-01-03T10:00:00+00:00", scale="300", worklist=(30.0, 50.0))

    before = report.last_comparable(now, tmp_path)

    assert before is not None and before["meta"]["started_at"].startswith("2026-01-01")
    assert json.loads((tmp_path / "previous.json").read_text())["meta"]["scale"] == "300"
    assert json.loads((tmp_path / "latest.json").read_text())["meta"]["scale"] == "3k"


def test_percentiles_interpolate_between_ranks() -> None:
    figures = report.percentiles([float(v) for v in range(1, 101)])
    assert (figures["p50"], figures["p95"], figures["p99"]) == pytest.approx((50.5, 95.05, 99.01))
    assert report.percentiles([7.0])["p99"] == 7.0


def test_every_case_has_a_unique_key_and_known_sql() -> None:
    keys = [case.key for case in cases.CASES]
    assert len(keys) == len(set(keys))
    from bench.rawsql import QUERIES

    assert all(case.raw is None or case.raw in QUERIES for case in cases.CASES)


def test_the_chart_is_an_svg_with_a_line_per_case() -> None:
    small = _results("2026-01-01T10:00:00+00:00", worklist=(20.0, 50.0), pathway=(9.0, 90.0))
    large = copy.deepcopy(small)
    large["meta"]["data"]["pathways"] = 3450
    lines = chart.series([small, large])
    drawing = chart.svg(lines, title="t", y_label="ms", notes=["n"], target=50)
    assert drawing.startswith("<svg") and drawing.count("<polyline") == 2


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    return (f"postgres://{quote(s['USER'] or 'postgres')}{password}@{s['HOST'] or '127.0.0.1'}"
            f":{s['PORT'] or 5432}/{s['NAME']}")


TINY = run.Plan(requests={1: 3, 10: 12}, time_limit=10.0, warmup=1, capture=2, raw=3,
                side_limit=5.0)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the benchmark measures PostgreSQL, as production runs; "
                           "make test runs it in the PostgreSQL half")
# serialized_rollback: the plan cases need the sections its data migration writes, which an
# earlier transactional test's flush has removed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tiny_run_end_to_end(live_server: Any, tmp_path: Path) -> None:
    call_command(*database.seed_args("tiny"), stdout=StringIO(), stderr=StringIO())
    typical, large = users.pick()
    for user in (typical, large):
        users.sign_in(user)
    ctx = run.context([typical, large])
    db_url = _database_url()

    # The live server runs in this process's threads: its CPU time is this process's, as the
    # load generator is a process of its own.
    figures, statements = run.run_cases(ctx, live_server.url, db_url, TINY, say=lambda s: None,
                                        cpu=time.process_time)
    results = {"meta": run.meta("tiny", True, ctx, db_url, TINY, "2026-01-01T10:00:00+00:00",
                                None), "cases": figures}
    run.finish(results, statements, tmp_path, say=lambda s: None)
    users.release([typical, large, *ctx.users.values()])

    written = json.loads((tmp_path / "latest.json").read_text())
    assert set(written["cases"]) == {case.key for case in cases.CASES}
    for key, case in written["cases"].items():
        for c, figures_c in case["runs"].items():
            assert figures_c["errors"] == 0, (key, c, figures_c["error_samples"])
            assert figures_c["n"] > 0 and figures_c["rps"] > 0, (key, c)
            assert 0 < figures_c["p50"] <= figures_c["p95"] <= figures_c["p99"], (key, c)
            assert figures_c["cpu_ms"] > 0, (key, c)
        assert case["sql"]["queries"] > 0 and case["sql"]["p50_ms"] > 0, key
        assert case["ratios"]["app_over_sql"] > 0, key
        if case.get("raw"):
            assert case["raw"]["p50_ms"] > 0 and case["ratios"]["app_over_raw"] > 0, key
            if case["kind"] == "api":
                assert case["raw"]["answer_matches"] is True, key
        assert (tmp_path / "sql" / f"{key}.sql").read_text().startswith("-- 1:")
    assert written["meta"]["users"]["large"]["caseload"] >= written["meta"]["users"][
        "typical"]["caseload"] > 0

    # The next run, 35 % slower on one case, is compared with this one.
    slower = copy.deepcopy(written)
    slower["meta"]["started_at"] = "2026-01-02T10:00:00+00:00"
    slower["cases"]["pathway_api"]["runs"]["1"]["p95"] *= 1.35
    lines = run.finish(slower, {}, tmp_path, say=lambda s: None)
    assert any(line.startswith("  pathway_api c=1 p95 +35 % since the last run")
               for line in lines), lines
