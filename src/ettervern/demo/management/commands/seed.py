"""`ettervern seed --patients N [--seed S]`: a synthetic population (see ettervern.demo)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ettervern.demo.seeding import seed


class Command(BaseCommand):
    help = ("Create a synthetic population: organisations of the four health regions, staff, "
            "and patients with pathways in every phase. Safe to run again (adds patients).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=200,
                            help="how many patients to add (default 200)")
        parser.add_argument("--seed", type=int, default=None,
                            help="random seed, for a reproducible population")

    def handle(self, *args: Any, **options: Any) -> None:
        patients: int = options["patients"]
        if patients < 0:
            raise CommandError("--patients must be 0 or more.")
        started = time.monotonic()
        # tqdm redraws its line with \r, so it needs the raw stream, not Django's wrapper.
        progress = getattr(self.stderr, "_out", sys.stderr)
        _directory, stats = seed(patients=patients, seed=options["seed"], progress=progress)
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(stats.pathways.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {stats.patients} patients in {time.monotonic() - started:.1f} s "
            f"({summary})."
        ))
