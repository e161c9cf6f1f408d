"""Latency against data size, as an SVG drawn with plain Python (no plotting library).

    python -m bench.chart [RESULT.json ...] [--out docs/performance-latency.svg]

Without files: the newest full (not QUICK) run of each scale in bench/results/history/, or
else the committed examples (bench/results/example-*.json). X: pathways in the database (log
scale); Y: p95 at one user (ms, log scale); one line per case.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench.report import RESULTS

ROOT = RESULTS.parent.parent
OUT = ROOT / "docs" / "performance-latency.svg"
COLOURS = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8d6346",
           "#e07a5f", "#3d405b", "#81b29a", "#f2a541", "#5c7aff", "#9b5de5", "#555555"]


def newest_per_scale(directory: Path = RESULTS) -> list[dict[str, Any]]:
    chosen: dict[str, dict[str, Any]] = {}
    history = directory / "history"
    files = sorted(history.glob("*.json")) if history.exists() else []
    for path in files:
        data = json.loads(path.read_text())
        if not data["meta"]["quick"] and not data["meta"].get("only"):
            chosen[data["meta"]["scale"]] = data
    if not chosen:
        for path in sorted(directory.glob("example-*.json")):
            data = json.loads(path.read_text())
            chosen[data["meta"]["scale"]] = data
    return sorted(chosen.values(), key=lambda d: d["meta"]["data"]["pathways"])


def series(results: list[dict[str, Any]], concurrency: str = "1",
           metric: str = "p95") -> dict[str, list[tuple[float, float]]]:
    """{case: [(pathways, value), ...]} over the runs, smallest data first."""
    out: dict[str, list[tuple[float, float]]] = {}
    for data in results:
        size = float(data["meta"]["data"]["pathways"])
        for key, case in data["cases"].items():
            run = case["runs"].get(concurrency)
            if run and run.get(metric):
                out.setdefault(key, []).append((size, float(run[metric])))
    return out


def _ticks(low: float, high: float) -> list[float]:
    """1-2-5 steps across [low, high] on a log axis."""
    ticks = []
    exponent = math.floor(math.log10(low))
    while 10 ** exponent <= high * 10:
        for step in (1, 2, 5):
            value = step * 10 ** exponent
            if low <= value <= high:
                ticks.append(float(value))
        exponent += 1
    return ticks


def svg(lines: dict[str, list[tuple[float, float]]], *, title: str, y_label: str,
        notes: list[str], target: float | None = None) -> str:
    width, height = 900, 520
    left, right, top, bottom = 70, 330, 50, 62 + 14 * len(notes)
    xs = [x for pts in lines.values() for x, _ in pts] or [1.0]
    ys = [y for pts in lines.values() for _, y in pts] + ([target] if target else []) or [1.0]
    x_low, x_high = min(xs) / 1.5, max(xs) * 1.5
    y_low, y_high = min(ys) / 1.5, max(ys) * 1.5

    def px(x: float) -> float:
        span = math.log10(x_high) - math.log10(x_low)
        return left + (math.log10(x) - math.log10(x_low)) / span * (width - left - right)

    def py(y: float) -> float:
        span = math.log10(y_high) - math.log10(y_low)
        return height - bottom - (math.log10(y) - math.log10(y_low)) / span * (
            height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="sans-serif" font-size="12" '
             f'role="img" aria-label="{escape(title)}">',
             f'<rect width="{width}" height="{height}" fill="#fff"/>',
             f'<text x="{left}" y="28" font-size="16" font-weight="bold">{escape(title)}</text>']
    for tick in _ticks(y_low, y_high):
        y = py(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick:g}</text>')
    for tick in _ticks(x_low, x_high):
        x = px(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - bottom}" '
                     f'stroke="#eee"/><text x="{x:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle">{tick:g}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - bottom + 36}" '
                 f'text-anchor="middle">pathways in the database (log scale)</text>')
    parts.append(f'<text x="18" y="{(top + height - bottom) / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 18 {(top + height - bottom) / 2})">'
                 f'{escape(y_label)}</text>')
    if target:
        y = py(target)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#c00" stroke-dasharray="6 4"/><text x="{width - right - 4}" '
                     f'y="{y - 5:.1f}" text-anchor="end" fill="#c00">target {target:g} ms</text>')
    for index, (name, points) in enumerate(sorted(lines.items())):
        colour = COLOURS[index % len(COLOURS)]
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"/>')
        parts += [f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}"/>'
                  for x, y in points]
        legend_y = top + 8 + index * 18
        parts.append(f'<rect x="{width - right + 20}" y="{legend_y - 9}" width="14" height="4" '
                     f'fill="{colour}"/><text x="{width - right + 40}" y="{legend_y - 3}">'
                     f'{escape(name)}</text>')
    for index, note in enumerate(notes):
        parts.append(f'<text x="{left}" y="{height - 12 - (len(notes) - 1 - index) * 14}" '
                     f'fill="#555" font-size="11">{escape(note)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chart")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    results = ([json.loads(p.read_text()) for p in args.files] if args.files
               else newest_per_scale())
    results.sort(key=lambda d: d["meta"]["data"]["pathways"])
    if not results:
        raise SystemExit("chart: no full runs in bench/results/history and no examples")
    notes = [f"scale {d['meta']['scale']}: {d['meta']['data']['pathways']} pathways, commit "
             f"{d['meta']['commit']}, {d['meta']['started_at'][:10]}, load average "
             f"{d['meta']['machine'].get('load_average_1m_at_start', '?')} on "
             f"{d['meta']['machine']['nproc']} cores" for d in results]
    args.out.write_text(svg(series(results), title="p95 latency at 1 user against data size",
                            y_label="p95 at c=1 (ms, log scale)", notes=notes, target=50))
    print(f"Written: {args.out}")


if __name__ == "__main__":
    main()
