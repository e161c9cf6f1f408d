"""`ettervern jobs`: the background jobs by status, and the ones that failed for good."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "List the background jobs: counts by status, then the failed ones (newest first)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=20, help="How many failed jobs to list.")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id"))
                      .values_list("status", "n"))
        for status in TaskResultStatus:
            self.stdout.write(f"{status.value:<11} {counts.get(status.value, 0)}")
        failed = DBTaskResult.objects.failed().order_by("-finished_at")[:limit]
        if failed:
            self.stdout.write("\nFailed for good:")
        for row in failed:
            self.stdout.write(
                f"{row.id}  {row.task_path}  attempts={len(row.worker_ids)}  "
                f"finished={row.finished_at:%Y-%m-%d %H:%M:%S}  {row.exception_class_path}")
