"""Background jobs: rows in the database, run by `ettervern worker` (docs/decisions/0024).

django-tasks (with its database backend, django-tasks-db) stores a job as a row and runs it in
a worker process. It neither retries a job that failed nor notices a job whose worker died;
this module adds both, thinly:

- `job` makes a task whose failure is retried with exponential back-off: the same row goes
  back to READY with `run_after` pushed out (30 s, 1 min, 2 min, …). The attempt count is the
  row's list of worker ids (django-tasks' own `attempts`). After the last attempt the row stays
  FAILED, with its traceback, logged at ERROR and listed by `ettervern jobs` and in the admin.
- A worker writes a heartbeat (`WorkerBeat`) every few seconds from a side thread. A job left
  RUNNING whose worker has not beaten for `lease` seconds was abandoned (the worker was killed,
  the machine died): the next worker to look puts it back to READY, counting the lost attempt.
  A job may therefore run twice (the first run died after doing its work, before saying so):
  jobs must be idempotent where that matters. An e-mail sent twice is acceptable.
- `daily(key, func)` registers a job the worker enqueues once per Oslo date; a row unique on
  (key, date), written in the same transaction as the job, means two workers or a restart never
  enqueue it twice for one day.

Time: a job is ready when `run_after` is at or before `ettervern.core.clock.now()`, so tests move
the clock rather than wait. Leases are real time (they are about real processes).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any, TypeVar, overload

from django.db import (
    IntegrityError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker as _DbWorker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from ettervern.core import clock

logger = logging.getLogger("ettervern.messaging.jobs")

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_MAX_ATTEMPTS = 5
# Attempt n (1-based) that failed waits BACKOFF_SECONDS * 2 ** (n - 1) before the next.
BACKOFF_SECONDS = 30
# A RUNNING job whose worker has not written a heartbeat for this long is taken back.
DEFAULT_LEASE_SECONDS = 60

# task module path -> how many attempts it gets (a plain django-tasks task gets one).
_MAX_ATTEMPTS: dict[str, int] = {}
# key -> the function the worker runs once per day, with the Oslo date.
_DAILY: dict[str, Callable[[dt.date], None]] = {}


@overload
def job(func: Callable[..., Any], /) -> Task[Any, Any]: ...


@overload
def job(*, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        priority: int = 0) -> Callable[[Callable[..., Any]], Task[Any, Any]]: ...


def job(func: Callable[..., Any] | None = None, /, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        priority: int = 0) -> Any:
    """A background job (a django-tasks Task) retried with back-off when it fails.

    Use as `@job` or `@job(max_attempts=3)` on a module-level function, then
    `the_function.enqueue(...)` (arguments must be JSON: str, int, lists, dicts). The
    function must be safe to run again after a partial run (see the module docstring).
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def wrap(f: Callable[..., Any]) -> Task[Any, Any]:
        made: Task[Any, Any] = task(priority=priority)(f)
        _MAX_ATTEMPTS[made.module_path] = max_attempts
        return made

    return wrap(func) if func is not None else wrap


def max_attempts_of(task_path: str) -> int:
    """How many attempts the task gets; importing it registers it (a worker may not have yet)."""
    if task_path not in _MAX_ATTEMPTS:
        try:
            import_string(task_path)
        except ImportError:
            logger.warning("Job %s cannot be imported", task_path)
    return _MAX_ATTEMPTS.get(task_path, 1)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def daily(key: str, func: Callable[[dt.date], None]) -> None:
    """Register `func(date)` to run once per Oslo date (call it from an AppConfig.ready()).

    The worker enqueues it on its first look each day; it runs as a job (retried like one)."""
    if not callable(func):
        raise TypeError("daily() needs a function")
    _DAILY[key] = func


def daily_keys() -> list[str]:
    return sorted(_DAILY)


@job(max_attempts=DEFAULT_MAX_ATTEMPTS)
def run_daily(key: str, day: str) -> None:
    """The job that runs one registered daily function for one date."""
    func = _DAILY.get(key)
    if func is None:
        raise LookupError(f"No daily job registered as {key!r}")
    func(dt.date.fromisoformat(day))


def enqueue_dailies(*, today: dt.date | None = None) -> list[str]:
    """Enqueue each registered daily job not yet enqueued for today; the keys enqueued."""
    from ettervern.messaging.models import DailyRun

    day = today or clock.today()
    done: list[str] = []
    for key in daily_keys():
        if DailyRun.objects.filter(key=key, day=day).exists():
            continue
        try:
            with transaction.atomic():
                DailyRun.objects.create(key=key, day=day)
                run_daily.enqueue(key, day.isoformat())
        except IntegrityError:
            continue  # another worker got there first
        done.append(key)
    return done


def _after_failure(db_result: DBTaskResult) -> None:
    """A job just failed: back to READY with back-off, or FAILED for good (logged at ERROR)."""
    attempts = len(db_result.worker_ids)
    allowed = max_attempts_of(db_result.task_path)
    if attempts < allowed:
        run_after = clock.now() + backoff(attempts)
        DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=run_after, finished_at=None)
        logger.warning("Job %s (%s) failed on attempt %d of %d; retrying after %s: %s",
                       db_result.pk, db_result.task_path, attempts, allowed,
                       run_after.isoformat(), db_result.exception_class_path)
    else:
        logger.error("Job %s (%s) failed for good after %d attempt(s): %s\n%s",
                     db_result.pk, db_result.task_path, attempts,
                     db_result.exception_class_path, db_result.traceback)


def requeue_abandoned(*, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> int:
    """Put back to READY the RUNNING jobs whose worker has stopped beating; how many.

    A job whose attempts are used up is marked FAILED instead (logged at ERROR)."""
    from ettervern.messaging.models import WorkerBeat

    cutoff = timezone.now() - dt.timedelta(seconds=lease_seconds)
    alive = set(WorkerBeat.objects.filter(beat_at__gte=cutoff)
                .values_list("worker_id", flat=True))
    taken = 0
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at",
                                                   "task_path"):
        owner = row.worker_ids[-1] if row.worker_ids else None
        if owner in alive or (row.started_at is not None and row.started_at >= cutoff):
            continue
        attempts = len(row.worker_ids)
        same = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING,
                                           started_at=row.started_at)
        if attempts < max_attempts_of(row.task_path):
            if same.update(status=TaskResultStatus.READY, run_after=clock.now()):
                taken += 1
                logger.warning("Job %s (%s) was left running by worker %s, which stopped; "
                               "requeued (attempt %d)", row.pk, row.task_path, owner, attempts)
        elif same.update(status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                         exception_class_path="ettervern.messaging.jobs.WorkerLost",
                         traceback=f"Worker {owner} stopped while running this job.\n"):
            taken += 1
            logger.error("Job %s (%s) failed for good: its worker %s stopped on the last "
                         "attempt (%d)", row.pk, row.task_path, owner, attempts)
    return taken


def _ready() -> Any:
    """Jobs ready to run by the clock (django-tasks-db's own `ready()` reads the wall clock)."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after__lte=clock.now()) | Q(run_after=get_date_max()))


class Worker(_DbWorker):
    """django-tasks-db's worker with retries, leases (heartbeats) and the daily jobs."""

    def __init__(self, *, lease_seconds: float = DEFAULT_LEASE_SECONDS,
                 tick_seconds: float = 60, interval: float = 1, worker_id: str | None = None,
                 queue_names: list[str] | None = None, parent_pid: int | None = None) -> None:
        super().__init__(queue_names=queue_names or ["default"], interval=interval,
                         batch=False, backend_name="default", startup_delay=False,
                         max_tasks=None, excluded_queue_names=[],
                         worker_id=worker_id or f"{socket.gethostname()[:30]}-{os.getpid()}-"
                         f"{get_random_string(8)}")
        self.lease_seconds = lease_seconds
        self.tick_seconds = tick_seconds
        # Stop when this process is no longer our parent (the demo server stopped).
        self.parent_pid = parent_pid
        self._stop = threading.Event()

    # --- one step at a time (tests and `run_pending` use these in-process) -------------------
    def claim_one(self) -> DBTaskResult | None:
        tasks = _ready().filter(backend_name=self.backend_name,
                                queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            try:
                found = tasks.get_locked()
                if found is not None:
                    found.claim(self.worker_id)
            except OperationalError as e:
                if not is_locked_database_exception(e):
                    raise
                found = None
        return found

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            _after_failure(db_task_result)

    def run_one(self) -> bool:
        """Run one ready job, if any; whether one ran."""
        found = self.claim_one()
        if found is None:
            return False
        self.run_task(found)
        return True

    def maintain(self) -> None:
        """What the worker does on start and every `tick_seconds`."""
        requeue_abandoned(lease_seconds=self.lease_seconds)
        enqueue_dailies()

    # --- the process ---------------------------------------------------------------------------
    def beat(self) -> None:
        from ettervern.messaging.models import WorkerBeat

        now = timezone.now()
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"beat_at": now, "host": socket.gethostname()[:100], "pid": os.getpid()})

    def _beat_forever(self) -> None:
        period = max(self.lease_seconds / 4, 0.05)
        while not self._stop.wait(period):
            try:
                self.beat()
            except OperationalError:
                logger.warning("Heartbeat of worker %s missed (database busy)", self.worker_id)
            finally:
                connection.close()

    def run(self) -> None:
        from ettervern.messaging.models import WorkerBeat

        logger.info("Worker %s started (lease %ss)", self.worker_id, self.lease_seconds)
        self.beat()
        beater = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beater.start()
        next_tick = 0.0
        try:
            while self.running:
                if self.parent_pid is not None and os.getppid() != self.parent_pid:
                    logger.info("Worker %s: its parent stopped; stopping", self.worker_id)
                    break
                close_old_connections()
                if timezone.now().timestamp() >= next_tick:
                    self.maintain()
                    next_tick = timezone.now().timestamp() + self.tick_seconds
                ran = self.run_one()
                close_old_connections()
                if self.running and not ran:
                    self._stop.wait(self.interval)
        finally:
            self._stop.set()
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()


def run_pending(*, limit: int = 1000) -> int:
    """Run, in this process, every job ready by the clock (tests, and the demo's seed).

    Returns how many ran. A job that fails is retried later (its run_after moves), so this
    ends even when jobs keep failing."""
    worker = Worker(worker_id="in-process")
    ran = 0
    while ran < limit and worker.run_one():
        ran += 1
    return ran
