"""Membership HTTP process: the subgraph at /graphql plus health and metrics, and the closing of
ended pulse months in the background."""

from functools import partial

from fastapi import FastAPI
from servicekit.app import create_service_app

from membership.pulse_closing import PulseCloser
from membership.repository.members import standing_lookup
from membership.schema import Context, build_schema
from membership.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    async def on_ready(app: FastAPI) -> None:
        app.state.pulse_closer = PulseCloser(app.state.sessions, interval=settings.pulse_close_interval_seconds)
        app.state.pulse_closer.start()

    async def on_stop(app: FastAPI) -> None:
        closer: PulseCloser | None = getattr(app.state, "pulse_closer", None)
        if closer is not None:
            await closer.stop()

    return create_service_app(
        settings=settings,
        schema=build_schema(),
        context_class=partial(Context, batching=settings.batch_loading),
        standing=standing_lookup,
        authoritative=True,  # membership's own word: a sign-in of no member here is no member at all
        allowed_when_refused=frozenset({"me", "joinNetwork"}),
        on_ready=on_ready,
        on_stop=on_stop,
    )
