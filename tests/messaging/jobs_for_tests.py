"""Jobs the tests enqueue. Module-level, importable by a worker subprocess (tests/ is a package
and the repository root is on its path)."""

from __future__ import annotations

import time
from pathlib import Path

from ettervern.messaging.jobs import job

CALLS: list[str] = []


@job(max_attempts=3)
def flaky(key: str, failures: int) -> str:
    """Fails the first `failures` times it is called with `key` (in this process)."""
    CALLS.append(key)
    if CALLS.count(key) <= failures:
        raise RuntimeError(f"failure {CALLS.count(key)} of {key}")
    return "done"


@job(max_attempts=5)
def blocking(folder: str) -> str:
    """Records each start in `folder`/starts, waits until `folder`/release exists, then writes
    `folder`/done. The test that kills a worker controls the release."""
    base = Path(folder)
    with (base / "starts").open("a") as starts:
        starts.write("start\n")
    deadline = time.monotonic() + 60
    while not (base / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.02)
    (base / "done").write_text("done")
    return "done"
