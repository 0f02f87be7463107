"""Whether a process can reach what it depends on: the `heroes_dependency_up` gauge, and probes.

APIs set the gauge from their `/readyz` checks. Relays and consumers have no
requests to answer, so they keep a `Readiness` that their loops update as they
work (connected, sent, applied, or met an outage); each change is logged once
and mirrored in the gauge, and `serve_probes` can publish it on a port of its
own (`/healthz`, `/readyz`, `/metrics`) for an orchestrator to probe.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from prometheus_client import Gauge

log = logging.getLogger("servicekit.readiness")

DEPENDENCY_UP = Gauge(
    "heroes_dependency_up",
    "1 while a process can reach a dependency (database, kafka, a subgraph), 0 while it cannot.",
    ["process", "dependency"],
)
DATABASE = "database"
KAFKA = "kafka"


class Readiness:
    """What a relay or consumer last saw of each dependency: up, down, or not yet tried (None)."""

    def __init__(self, process: str, dependencies: Sequence[str] = (DATABASE, KAFKA)) -> None:
        self.process = process
        self._state: dict[str, bool | None] = dict.fromkeys(dependencies)

    def mark(self, dependency: str, up: bool) -> None:
        before = self._state.get(dependency)
        self._state[dependency] = up
        DEPENDENCY_UP.labels(self.process, dependency).set(1 if up else 0)
        if before is not up:
            log.log(
                logging.INFO if up else logging.WARNING,
                "dependency.up" if up else "dependency.down",
                extra={"process_name": self.process, "dependency": dependency},
            )

    def state(self, dependency: str) -> bool | None:
        return self._state.get(dependency)

    @property
    def ready(self) -> bool:
        """True once every dependency has been reached and none has failed since."""
        return all(up is True for up in self._state.values())

    def report(self) -> dict[str, bool | None]:
        return dict(self._state)


# Probes come from the orchestrator, not from this host, so every interface listens by default.
ALL_INTERFACES = "0.0.0.0"  # noqa: S104


async def serve_probes(
    readiness: Readiness, port: int, stop: asyncio.Event, *, host: str = ALL_INTERFACES
) -> None:
    """Serve `/healthz`, `/readyz` (503 until every dependency is up) and `/metrics` until `stop`."""
    import uvicorn
    from fastapi import FastAPI

    from servicekit.http import add_health_routes

    app = FastAPI(title=readiness.process, docs_url=None, redoc_url=None, openapi_url=None)

    def check(dependency: str) -> Callable[[], Awaitable[bool]]:
        async def up() -> bool:
            return readiness.state(dependency) is True

        return up

    add_health_routes(app, checks=lambda: {name: check(name) for name in readiness.report()})
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    log.info("probes.serving", extra={"process_name": readiness.process, "port": port})
    try:
        await stop.wait()
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
