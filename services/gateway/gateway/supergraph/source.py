"""Where the gateway's supergraph comes from: a supergraph SDL file, or live composition."""

from __future__ import annotations

from pathlib import Path

from gateway.execution.fetcher import SubgraphClient
from gateway.settings import Settings
from gateway.supergraph.join_load import load_supergraph_sdl
from gateway.supergraph.loader import load_supergraph
from gateway.supergraph.model import Supergraph


def subgraph_urls(settings: Settings) -> dict[str, str]:
    """Subgraph URLs from the supergraph file when one is configured, else from GATEWAY_SUBGRAPHS."""
    if settings.supergraph_file:
        return load_supergraph_sdl(Path(settings.supergraph_file).read_text()).subgraph_urls
    return settings.subgraph_urls()


async def obtain(settings: Settings, client: SubgraphClient, secret: str, *, wait: bool = True) -> Supergraph:
    if settings.supergraph_file:
        return load_supergraph_sdl(Path(settings.supergraph_file).read_text())
    return await load_supergraph(client, secret, wait_seconds=settings.compose_wait_seconds if wait else 0)
