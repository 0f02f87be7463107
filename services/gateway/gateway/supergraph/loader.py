"""Fetch each subgraph's SDL (`_service { sdl }`) and compose, waiting for subgraphs that are still starting."""

from __future__ import annotations

import asyncio
import logging
import time

from servicekit.graphql import GATEWAY_SECRET_HEADER

from gateway.execution.fetcher import SubgraphClient, SubgraphUnavailable
from gateway.supergraph.compose import compose
from gateway.supergraph.model import Supergraph

log = logging.getLogger("gateway.supergraph")


async def fetch_sdls(client: SubgraphClient, secret: str) -> dict[str, str]:
    headers = {GATEWAY_SECRET_HEADER: secret} if secret else {}

    async def one(name: str) -> tuple[str, str]:
        body = await client.fetch(name, "{ _service { sdl } }", {}, headers, retry_on_reset=True)
        sdl = ((body.get("data") or {}).get("_service") or {}).get("sdl")
        if not isinstance(sdl, str):
            errors = "; ".join(str(e.get("message")) for e in body.get("errors") or ())
            raise SubgraphUnavailable(name, f"did not return its SDL ({errors or 'no data'})")
        return name, sdl

    return dict(await asyncio.gather(*(one(name) for name in client.urls)))


async def load_supergraph(client: SubgraphClient, secret: str, *, wait_seconds: float) -> Supergraph:
    """Compose from live subgraphs. Unreachable subgraphs are retried until `wait_seconds`;
    composition errors are raised at once (retrying cannot fix them)."""
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            sdls = await fetch_sdls(client, secret)
            break
        except SubgraphUnavailable as error:
            if time.monotonic() > deadline:
                raise
            log.info("supergraph.waiting_for_subgraph", extra={"subgraph": error.subgraph, "reason": error.reason})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
    supergraph = compose(sdls, client.urls)
    log.info("supergraph.composed", extra={"subgraphs": sorted(sdls), "types": len(supergraph.types)})
    return supergraph
