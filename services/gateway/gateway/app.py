"""Gateway HTTP process: one GraphQL endpoint over the composed subgraphs, plus health and metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response, WebSocket
from servicekit import telemetry
from servicekit.app import token_verifier
from servicekit.graphiql import add_graphiql_assets, graphiql_page
from servicekit.graphql import GATEWAY_SECRET_HEADER
from servicekit.http import add_health_routes, add_request_context
from servicekit.logs import configure_logging

from gateway.endpoint import GraphQLEndpoint
from gateway.engine import request_error
from gateway.health import add_readiness
from gateway.openbadges import add_openbadges_routes
from gateway.reloader import Reloader
from gateway.runtime import responsive_event_loop
from gateway.settings import Settings, get_settings
from gateway.subscriptions import PROTOCOL, SubscriptionSession

log = logging.getLogger("gateway.app")



def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging("gateway", settings.log_level or "INFO")
    secret = settings.gateway_secret.get_secret_value() if settings.gateway_secret else ""
    limits = settings.limits

    reloader = Reloader(settings, secret)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await reloader.start()
        app.state.verifier = token_verifier(settings)
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: _spawn(reloader.reload()))
        poller = (asyncio.create_task(reloader.poll(settings.reload_interval_seconds))
                  if settings.reload_interval_seconds > 0 else None)
        try:
            with responsive_event_loop():
                yield
        finally:
            loop.remove_signal_handler(signal.SIGHUP)
            if poller is not None:
                poller.cancel()
            await reloader.close()

    app = FastAPI(title="gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.reloader = reloader
    app.state.verifier = None
    endpoint = GraphQLEndpoint(lambda: reloader.engine, lambda: app.state.verifier, secret, limits,
                               plans_shown=settings.is_development)
    app.add_middleware(GraphQLFastPath, endpoint=endpoint)  # inside the request context added next
    add_request_context(app, "gateway")

    @app.websocket("/graphql")
    async def graphql_ws(websocket: WebSocket) -> None:
        if PROTOCOL not in websocket.scope.get("subprotocols", []):
            await websocket.close(code=4406, reason="Subprotocol not acceptable: use graphql-transport-ws")
            return
        await SubscriptionSession(websocket, lambda: reloader.engine, app.state.verifier, secret).serve()  # type: ignore[arg-type, return-value]

    @app.get("/graphql", include_in_schema=False)
    async def graphiql() -> Response:
        if not settings.is_development:
            return _json(request_error("Send GraphQL requests with POST.", "BAD_REQUEST"), 405)
        return graphiql_page()  # its scripts served from here, never a CDN

    @app.post("/admin/reload", include_in_schema=False)
    async def reload(request: Request) -> Response:
        """Recompose now (operations use; needs the gateway secret). A failed reload changes nothing."""
        presented = request.headers.get(GATEWAY_SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(presented.encode(), secret.encode()):
            return _json(request_error("Reloading needs the gateway secret.", "forbidden"), 403)
        result = await reloader.reload()
        return _json({"reloaded": result.reloaded, "changed": result.changed, "reason": result.reason,
                      "subgraphs": result.subgraphs}, 200 if result.reloaded else 409)

    add_openbadges_routes(app, lambda: reloader.engine, settings.openbadges_url)
    add_graphiql_assets(app)
    add_readiness(app, lambda: reloader.engine)
    add_health_routes(app, checks=dict)  # /healthz and /metrics; /readyz is the one above
    if telemetry.configure_tracing("gateway"):
        telemetry.instrument_app(app)  # outermost, around the fast path too
    return app


_background: set[asyncio.Task[object]] = set()


def _spawn(work: Awaitable[object]) -> None:
    task = asyncio.ensure_future(work)
    _background.add(task)
    task.add_done_callback(_background.discard)


class GraphQLFastPath:
    """Sends `POST /graphql` straight to the endpoint, past the framework's routing and request
    objects; everything else goes on to the FastAPI app."""

    def __init__(self, app: Any, endpoint: GraphQLEndpoint) -> None:
        self.app = app
        self.endpoint = endpoint

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/graphql":
            await self.endpoint(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _json(content: Any, status: int) -> Response:
    return Response(json.dumps(content, separators=(",", ":")), status_code=status, media_type="application/json")

