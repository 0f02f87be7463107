"""Membership HTTP process: the subgraph at /graphql plus health and metrics."""

from functools import partial

from fastapi import FastAPI
from servicekit.app import create_service_app

from membership.repository.members import standing_lookup
from membership.schema import Context, build_schema
from membership.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(
        settings=settings,
        schema=build_schema(),
        context_class=partial(Context, batching=settings.batch_loading),
        standing=standing_lookup,
        authoritative=True,  # membership's own word: a sign-in of no member here is no member at all
        allowed_when_refused=frozenset({"me", "joinNetwork"}),
    )
