"""FastAPI pieces every service mounts: request ids, `/healthz`, `/readyz`, `/metrics`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from servicekit.kafka import broker_reachable
from servicekit.tracing import current_traceparent, set_request_id, set_traceparent

log = logging.getLogger("servicekit.http")

Check = Callable[[], Awaitable[bool]]

REQUESTS = Counter(
    "heroes_http_requests_total", "HTTP requests served.", ["service", "method", "path", "status"]
)
LATENCY = Histogram(
    "heroes_http_request_seconds",
    "HTTP request duration.",
    ["service", "method", "path"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

_UNLABELLED_PATHS = {"/healthz", "/readyz", "/metrics"}


def add_request_context(app: FastAPI, service: str) -> None:
    """Give every request an id and a trace, echo the id, and count requests by route."""
    app.add_middleware(RequestContextMiddleware, service=service)


class RequestContextMiddleware:
    """Plain ASGI middleware (cheaper than FastAPI's decorator form on every request)."""

    def __init__(self, app: Any, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        request_id = set_request_id(_header(headers, b"x-request-id"))
        set_traceparent(_header(headers, b"traceparent"))
        started = time.perf_counter()
        status = 500

        async def send_with_ids(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [(b"x-request-id", request_id.encode())]
                traceparent = current_traceparent()
                if traceparent:
                    extra.append((b"traceparent", traceparent.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_ids)
        finally:
            path = scope.get("path", "")
            if path not in _UNLABELLED_PATHS:
                route = scope.get("route")
                label = getattr(route, "path", "") or (path if route is not None else "unmatched")
                method = scope.get("method", "")
                REQUESTS.labels(self.service, method, label, str(status)).inc()
                LATENCY.labels(self.service, method, label).observe(time.perf_counter() - started)


def _header(headers: dict[bytes, bytes], name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value is not None else None


def add_health_routes(
    app: FastAPI,
    *,
    checks: Callable[[], Mapping[str, Check]],
    before_metrics: Callable[[], Awaitable[None]] | None = None,
    check_timeout: float = 3.0,
) -> None:
    """`/healthz` (the process answers), `/readyz` (its dependencies answer), `/metrics`.

    `checks` is called per request so it can read objects the lifespan created.
    """

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        named = dict(checks())
        results = await asyncio.gather(
            *(_bounded(check, check_timeout) for check in named.values())
        )
        report = dict(zip(named, results, strict=True))
        ready = all(report.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": report},
            status_code=200 if ready else 503,
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        if before_metrics is not None:
            try:
                await asyncio.wait_for(before_metrics(), check_timeout)
            except Exception:  # noqa: BLE001 - stale gauges beat a failed scrape
                log.warning("metrics.refresh_failed", exc_info=True)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _bounded(check: Check, timeout: float) -> bool:
    try:
        return await asyncio.wait_for(check(), timeout)
    except Exception:  # noqa: BLE001 - any failure of a dependency means "not ready"
        return False


def database_check(engine: AsyncEngine) -> Check:
    async def check() -> bool:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True

    return check


def kafka_check(bootstrap: str, *, cache_seconds: float = 2.0) -> Check:
    """A broker check whose answer is reused briefly, so probes do not flood the broker."""
    state: dict[str, float | bool] = {"at": 0.0, "ok": False}

    async def check() -> bool:
        now = time.monotonic()
        if now - float(state["at"]) > cache_seconds:
            state["ok"] = await broker_reachable(bootstrap)
            state["at"] = now
        return bool(state["ok"])

    return check
