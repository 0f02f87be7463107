"""Compose from each subgraph's SDL (`_service { sdl }`), waiting for subgraphs still starting.

How an SDL is fetched is the caller's: the loader is handed a `FetchSdl`, so composition
never depends on the execution layer's HTTP client.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeAlias

from gateway.supergraph.compose import compose
from gateway.supergraph.model import Supergraph

log = logging.getLogger("gateway.supergraph")

FetchSdl: TypeAlias = Callable[[str], Awaitable[str]]
"""Returns the named subgraph's SDL; raises `SdlUnavailable` while the subgraph cannot give it."""


class SdlUnavailable(Exception):
    """A subgraph did not give its SDL now (away, starting, answering badly); a later try may
    work."""

    def __init__(self, subgraph: str, reason: str) -> None:
        super().__init__(f"{subgraph}: {reason}")
        self.subgraph = subgraph
        self.reason = reason


def sdl_from_result(subgraph: str, body: dict[str, object]) -> str:
    """The SDL in a `{ _service { sdl } }` GraphQL result, or SdlUnavailable saying what came
    instead."""
    data = body.get("data")
    service = data.get("_service") if isinstance(data, dict) else None
    sdl = service.get("sdl") if isinstance(service, dict) else None
    if not isinstance(sdl, str):
        found = body.get("errors")
        listed = found if isinstance(found, list) else []
        errors = "; ".join(str(e.get("message")) for e in listed if isinstance(e, dict))
        raise SdlUnavailable(subgraph, f"did not return its SDL ({errors or 'no data'})")
    return sdl


async def fetch_sdls(fetch_sdl: FetchSdl, subgraphs: Iterable[str]) -> dict[str, str]:
    async def one(name: str) -> tuple[str, str]:
        return name, await fetch_sdl(name)

    return dict(await asyncio.gather(*(one(name) for name in subgraphs)))


async def load_supergraph(
    fetch_sdl: FetchSdl, urls: dict[str, str], *, wait_seconds: float
) -> Supergraph:
    """Compose the subgraphs of `urls` (name -> address). Subgraphs that cannot give their SDL are
    retried until `wait_seconds`; composition errors are raised at once (retrying cannot fix
    them)."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            sdls = await fetch_sdls(fetch_sdl, urls)
            break
        except SdlUnavailable as error:
            if time.monotonic() > deadline:
                raise
            log.info("supergraph.waiting_for_subgraph",
                     extra={"subgraph": error.subgraph, "reason": error.reason})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
    supergraph = compose(sdls, urls)
    log.info("supergraph.composed",
             extra={"subgraphs": sorted(sdls), "types": len(supergraph.types)})
    return supergraph
