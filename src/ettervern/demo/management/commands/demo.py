"""`ettervern demo`: migrate, seed, demo logins, serve. Refuses outside demo mode."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ettervern.demo.logins import DEMO_PASSWORD, LOGINS, demo_users_exist, setup_demo_logins
from ettervern.demo.seeding import seed


class Command(BaseCommand):
    help = ("Demo mode only (ETTERVERN_DEMO=1): migrate the database, load synthetic data the "
            "first time, create or reset the demo logins, print them, and serve on 127.0.0.1.")
    requires_system_checks: list[str] = []  # migrate and runserver run their own checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--patients", type=int, default=200,
                            help="patients to seed the first time (default 200)")
        parser.add_argument("--seed", type=int, default=2025,
                            help="random seed of the synthetic data (default 2025)")
        parser.add_argument("--no-serve", action="store_true",
                            help="stop after printing the logins (for tests and scripts)")
        parser.add_argument("--no-worker", action="store_true",
                            help="serve without the background worker (e-mails, reminders)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError(
                "The demo command runs only in demo mode, because it creates logins with a "
                "shared, printed password. Start it with ETTERVERN_DEMO=1 (e.g. `make demo`); "
                "never in production."
            )
        port: int = options["port"]
        call_command("migrate", interactive=False, verbosity=0)
        if not demo_users_exist():
            self.stdout.write(f"Loading synthetic data ({options['patients']} patients) …")
            seed(patients=options["patients"], seed=options["seed"],
                 progress=getattr(self.stderr, "_out", sys.stderr))
        setup_demo_logins(random.Random(options["seed"]))  # noqa: S311 - synthetic data
        self._print_logins(port)
        if not options["no_serve"]:
            if "ETTERVERN_BASE_URL" not in os.environ:
                # Links in e-mails and calendar files point at this server (the worker, which
                # sends them, inherits the environment).
                os.environ["ETTERVERN_BASE_URL"] = f"http://127.0.0.1:{port}"
                settings.ETTERVERN_BASE_URL = os.environ["ETTERVERN_BASE_URL"]
            worker = None if options["no_worker"] else self._start_worker()
            try:
                call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
            finally:
                if worker is not None and worker.poll() is None:
                    worker.terminate()
                    worker.wait(timeout=30)

    def _start_worker(self) -> subprocess.Popen[bytes]:
        """The background worker (messaging.jobs) beside the server; it prints the e-mails
        (console backend) and stops with the server, however the server stops."""
        self.stdout.write("Bakgrunnsjobber: `ettervern worker` kjører; e-poster skrives her.\n")
        return subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "ettervern.cli", "worker", "--parent-pid", str(os.getpid())])

    @staticmethod
    def _totp_lines() -> list[str]:
        if settings.ETTERVERN_TOTP:
            return [
                "Totrinns innlogging (TOTP) er PÅ for ansatte: første innlogging viser en QR-kode",
                "for en autentiseringsapp; deretter kreves en engangskode etter passordet.",
                "Slå av med: make demo (uten ETTERVERN_TOTP=1), eller ETTERVERN_TOTP=0.",
            ]
        return [
            "Totrinns innlogging (TOTP) for ansatte er AV i demomodus.",
            "Slå på med: ETTERVERN_TOTP=1 make demo",
        ]

    def _print_logins(self, port: int) -> None:
        width_user = max(len("Brukernavn"), *(len(login.username) for login in LOGINS))
        width_role = max(len("Rolle"), *(len(login.role) for login in LOGINS))
        lines = [
            "",
            "Demo-innlogginger (syntetiske data; passordet finnes bare i demomodus):",
            f"  {'Brukernavn':<{width_user}}  {'Rolle':<{width_role}}  Passord",
            f"  {'-' * width_user}  {'-' * width_role}  {'-' * len(DEMO_PASSWORD)}",
        ]
        lines += [f"  {login.username:<{width_user}}  {login.role:<{width_role}}  {DEMO_PASSWORD}"
                  for login in LOGINS]
        lines += ["", *self._totp_lines(), "", f"Åpne http://127.0.0.1:{port}/", ""]
        self.stdout.write("\n".join(lines))
