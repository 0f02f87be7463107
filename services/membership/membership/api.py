"""Membership HTTP process: the subgraph at /graphql plus health and metrics."""

from functools import partial

from fastapi import FastAPI
from servicekit.app import create_service_app

from membership.schema import Context, build_schema
from membership.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        settings=settings,
        schema=build_schema(),
        context_class=partial(Context, batching=settings.batch_loading),
    )
