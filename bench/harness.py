"""Shared pieces of the benchmarks: service processes, a bounded load loop, percentiles."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from devstack.kafka import free_ports

REPO = Path(__file__).resolve().parents[1]


def server_database(name: str) -> str:
    """A fresh database URL on the benchmark's PostgreSQL server."""
    from servicekit.settings import database_url_for

    return database_url_for(os.environ["HEROES_DATABASE_URL"], f"bench_{name}_{secrets.token_hex(3)}")


@contextmanager
def service_process(app: str, env: dict[str, str], health: str = "/healthz") -> Iterator[str]:
    """Run `module:create_app` with uvicorn on a free port; yields its base URL once `health` answers."""
    [port] = free_ports(1)
    process = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1", "--port", str(port),
         "--no-access-log", "--log-level", "warning"],
        env={**os.environ, "HEROES_LOG_LEVEL": "WARNING", **env}, cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}{health}", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{app} did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(20)


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]

    def line(self) -> str:
        return (f"{self.name:<44} {self.rps:8.1f} req/s   p50 {self.percentile(50):7.2f} ms   "
                f"p99 {self.percentile(99):7.2f} ms   errors {self.errors}")


async def load(
    name: str,
    url: str,
    bodies: list[dict[str, Any]],
    *,
    headers: dict[str, str] | None = None,
    concurrency: int = 16,
    seconds: float = 8.0,
    warmup: float = 1.0,
    check: Callable[[dict[str, Any]], bool] | None = None,
) -> Result:
    """Post `bodies` round-robin from `concurrency` workers for `seconds` (after a warm-up).
    The client is the gateway's lean HTTP/1.1 client: httpx, measured, cost more CPU per request
    than the services it was loading, and on two cores that skews every number."""
    from gateway.execution.fetcher import header_lines
    from gateway.execution.http1 import Http1Client

    latencies: list[float] = []
    errors = 0
    counter = 0
    encoded = [json.dumps(body).encode() for body in bodies]
    lines = header_lines(headers or {})
    client = Http1Client(pool_size=concurrency)

    async def worker(until: float, record: bool) -> None:
        nonlocal errors, counter
        while time.perf_counter() < until:
            body = encoded[counter % len(encoded)]
            counter += 1
            started = time.perf_counter()
            answer, _ = await client.post(url, body, lines, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            ok = answer.status == 200 and (check is None or check(json.loads(answer.body)))
            if record:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    try:
        await asyncio.gather(*(worker(time.perf_counter() + warmup, False) for _ in range(concurrency)))
        started = time.perf_counter()
        await asyncio.gather(*(worker(started + seconds, True) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    finally:
        await client.close()
    return Result(name, len(latencies), elapsed, latencies, errors)


def median(values: list[float]) -> float:
    return statistics.median(values)
