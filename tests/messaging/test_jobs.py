"""The job queue: retries with back-off, final failure visible, abandoned jobs taken back,
daily jobs once per day. In-process (the worker's steps); test_worker_kill.py kills a real one."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ettervern.core import clock
from ettervern.messaging import jobs
from ettervern.messaging.models import DailyRun, WorkerBeat
from tests.messaging import jobs_for_tests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calls():  # type: ignore[no-untyped-def]
    jobs_for_tests.CALLS.clear()


def _row(result) -> DBTaskResult:  # type: ignore[no-untyped-def]
    return DBTaskResult.objects.get(pk=result.id)


def test_a_failed_job_is_retried_with_growing_back_off_and_then_succeeds() -> None:
    start = timezone.now()
    with clock.frozen(start):
        result = jobs_for_tests.flaky.enqueue("a", 2)
        assert jobs.run_pending() == 1
    row = _row(result)
    assert row.status == TaskResultStatus.READY
    assert len(row.worker_ids) == 1
    assert row.run_after == start + dt.timedelta(seconds=jobs.BACKOFF_SECONDS)
    # Not yet: the clock has not reached run_after.
    with clock.frozen(start + dt.timedelta(seconds=jobs.BACKOFF_SECONDS - 1)):
        assert jobs.run_pending() == 0
    second = start + dt.timedelta(seconds=jobs.BACKOFF_SECONDS)
    with clock.frozen(second):
        assert jobs.run_pending() == 1
    row = _row(result)
    assert row.status == TaskResultStatus.READY
    assert row.run_after == second + dt.timedelta(seconds=2 * jobs.BACKOFF_SECONDS)
    with clock.frozen(second + dt.timedelta(seconds=2 * jobs.BACKOFF_SECONDS)):
        assert jobs.run_pending() == 1
    row = _row(result)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "done"
    assert len(row.worker_ids) == 3


def test_after_the_last_attempt_the_job_stays_failed_logged_and_listed(caplog) -> None:  # type: ignore[no-untyped-def]
    at = timezone.now()
    result = jobs_for_tests.flaky.enqueue("b", 99)
    with caplog.at_level(logging.WARNING, logger="ettervern.messaging.jobs"):
        for _ in range(5):
            with clock.frozen(at):
                jobs.run_pending()
            at += dt.timedelta(hours=1)
    row = _row(result)
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 3 == jobs_for_tests.CALLS.count("b")
    assert "failure 3 of b" in row.traceback
    errors = [r for r in caplog.records if r.levelno == logging.ERROR
              and r.name == "ettervern.messaging.jobs"]
    assert len(errors) == 1 and str(row.pk) in errors[0].getMessage()
    out = io.StringIO()
    call_command("jobs", stdout=out)
    assert str(row.pk) in out.getvalue()
    assert "attempts=3" in out.getvalue()
    assert "FAILED      1" in out.getvalue()


def test_a_plain_task_is_tried_once() -> None:
    assert jobs.max_attempts_of("some.module.plain_task") == 1
    assert jobs.max_attempts_of(jobs_for_tests.flaky.module_path) == 3


def _running(result, *, worker: str, started: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=[worker], started_at=started)


def test_a_job_left_running_by_a_silent_worker_is_taken_back_and_runs() -> None:
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    result = jobs_for_tests.flaky.enqueue("c", 0)
    _running(result, worker="dead", started=long_ago)
    WorkerBeat.objects.create(worker_id="dead", beat_at=long_ago)
    assert jobs.requeue_abandoned(lease_seconds=60) == 1
    assert _row(result).status == TaskResultStatus.READY
    assert jobs.run_pending() == 1
    row = _row(result)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["dead", "in-process"]


def test_a_job_whose_worker_still_beats_is_left_alone() -> None:
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    result = jobs_for_tests.flaky.enqueue("d", 0)
    _running(result, worker="alive", started=long_ago)
    WorkerBeat.objects.create(worker_id="alive", beat_at=timezone.now())
    assert jobs.requeue_abandoned(lease_seconds=60) == 0
    assert _row(result).status == TaskResultStatus.RUNNING


def test_a_job_abandoned_on_its_last_attempt_fails_for_good(caplog) -> None:  # type: ignore[no-untyped-def]
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    result = jobs_for_tests.flaky.enqueue("e", 0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["w1", "w2", "w3"], started_at=long_ago)
    with caplog.at_level(logging.ERROR, logger="ettervern.messaging.jobs"):
        assert jobs.requeue_abandoned(lease_seconds=60) == 1
    row = _row(result)
    assert row.status == TaskResultStatus.FAILED
    assert "stopped" in row.traceback
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_daily_jobs_are_enqueued_once_per_oslo_date(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[dt.date] = []
    monkeypatch.setattr(jobs, "_DAILY", {})
    jobs.daily("test-daily", seen.append)
    # 23:30 UTC on 16 May is already 17 May in Oslo.
    late = dt.datetime(2026, 5, 16, 23, 30, tzinfo=dt.UTC)
    with clock.frozen(late):
        assert jobs.enqueue_dailies() == ["test-daily"]
        assert jobs.enqueue_dailies() == []  # a second look, or a second worker
        jobs.run_pending()
    assert seen == [dt.date(2026, 5, 17)]
    assert DailyRun.objects.filter(key="test-daily").count() == 1
    with clock.frozen(late + dt.timedelta(days=1)):
        assert jobs.enqueue_dailies() == ["test-daily"]
        jobs.run_pending()
    assert seen == [dt.date(2026, 5, 17), dt.date(2026, 5, 18)]


def test_the_worker_looks_after_abandoned_and_daily_jobs_on_start(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[dt.date] = []
    monkeypatch.setattr(jobs, "_DAILY", {})
    jobs.daily("on-start", seen.append)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    result = jobs_for_tests.flaky.enqueue("f", 0)
    _running(result, worker="gone", started=long_ago)
    jobs.Worker(worker_id="w").maintain()
    assert _row(result).status == TaskResultStatus.READY
    assert DailyRun.objects.filter(key="on-start", day=clock.today()).exists()
