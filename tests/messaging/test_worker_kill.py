"""A real `ettervern worker` is killed (SIGKILL) in the middle of a job; a new worker takes the
job back once the dead one's lease has run out, and the job runs to success. On a file SQLite
database and on PostgreSQL (whichever this run uses)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.messaging import jobs_for_tests

ROOT = Path(__file__).resolve().parents[2]
LEASE = 1.0
TABLE = DBTaskResult._meta.db_table


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Poll a condition until it holds (a deadline, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Database:
    """The database a worker subprocess uses, and how the test reads a job's status there."""

    def __init__(self, tmp_path: Path) -> None:
        settings = connection.settings_dict
        if connection.vendor == "sqlite":
            # The test database is in memory: copy it (migrated, with the job) to a file.
            self.file = tmp_path / "jobs.sqlite3"
            self.url = f"sqlite:///{self.file}"
        else:
            self.file = None
            self.url = (f"postgres://{settings['USER']}@{settings['HOST']}:"
                        f"{settings['PORT'] or 5432}/{settings['NAME']}")

    def publish(self) -> None:
        if self.file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def status(self, job_id: str) -> str:
        if self.file is not None:
            with sqlite3.connect(self.file, timeout=20) as db:
                row = db.execute(f"SELECT status FROM {TABLE} WHERE id = ?",  # noqa: S608
                                 (job_id.replace("-", ""),)).fetchone()
            return str(row[0])
        return str(DBTaskResult.objects.get(pk=job_id).status)

    def attempts(self, job_id: str) -> int:
        if self.file is not None:
            with sqlite3.connect(self.file, timeout=20) as db:
                row = db.execute(f"SELECT worker_ids FROM {TABLE} WHERE id = ?",  # noqa: S608
                                 (job_id.replace("-", ""),)).fetchone()
            return len(json.loads(row[0]))
        return len(DBTaskResult.objects.get(pk=job_id).worker_ids)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[[str, str], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(url: str, name: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, "DATABASE_URL": url, "ETTERVERN_TESTING": "1",
               "PYTHONPATH": str(ROOT), "EMAIL_BACKEND":
               "django.core.mail.backends.locmem.EmailBackend"}
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "ettervern"), "worker", "--interval", "0.1",
             "--tick", "0.2", "--lease", str(LEASE), "--worker-id", name],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_job_survives_its_worker_being_killed(tmp_path: Path, workers) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "job"
    folder.mkdir()
    result = jobs_for_tests.blocking.enqueue(str(folder))
    db = Database(tmp_path)
    db.publish()
    starts = folder / "starts"

    first = workers(db.url, "first")
    wait_for(lambda: starts.exists() and starts.read_text().count("start") == 1,
             "the first worker to start the job")
    assert db.status(result.id) == TaskResultStatus.RUNNING
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert db.status(result.id) == TaskResultStatus.RUNNING  # nobody said it stopped

    workers(db.url, "second")
    wait_for(lambda: starts.read_text().count("start") == 2,
             "the second worker to take the job back and start it again")
    (folder / "release").write_text("go")
    wait_for(lambda: db.status(result.id) == TaskResultStatus.SUCCESSFUL,
             "the job to finish")
    assert (folder / "done").read_text() == "done"
    assert db.attempts(result.id) == 2
