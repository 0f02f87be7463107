"""Projects HTTP process: the subgraph at /graphql plus health and metrics."""

from fastapi import FastAPI
from servicekit.app import create_service_app

from projects.consumers import CONSUMER, IMPACT, TOPICS
from projects.schema import Context, build_schema
from projects.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        settings=settings or get_settings(),
        schema=build_schema(),
        context_class=Context,
        consumer_groups={CONSUMER: TOPICS, IMPACT.name: IMPACT.topics},
    )
