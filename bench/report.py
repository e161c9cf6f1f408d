"""Figures from timings, the table on stdout, the JSON files and the comparison with the last run.

Files (under bench/results/, not committed except the examples):
    latest.json            this run
    previous.json          the run before it
    history/<time>-<scale>[-quick].json   every run, for comparisons and the chart
    sql/<case>.sql         the statements the app ran for one request of each case
    sql/<case>.raw.sql     the hand-written SQL of a case that has one, as it was sent
"""

from __future__ import annotations

import json
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
THRESHOLD = 0.10  # changes smaller than this are reported as no change
METRICS = ("p95", "rps", "cpu_ms")


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 (linear between closest ranks), mean and max, in the values' unit."""
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0, "max": 0.0}
    if len(values) == 1:
        v = values[0]
        return {"p50": v, "p95": v, "p99": v, "mean": v, "max": v}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98],
            "mean": statistics.fmean(values), "max": max(values)}


def load_figures(result: dict[str, Any]) -> dict[str, Any]:
    """A load run's figures: latency in ms over every measured request (errors included),
    throughput = successful responses per second of the measured wall time."""
    latencies = result["latencies_ms"]
    ok = sum(n for status, n in result["statuses"].items() if 200 <= int(status) < 300)
    wall = result["wall_seconds"]
    return {
        "n": len(latencies), "ok": ok, "errors": len(latencies) - ok,
        **{k: round(v, 3) for k, v in percentiles(latencies).items()},
        "rps": round(ok / wall, 2) if wall > 0 else 0.0,
        "wall_seconds": round(wall, 3), "stopped_by_time": result["stopped_by_time"],
        "statuses": result["statuses"], "error_samples": result["errors"],
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


# --- the table ------------------------------------------------------------------------------

def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def table(results: dict[str, Any]) -> str:
    """One line per case and concurrency; SQL and ratios on the c=1 line."""
    head = (f"{'case':<44} {'c':>3} {'n':>5} {'err':>4} {'p50':>7} {'p95':>7} {'p99':>7} "
            f"{'req/s':>7} {'cpu':>6} {'q':>4} {'sql':>6} {'app/sql':>8} {'raw':>6} "
            f"{'app/raw':>8}")
    lines = [head, "-" * len(head)]
    for key, case in results["cases"].items():
        for c, run in case["runs"].items():
            first = c == "1"
            sql = case.get("sql") or {}
            raw = case.get("raw") or {}
            ratios = case.get("ratios") or {}
            lines.append(
                f"{key if first else '':<44} {c:>3} {run['n']:>5} {run['errors']:>4} "
                f"{_ms(run['p50']):>7} {_ms(run['p95']):>7} {_ms(run['p99']):>7} "
                f"{run['rps']:>7.1f} {_ms(run.get('cpu_ms')):>6} "
                + (f"{sql.get('queries', '-'):>4} {_ms(sql.get('p50_ms')):>6} "
                   f"{_x(ratios.get('app_over_sql')):>8} {_ms(raw.get('p50_ms')):>6} "
                   f"{_x(ratios.get('app_over_raw')):>8}" if first else ""))
    lines.append("latency in ms (p50/p95/p99 over every request of the run); req/s = successful "
                 "responses per second; cpu = the app's CPU ms per request; q = queries per "
                 "request; sql = p50 of its SQL time; raw = p50 of the hand-written SQL; ratios "
                 "use the c=1 p50 (docs/performance.md)")
    return "\n".join(lines)


# --- files ----------------------------------------------------------------------------------

def history_name(results: dict[str, Any]) -> str:
    meta = results["meta"]
    stamp = meta["started_at"].replace(":", "").replace("-", "")[:15]
    return f"{stamp}-{meta['scale']}{'-quick' if meta['quick'] else ''}.json"


def save(results: dict[str, Any], statements: dict[str, list[tuple[str, float]]],
         directory: Path = RESULTS) -> Path:
    """Write latest.json (the old one becomes previous.json), the history copy and the SQL."""
    directory.mkdir(parents=True, exist_ok=True)
    latest = directory / "latest.json"
    if latest.exists():
        shutil.copyfile(latest, directory / "previous.json")
    text = json.dumps(results, indent=1, sort_keys=False) + "\n"
    latest.write_text(text)
    history = directory / "history"
    history.mkdir(exist_ok=True)
    (history / history_name(results)).write_text(text)
    sql_dir = directory / "sql"
    sql_dir.mkdir(exist_ok=True)
    for key, sql in statements.items():
        (sql_dir / f"{key}.sql").write_text("".join(
            f"-- {index}: {ms:.2f} ms\n{text};\n\n" for index, (text, ms) in enumerate(sql, 1)))
    for key, case in results["cases"].items():
        raw = case.get("raw") or {}
        if raw.get("sql"):
            (sql_dir / f"{key}.raw.sql").write_text(
                f"-- {raw['query']}: p50 {raw['p50_ms']:.2f} ms, p95 {raw['p95_ms']:.2f} ms\n"
                f"{raw['sql']};\n")
    return latest


def comparable(results: dict[str, Any], other: dict[str, Any]) -> bool:
    a, b = results["meta"], other["meta"]
    return a["scale"] == b["scale"] and a["quick"] == b["quick"]


def last_comparable(results: dict[str, Any], directory: Path = RESULTS) -> dict[str, Any] | None:
    """The newest earlier run of the same scale (and QUICK or not) in the history."""
    history = directory / "history"
    own = history_name(results)
    for path in sorted(history.glob("*.json"), reverse=True) if history.exists() else []:
        if path.name >= own:
            continue
        try:
            other = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if comparable(results, other):
            return other
    return None


# --- comparison -----------------------------------------------------------------------------

@dataclass
class Change:
    case: str
    concurrency: str
    metric: str  # "p95", "rps" or "cpu_ms"
    before: float
    after: float

    @property
    def relative(self) -> float:
        return (self.after - self.before) / self.before

    @property
    def worse(self) -> bool:
        return self.relative > 0 if self.metric != "rps" else self.relative < 0

    def line(self) -> str:
        name = {"rps": "throughput", "cpu_ms": "CPU per request"}.get(self.metric, self.metric)
        unit = "req/s" if self.metric == "rps" else "ms"
        return (f"{self.case} c={self.concurrency} {name} {self.relative * 100:+.0f} % since the "
                f"last run ({self.before:.1f} -> {self.after:.1f} {unit})"
                f"{'' if self.worse else ' (better)'}")


def compare(before: dict[str, Any], after: dict[str, Any],
            threshold: float = THRESHOLD) -> list[Change]:
    """p95, throughput and CPU per request of every case and concurrency both runs have,
    changed by more than `threshold` (relative), worst first."""
    changes = []
    for key, case in after["cases"].items():
        old = before["cases"].get(key)
        if old is None:
            continue
        for c, run in case["runs"].items():
            old_run = old["runs"].get(c)
            if old_run is None:
                continue
            for metric in METRICS:
                a, b = old_run.get(metric), run.get(metric)
                if a and b is not None and abs(b - a) / a > threshold:
                    changes.append(Change(key, c, metric, float(a), float(b)))
    return sorted(changes, key=lambda ch: (not ch.worse, -abs(ch.relative)))


def _load(results: dict[str, Any]) -> str:
    value = results["meta"].get("machine", {}).get("load_average_1m_at_start")
    return "?" if value is None else f"{value:.1f}"


def comparison_lines(before: dict[str, Any] | None, after: dict[str, Any],
                     threshold: float = THRESHOLD) -> list[str]:
    if before is None:
        return ["No earlier run of this scale to compare with."]
    changes = compare(before, after, threshold)
    head = (f"Compared with the run of {before['meta']['started_at']} "
            f"(commit {before['meta'].get('commit', '?')}; load average "
            f"{_load(before)} then, {_load(after)} now: latency and throughput follow the "
            f"machine's other work, CPU per request much less):")
    if not changes:
        return [head, f"  no p95, throughput or CPU per request changed by more than "
                      f"{threshold * 100:.0f} %"]
    return [head] + ["  " + change.line() for change in changes]
