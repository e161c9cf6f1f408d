"""Start `ettervern demo` as `make demo` does: a free port, SQLite in a folder of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_demo_server(var_dir: Path, *, port: int | None = None, patients: int = 15,
                        extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the base URL once /healthz answers; stop the server afterwards."""
    port = port or free_port()
    log_path = var_dir / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ETTERVERN_DEMO="1", ETTERVERN_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1",
               **(extra_env or {}))
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "ettervern.cli", "demo", "--port", str(port),
             "--patients", str(patients)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"demo server exited early:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"demo server did not answer in time:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
