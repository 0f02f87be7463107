"""Recognition HTTP process: the subgraph at /graphql, Open Badges endpoints, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIWebSocketRoute
from servicekit.app import create_service_app
from servicekit.db import transaction
from servicekit.graphql import identify
from starlette.requests import HTTPConnection
from starlette.routing import compile_path
from strawberry import Schema
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from recognition.consumers import CONSUMER, TOPICS
from recognition.live import CelebrationHub
from recognition.openbadges_http import add_openbadges_routes
from recognition.schema import Context, build_schema
from recognition.schema.context import AppServices
from recognition.service.rules import load_rules_file, sync_network_rules
from recognition.settings import Settings, get_settings
from recognition.signing import load_signer


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    rules = load_rules_file(Path(settings.rules_file))  # a bad rules file stops the process at once

    async def on_ready(app: FastAPI) -> None:
        async with transaction(app.state.sessions) as session:
            await sync_network_rules(session, rules, datetime.now(UTC))
        hub = CelebrationHub(settings.dsn, app.state.sessions)
        await hub.start()
        app.state.recognition = AppServices(
            settings=settings, signer=load_signer(settings), hub=hub, verifier=app.state.verifier
        )

    schema = build_schema()
    app = create_service_app(
        settings=settings,
        schema=schema,
        context_class=Context,
        consumer_groups={CONSUMER: TOPICS},
        on_ready=on_ready,
    )
    _serve_subscriptions(app, schema, settings)
    _stop_hub_on_shutdown(app)
    add_openbadges_routes(app)
    return app


def _serve_subscriptions(app: FastAPI, schema: Schema, settings: Settings) -> None:
    """Answer graphql-transport-ws at /graphql with a context getter that also works for WebSockets.

    servicekit's getter declares `websocket: Any`, which FastAPI does not inject, so a
    subscription there fails before it starts. Until servicekit takes an HTTPConnection,
    recognition puts its own WebSocket route first; plain HTTP stays with servicekit's.
    """
    secret = settings.gateway_secret.get_secret_value() if settings.gateway_secret else ""

    async def get_context(connection: HTTPConnection) -> Context:
        principal, from_gateway, auth_error = identify(
            connection, verifier=connection.app.state.verifier, gateway_secret=secret
        )
        return Context(
            sessions=connection.app.state.sessions,
            principal=principal,
            from_gateway=from_gateway,
            auth_error=auth_error,
        )

    router: GraphQLRouter[Any, Any] = GraphQLRouter(
        schema,
        context_getter=get_context,
        graphql_ide=None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
    )
    sockets = [route for route in router.routes if isinstance(route, APIWebSocketRoute)]
    for route in sockets:
        route.path = "/graphql"
        route.path_regex, route.path_format, route.param_convertors = compile_path("/graphql")
    app.router.routes[:0] = sockets


def _stop_hub_on_shutdown(app: FastAPI) -> None:
    # servicekit's app has a start hook (on_ready) but no stop hook: wrap its lifespan.
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with inner(app) as state:
            try:
                yield state
            finally:
                services: AppServices | None = getattr(app.state, "recognition", None)
                if services is not None:
                    await services.hub.stop()

    app.router.lifespan_context = lifespan
