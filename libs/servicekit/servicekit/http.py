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
from servicekit.readiness import DEPENDENCY_UP
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
    reports: Callable[[], Mapping[str, Check]] | None = None,
    before_metrics: Callable[[], Awaitable[None]] | None = None,
    check_timeout: float = 3.0,
    process: str | None = None,
) -> None:
    """`/healthz` (the process answers), `/readyz` (it can serve requests), `/metrics`.

    `checks` decide readiness: while one fails `/readyz` answers 503 and a load
    balancer sends no requests. `reports` are dependencies requests do not need
    (Kafka, for an API whose writes wait in its outbox): their state is shown in
    `/readyz`'s body and never makes the process unready. Both are called per
    request so they can read objects the lifespan created, and both set the
    `heroes_dependency_up` gauge, at each probe and each scrape.
    """
    name = process or app.title

    async def evaluate() -> tuple[dict[str, bool], dict[str, bool] | None]:
        needed = dict(checks())
        known = dict(reports()) if reports is not None else {}
        results = await asyncio.gather(
            *(_bounded(check, check_timeout) for check in (*needed.values(), *known.values()))
        )
        states = dict(zip([*needed, *known], results, strict=True))
        for dependency, up in states.items():
            DEPENDENCY_UP.labels(name, dependency).set(1 if up else 0)
        reported = {key: states[key] for key in known} if reports is not None else None
        return {key: states[key] for key in needed}, reported

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        checked, reported = await evaluate()
        ready = all(checked.values())
        body: dict[str, Any] = {"status": "ready" if ready else "not ready", "checks": checked}
        if reported is not None:
            body["reports"] = reported
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        await asyncio.gather(evaluate(), _refresh(before_metrics, check_timeout))
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _refresh(before_metrics: Callable[[], Awaitable[None]] | None, timeout: float) -> None:
    if before_metrics is None:
        return
    try:
        await asyncio.wait_for(before_metrics(), timeout)
    except Exception:
        log.warning("metrics.refresh_failed", exc_info=True)


async def _bounded(check: Check, timeout: float) -> bool:
    try:
        return await asyncio.wait_for(check(), timeout)
    except Exception:
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
