"""`ettervern worker`: run the background jobs (e-mails, reminders) until stopped.

django-tasks-db's worker loop, with retries, leases and the daily jobs (messaging.jobs). Run
one or more beside the web servers; `make demo` starts one. SIGINT/SIGTERM stop it after the
job at hand; a job left behind by a killed worker is taken back by the next one after the
lease.
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from ettervern.messaging.jobs import DEFAULT_LEASE_SECONDS, Worker


class Command(BaseCommand):
    help = "Run the background jobs (e-mails, reminders) until stopped."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds to wait when no job is ready (default 1).")
        parser.add_argument("--lease", type=float, default=DEFAULT_LEASE_SECONDS,
                            help="Seconds without a heartbeat after which a running job is "
                                 f"taken back (default {DEFAULT_LEASE_SECONDS}).")
        parser.add_argument("--tick", type=float, default=60.0,
                            help="Seconds between looks for abandoned jobs and daily jobs "
                                 "(default 60).")
        parser.add_argument("--worker-id", default=None, help="Unique id (default: host-pid-…).")
        parser.add_argument("--parent-pid", type=int, default=None,
                            help="Stop when the process with this id (the one that started "
                                 "the worker, e.g. `ettervern demo`) is gone.")

    def handle(self, *args: Any, interval: float, lease: float, tick: float,
               worker_id: str | None, parent_pid: int | None, verbosity: int,
               **options: Any) -> None:
        level = logging.WARNING if verbosity == 0 else logging.INFO
        for name in ("ettervern.messaging.jobs", "django_tasks", "django_tasks_db"):
            log = logging.getLogger(name)
            log.setLevel(level)
            if not log.handlers:
                log.addHandler(logging.StreamHandler(self.stderr))
                log.propagate = False
        worker = Worker(interval=interval, lease_seconds=lease, tick_seconds=tick,
                        worker_id=worker_id, parent_pid=parent_pid)
        worker.configure_signals()
        worker.run()
