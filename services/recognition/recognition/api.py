"""Recognition HTTP process: the subgraph at /graphql plus health and metrics."""

from fastapi import FastAPI
from servicekit.app import create_service_app

from recognition.consumers import CONSUMER, TOPICS
from recognition.schema import build_schema
from recognition.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(
        settings=settings or get_settings(),
        schema=build_schema(),
        consumer_groups={CONSUMER: TOPICS},
    )
