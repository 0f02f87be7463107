"""The FastAPI app every domain service builds: database, identity, subgraph, health and metrics."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI
from starlette.requests import HTTPConnection
from strawberry import Schema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from servicekit import telemetry
from servicekit.db import create_engine, is_unavailable, session_factory
from servicekit.errors import DatabaseAway
from servicekit.graphiql import add_graphiql_assets
from servicekit.graphql import RequestContext, identify
from servicekit.http import add_health_routes, add_request_context, database_check, kafka_check
from servicekit.identity import TokenVerifier
from servicekit.jsondepth import DEFAULT_MAX_JSON_DEPTH, JsonDepthLimit
from servicekit.logs import configure_logging
from servicekit.metrics import MessagingMetrics
from servicekit.responses import add_error_handlers
from servicekit.settings import ServiceSettings
from servicekit.standing import Lookup, StandingCheck, table_lookup
from servicekit.subgraph_router import SubgraphRouter

log = logging.getLogger("servicekit.app")

ContextFactory = Callable[..., RequestContext]


def token_verifier(settings: ServiceSettings) -> TokenVerifier | None:
    """The verifier for the configured JWKS, or None when sign-in is not set up."""
    if not settings.jwks_file and not settings.jwks_url:
        log.warning("identity.not_configured")
        return None
    assert settings.jwt_issuer is not None
    assert settings.jwt_audience is not None
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        jwks_file=settings.jwks_file,
        jwks_url=settings.jwks_url,
    )


def create_service_app(
    *,
    settings: ServiceSettings,
    schema: Schema,
    context_class: ContextFactory = RequestContext,
    consumer_groups: dict[str, Sequence[str]] | None = None,
    on_ready: Callable[[FastAPI], Awaitable[None]] | None = None,
    on_stop: Callable[[FastAPI], Awaitable[None]] | None = None,
    standing: Lookup = table_lookup,
    authoritative: bool = False,
    allowed_when_refused: frozenset[str] = frozenset(),
) -> FastAPI:
    """Wire one domain service's HTTP process; called once from the service's `create_app()`."""
    service = settings.service_name
    configure_logging(service, settings.log_level or "INFO")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.dsn, connect_timeout=settings.database_connect_timeout,
                               pool_timeout=settings.database_pool_timeout)
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        app.state.verifier = token_verifier(settings)
        app.state.standing = StandingCheck(standing, app.state.sessions, authoritative=authoritative)
        app.state.metrics = MessagingMetrics(
            service=service,
            sessions=app.state.sessions,
            bootstrap=settings.kafka,
            consumer_groups=dict(consumer_groups or {}),
        )
        if on_ready is not None:
            await on_ready(app)
        log.info("service.started")
        # What exists now (libraries, the schema) lives as long as the process: exempt it from garbage
        # collection, or every full collection walks it all again while requests wait.
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            if on_stop is not None:
                await on_stop(app)
            await app.state.metrics.close()
            await engine.dispose()

    app = FastAPI(title=service, lifespan=lifespan, docs_url=None, redoc_url=None)
    secret = settings.gateway_secret.get_secret_value() if settings.gateway_secret else ""

    # HTTPConnection: FastAPI fills it for plain requests and for WebSockets (subscriptions) alike.
    async def get_context(connection: HTTPConnection) -> RequestContext:
        principal, from_gateway, auth_error = identify(
            connection, verifier=connection.app.state.verifier, gateway_secret=secret
        )
        try:
            principal, standing_error = await connection.app.state.standing.resolve(principal)
        except Exception as error:
            if not is_unavailable(error):
                raise
            # The caller's standing cannot be read while the database is away: everything but what a
            # refused caller may still ask (which will meet the same outage) says "try again".
            principal, standing_error = replace(principal, roles=frozenset()), DatabaseAway()
        return context_class(
            sessions=connection.app.state.sessions,
            principal=principal,
            from_gateway=from_gateway,
            auth_error=auth_error,
            standing_error=standing_error,
            allowed_when_refused=allowed_when_refused,
            confirm_standing=connection.app.state.standing.confirm,
        )

    max_json_depth = settings.max_json_depth or DEFAULT_MAX_JSON_DEPTH
    router = SubgraphRouter(
        schema,
        context_getter=get_context,
        graphql_ide="graphiql" if settings.is_development else None,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        max_json_depth=max_json_depth,
    )
    app.include_router(router, prefix="/graphql")
    if settings.is_development:
        add_graphiql_assets(app)
    # Added before the request context, so it runs inside it: refusals get a request id and are counted.
    app.add_middleware(JsonDepthLimit, max_depth=max_json_depth)
    add_request_context(app, service)
    add_error_handlers(app)
    # Ready means "can serve requests": writes wait in the outbox while Kafka is away, so Kafka is
    # reported, not required.
    add_health_routes(
        app,
        checks=lambda: {"database": database_check(app.state.engine)},
        reports=lambda: {"kafka": app.state.kafka_check},
        before_metrics=lambda: app.state.metrics.refresh(),
        process=f"{service}-api",
    )
    app.state.kafka_check = kafka_check(settings.kafka)
    if telemetry.configure_tracing(service):
        telemetry.instrument_app(app)  # the outermost layer: the server span holds everything
    return app
