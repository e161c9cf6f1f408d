"""Start `ettervern demo` as `make demo` does: a free port, SQLite in a folder of its own.

The running server's environment is kept, so that management commands (`demo_scenario`) can
be run against the same database while it serves.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class DemoServer:
    base_url: str
    var_dir: Path
    env: dict[str, str]  # the server's environment: ETTERVERN_DEMO, ETTERVERN_VAR_DIR, …

    def command(self, *args: str, timeout: float = 300) -> str:
        """Run `ettervern ARGS` against the server's database; its standard output."""
        result = subprocess.run(
            [sys.executable, "-m", "ettervern.cli", *args], env=self.env, capture_output=True,
            text=True, timeout=timeout, check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"`ettervern {' '.join(args)}` failed ({result.returncode}):\n"
                        f"{result.stderr}")
        return result.stdout


@contextmanager
def running_demo_server(var_dir: Path, *, port: int | None = None, patients: int = 15,
                        extra_env: dict[str, str] | None = None) -> Iterator[DemoServer]:
    """Yield the server once /healthz answers; stop it afterwards."""
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
        yield DemoServer(base_url, var_dir, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
