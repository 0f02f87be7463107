"""The gateway's `/readyz`: ready when it can serve requests, with every subgraph's state in the body.

Ready means a supergraph is composed and at least one subgraph answers. One subgraph down (or
not ready because its database or Kafka is) does not make the gateway unready: every gateway
would see the same, and taking them all out of service would turn a partial answer (the other
subgraphs' data, and errors saying what is missing) into no answer at all. The gateway itself
uses no database and no Kafka.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from prometheus_client import Gauge

from gateway.engine import Engine

SUBGRAPH_READY = Gauge(
    "heroes_gateway_subgraph_ready", "1 when the subgraph said it is ready at the gateway's last /readyz probe.",
    ["subgraph"],
)

READY, NOT_READY, UNREACHABLE = "ready", "not ready", "unreachable"


def add_readiness(app: FastAPI, current: Callable[[], Engine | None], *, probe_seconds: float = 2.0) -> None:
    """Mount `/readyz`. Call before servicekit's `add_health_routes`, whose own `/readyz` this replaces
    (the first route added for a path is the one that answers)."""

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        engine = current()
        if engine is None:
            return JSONResponse({"status": NOT_READY, "checks": {"supergraph": False}, "subgraphs": {}}, 503)
        urls = engine.supergraph.subgraph_urls
        probes = await asyncio.gather(*(_probe(engine.client.control, url, probe_seconds) for url in urls.values()))
        subgraphs = dict(zip(urls, probes, strict=True))
        for name, probe in subgraphs.items():
            SUBGRAPH_READY.labels(name).set(1 if probe["state"] == READY else 0)
        reachable = any(probe["state"] != UNREACHABLE for probe in subgraphs.values())
        return JSONResponse(
            {"status": READY if reachable else NOT_READY,
             "checks": {"supergraph": True, "subgraphs_reachable": reachable}, "subgraphs": subgraphs},
            200 if reachable else 503,
        )


async def _probe(http: httpx.AsyncClient, graphql_url: str, seconds: float) -> dict[str, Any]:
    """A subgraph's own /readyz: ready, not ready (with the checks it names), or unreachable."""
    url = graphql_url.rsplit("/graphql", 1)[0] + "/readyz"
    try:
        response = await http.get(url, timeout=seconds)
    except httpx.HTTPError:
        return {"state": UNREACHABLE}
    probe: dict[str, Any] = {"state": READY if response.status_code == 200 else NOT_READY}
    try:
        checks = response.json().get("checks")
    except (ValueError, AttributeError):
        checks = None
    if isinstance(checks, dict):
        probe["checks"] = checks
    return probe
