"""The load generator: N requests at concurrency c over real HTTP, bounded in count and time.

Runs as its own process (`python -m bench.load < spec.json > result.json`), so that its work
is not mixed with the harness's or the server's. Standard library only: asyncio drives c
workers, each with its own keep-alive `http.client` connection in a thread of its own (the
server may close after every response, as gunicorn's sync workers do; http.client then
reconnects, so connecting is part of each measured request, as it is for a browser without
keep-alive).

The spec (JSON on stdin):
    base_url      "http://127.0.0.1:PORT" (only 127.0.0.1 / localhost are accepted)
    concurrency   c workers
    requests      N measured requests in all (the count bound)
    time_limit    seconds; no request starts after it (the time bound)
    warmup        requests sent first and not measured (same workers, same streams)
    warmup_time_limit  seconds the warm-up may take at most
    timeout       seconds for one request
    streams       [[request, ...], ...]: request = {method, path, headers?, body?}.
                  Worker w owns streams w, w+c, w+2c, ... and sends each one's requests in
                  order, cycling, taking its streams in turn. A stream is therefore never
                  sent by two workers at once (phase moves on one pathway stay ordered).

The result (JSON on stdout): latencies in ms of every measured request in completion order,
statuses counted, the measured wall time, how many warm-up requests went out, and the first
few error responses.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAX_REQUESTS = 100_000
MAX_SECONDS = 600


class Worker:
    """One client: its own connection, its own streams, used from one thread at a time."""

    def __init__(self, host: str, port: int, timeout: float, streams: list[list[dict[str, Any]]]):
        self.host, self.port, self.timeout = host, port, timeout
        self.streams = streams
        self.positions = [0] * len(streams)
        self.turn = 0
        self.conn: http.client.HTTPConnection | None = None

    def next_request(self) -> dict[str, Any]:
        index = self.turn % len(self.streams)
        self.turn += 1
        stream = self.streams[index]
        request = stream[self.positions[index] % len(stream)]
        self.positions[index] += 1
        return request

    def send(self, request: dict[str, Any]) -> tuple[float, int, bytes]:
        """(seconds, status, body) of one request; status 0 = no answer (connection error)."""
        body = request.get("body")
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(request.get("headers") or {})
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(request["method"], request["path"], body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
            status = response.status
            if response.will_close:
                self.conn.close()
        except (OSError, http.client.HTTPException) as exc:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return time.perf_counter() - started, 0, str(exc).encode()
        return time.perf_counter() - started, status, payload

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _check_spec(spec: dict[str, Any]) -> tuple[str, int]:
    url = urlsplit(spec["base_url"])
    if url.scheme != "http" or url.hostname not in LOCAL_HOSTS or url.port is None:
        raise SystemExit(f"load: only http://127.0.0.1:PORT is allowed, not {spec['base_url']}")
    if not 1 <= int(spec["concurrency"]) <= 64:
        raise SystemExit("load: concurrency must be 1..64")
    if not 0 < int(spec["requests"]) <= MAX_REQUESTS:
        raise SystemExit(f"load: requests must be 1..{MAX_REQUESTS}")
    if not 0 < float(spec["time_limit"]) <= MAX_SECONDS:
        raise SystemExit(f"load: time_limit must be at most {MAX_SECONDS} s")
    if not spec["streams"] or not all(spec["streams"]):
        raise SystemExit("load: no requests to send")
    if len(spec["streams"]) > 1 and len(spec["streams"]) < int(spec["concurrency"]):
        raise SystemExit("load: fewer streams than workers; some would share a stream")
    return str(url.hostname), int(url.port)


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    host, port = _check_spec(spec)
    concurrency = int(spec["concurrency"])
    total, warmup = int(spec["requests"]), int(spec.get("warmup", 0))
    streams: list[list[dict[str, Any]]] = spec["streams"]
    timeout = float(spec.get("timeout", 10))
    if len(streams) == 1:
        owned = [[streams[0]] for _ in range(concurrency)]
    else:
        owned = [streams[w::concurrency] for w in range(concurrency)]
    workers = [Worker(host, port, timeout, mine) for mine in owned]
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="load")
    lock = threading.Lock()
    issued = {"warmup": 0, "measured": 0}
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    deadline = {"at": float("inf")}

    def take(kind: str, limit: int) -> bool:
        with lock:
            if issued[kind] >= limit:
                return False
            issued[kind] += 1
            return True

    async def work(worker: Worker, kind: str, limit: int) -> None:
        while take(kind, limit) and time.perf_counter() < deadline["at"]:
            request = worker.next_request()
            seconds, status, payload = await loop.run_in_executor(pool, worker.send, request)
            if kind != "measured":
                continue
            latencies.append(seconds * 1000)
            statuses[status] += 1
            if not 200 <= status < 300 and len(errors) < 5:
                errors.append(f"{request['method']} {request['path']} -> {status}: "
                              f"{payload[:300].decode(errors='replace')}")

    try:
        if warmup:
            deadline["at"] = time.perf_counter() + float(spec.get("warmup_time_limit", 5))
            await asyncio.gather(*(work(w, "warmup", warmup) for w in workers))
        started = time.perf_counter()
        deadline["at"] = started + float(spec["time_limit"])
        await asyncio.gather(*(work(w, "measured", total) for w in workers))
        wall = time.perf_counter() - started
    finally:
        for worker in workers:
            pool.submit(worker.close)
        pool.shutdown(wait=True)
    return {
        "latencies_ms": latencies,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "wall_seconds": wall,
        "stopped_by_time": len(latencies) < total,
        "warmup_sent": min(issued["warmup"], warmup),
        "errors": errors,
    }


def main() -> None:
    spec = json.load(sys.stdin)
    json.dump(asyncio.run(run(spec)), sys.stdout)


if __name__ == "__main__":
    main()
