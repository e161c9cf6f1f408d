"""`ettervern demo_scenario PHASE [PHASE …] [--logins]`: fresh pathways for a test to work on.

Demo mode only (ETTERVERN_DEMO=1), against the database of a demo that has already been
started once (the demo logins must exist). Prints a JSON list with one object per scenario:
the pathway's public id and page, the patient, the stays and the usernames that have a role.
See ettervern.demo.scenarios and tests/e2e/README.md.
"""

from __future__ import annotations

import json
import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ettervern.core.errors import DomainError
from ettervern.demo.scenarios import SCENARIOS, build_scenarios


class Command(BaseCommand):
    help = ("Demo mode only (ETTERVERN_DEMO=1): give a new synthetic patient a pathway in the "
            "named phase, played through the services by the demo logins, and print its ids "
            "as JSON. Used by the browser tests, so that each test has data of its own.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenarios", nargs="+", choices=SCENARIOS, metavar="PHASE",
                            help=f"one of: {', '.join(SCENARIOS)} (one new patient each)")
        parser.add_argument("--logins", action="store_true",
                            help="let the patient and the next of kin sign in (new users "
                                 "pasient-… and parorende-… with the demo password)")
        parser.add_argument("--seed", type=int, default=None,
                            help="random seed (default: a different patient every time)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError(
                "demo_scenario runs only in demo mode (ETTERVERN_DEMO=1), against the demo's "
                "own database: it creates synthetic patients and, with --logins, users with "
                "the shared demo password. Never in production."
            )
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data, not security
        try:
            scenarios = build_scenarios(options["scenarios"], logins=options["logins"], rng=rng)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps([s.as_json() for s in scenarios], ensure_ascii=False))
