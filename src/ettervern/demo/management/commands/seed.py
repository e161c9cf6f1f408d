"""`ettervern seed --patients N [--seed S]`: a synthetic population (see ettervern.demo).

`ettervern seed --scale tiny|50k|national [--seed S]`: the same stories at scale, written in
bulk (see ettervern.demo.bulk); resumable.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ettervern.demo.bulk.scales import SCALES
from ettervern.demo.seeding import seed


class Command(BaseCommand):
    help = ("Create a synthetic population: organisations of the four health regions, staff, "
            "and patients with pathways in every phase. Safe to run again (adds patients). "
            "With --scale: a whole data set written in bulk (tiny, 50k or national); running "
            "it again continues where it stopped, or does nothing when it is complete.")

    def add_arguments(self, parser: CommandParser) -> None:
        size = parser.add_mutually_exclusive_group()
        size.add_argument("--patients", type=int, default=200,
                          help="how many patients to add through the services (default 200)")
        size.add_argument("--scale", choices=list(SCALES),
                          help="a data set written in bulk: " + "; ".join(
                              f"{s.name}: {s.pathways:,} pathways, {s.audit_rows:,} audit rows"
                              for s in SCALES.values()))
        parser.add_argument("--seed", type=int, default=None,
                            help="random seed, for a reproducible population (--scale: 0)")

    def handle(self, *args: Any, **options: Any) -> None:
        # tqdm redraws its line with \r, so it needs the raw stream, not Django's wrapper.
        progress = getattr(self.stderr, "_out", sys.stderr)
        if options["scale"]:
            self._scale(options["scale"], options["seed"] or 0, progress)
            return
        patients: int = options["patients"]
        if patients < 0:
            raise CommandError("--patients must be 0 or more.")
        started = time.monotonic()
        _directory, stats = seed(patients=patients, seed=options["seed"], progress=progress)
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(stats.pathways.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {stats.patients} patients in {time.monotonic() - started:.1f} s "
            f"({summary})."
        ))

    def _scale(self, name: str, seed_value: int, progress: Any) -> None:
        from ettervern.demo.bulk.run import ScaleError, seed_scale

        try:
            outcome = seed_scale(name, seed=seed_value, progress=progress)
        except ScaleError as error:
            raise CommandError(str(error)) from None
        tally = outcome.tally
        if tally.rows:
            width = max(len(table) for table in tally.rows)
            self.stdout.write(f"{'table':<{width}}  {'rows':>12}  {'seconds':>8}  {'rows/s':>10}")
            for table, rows in tally.rows.items():
                seconds = tally.seconds[table]
                rate = f"{rows / seconds:,.0f}" if seconds > 0 else "-"
                self.stdout.write(f"{table:<{width}}  {rows:>12,}  {seconds:>8.1f}  {rate:>10}")
        for phase, seconds in outcome.phases.items():
            self.stdout.write(f"{phase}: {seconds:.1f} s")
        if outcome.rebuilt_indexes:
            self.stdout.write(f"Audit indexes built: {', '.join(outcome.rebuilt_indexes)}.")
        if outcome.written == 0:
            message = (f"The {name} set is complete ({_pieces(outcome.skipped)}); nothing to do "
                       f"({outcome.seconds:.1f} s).")
        else:
            message = (f"Seeded the {name} set: {_pieces(outcome.written)} written"
                       + (f", {_pieces(outcome.skipped)} there already" if outcome.skipped
                          else "")
                       + f"; {outcome.pathways:,} pathways, {tally.total():,} rows in "
                       f"{outcome.seconds:.1f} s.")
        self.stdout.write(self.style.SUCCESS(message))


def _pieces(count: int) -> str:
    return f"{count} piece" + ("" if count == 1 else "s")
