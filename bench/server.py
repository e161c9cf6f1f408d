"""The app under gunicorn, as production runs it: sync workers, one per core, DEBUG off."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from bench.database import ROOT

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(port: int, timeout: float = 2.0) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        conn.close()


def cpu_seconds_of_children(parent: int) -> float | None:
    """User + system CPU seconds of the processes whose parent is `parent` (gunicorn's
    workers), from /proc; None where there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2:].split()
        # after the name: state ppid ... utime (14th field overall) stime (15th)
        if int(fields[1]) == parent:
            total += int(fields[11]) + int(fields[12])
    return total / tick


class Server:
    """`with Server(env) as server:` gunicorn on a free 127.0.0.1 port, healthy, then stopped."""

    def __init__(self, env: dict[str, str], *, workers: int | None = None,
                 log_path: Path | None = None, start_timeout: float = 60) -> None:
        self.env = env
        self.workers = workers or os.cpu_count() or 1
        self.port = free_port()
        self.log_path = log_path or ROOT / "var" / "bench" / "gunicorn.log"
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [GUNICORN, "ettervern.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "5",
                "--error-logfile", "-", "--log-level", "warning"]

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn)
            self.command(), env=self.env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited ({self.process.returncode}); see "
                                 f"{self.log_path}")
            if healthy(self.port):
                return
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"bench: /healthz did not answer within {self.start_timeout:.0f} s; "
                         f"see {self.log_path}")

    def cpu_seconds(self) -> float | None:
        """CPU seconds the workers have used so far (for CPU time per request)."""
        if self.process is None:
            return None
        return cpu_seconds_of_children(self.process.pid)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
