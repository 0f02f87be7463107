"""Gateway HTTP process: health of the subgraphs it fronts (federation arrives with issue #6)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from servicekit.http import Check, add_health_routes, add_request_context
from servicekit.logs import configure_logging

from gateway.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging("gateway", settings.log_level or "INFO")
    subgraphs = settings.subgraph_urls()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=3) as client:
            app.state.client = client
            yield

    app = FastAPI(title="gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    add_request_context(app, "gateway")

    def subgraph_ready(url: str) -> Check:
        ready_url = url.rsplit("/graphql", 1)[0] + "/readyz"

        async def check() -> bool:
            response = await app.state.client.get(ready_url)
            return response.status_code == 200

        return check

    add_health_routes(app, checks=lambda: {name: subgraph_ready(url) for name, url in subgraphs.items()})
    return app
