"""Recognition HTTP process: the subgraph at /graphql, Open Badges endpoints, the event contract
(/asyncapi.yaml, .json, .html), health and metrics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from servicekit.app import create_service_app
from servicekit.db import transaction

from recognition.asyncapi_http import add_asyncapi_routes
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

    async def on_stop(app: FastAPI) -> None:
        services: AppServices | None = getattr(app.state, "recognition", None)
        if services is not None:
            await services.hub.stop()

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
        on_stop=on_stop,
    )
    add_openbadges_routes(app)
    add_asyncapi_routes(app)
    return app
