"""The job queue's bookkeeping for operators: the workers' heartbeats and the daily jobs done.
The jobs themselves are in django-tasks-db's admin (Task Results: a job FAILED for good stays
there with its traceback). Messages and notifications are not here: they are read through the
access policy only."""

from __future__ import annotations

from django.contrib import admin

from ettervern.messaging.models import DailyRun, WorkerBeat


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "host", "pid", "beat_at"]
    ordering = ["-beat_at"]


@admin.register(DailyRun)
class DailyRunAdmin(admin.ModelAdmin):
    list_display = ["key", "day", "enqueued_at"]
    ordering = ["-day", "key"]
