"""Supergraph reloads: on demand (admin endpoint, SIGHUP) or on an interval, never dropping requests.

A reload builds a complete new engine (supergraph, plans, connection pool) beside the
running one and swaps it in one assignment. Requests already running keep the engine
they started with; its connection pool closes once they have had time to finish. A
reload that fails (a subgraph away, a composition error) keeps the old supergraph.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import Counter

from gateway.engine import Engine
from gateway.execution.fetcher import SubgraphClient
from gateway.settings import Settings
from gateway.supergraph import CompositionError
from gateway.supergraph.join_load import load_supergraph_sdl
from gateway.supergraph.join_print import print_supergraph
from gateway.supergraph.loader import SdlUnavailable, load_supergraph
from gateway.supergraph.model import Supergraph

log = logging.getLogger("gateway.reloader")

RELOADS = Counter("heroes_gateway_reloads_total", "Supergraph reloads, by outcome.", ["outcome"])


@dataclass
class ReloadResult:
    reloaded: bool
    changed: bool = False
    reason: str = ""
    subgraphs: list[str] = field(default_factory=list)


class Reloader:
    def __init__(self, settings: Settings, secret: str) -> None:
        self.settings = settings
        self.secret = secret
        self.engine: Engine | None = None
        self._lock = asyncio.Lock()
        self._retired: set[asyncio.Task[None]] = set()

    def subgraph_urls(self) -> dict[str, str]:
        """The subgraphs to compose now: the supergraph file's, the subgraphs file's, or GATEWAY_SUBGRAPHS."""
        if self.settings.supergraph_file:
            return load_supergraph_sdl(Path(self.settings.supergraph_file).read_text()).subgraph_urls
        if self.settings.subgraphs_file:
            return _read_subgraphs_file(Path(self.settings.subgraphs_file))
        return self.settings.subgraph_urls()

    async def start(self) -> Engine:
        """The first supergraph; waits for subgraphs still starting, fails on composition errors."""
        self.engine = await self._build(wait=True)
        return self.engine

    async def reload(self) -> ReloadResult:
        async with self._lock:
            try:
                engine = await self._build(wait=False)
            except (CompositionError, SdlUnavailable, OSError, ValueError) as error:
                RELOADS.labels("failed").inc()
                reason = str(error)
                log.warning("supergraph.reload_failed", extra={"reason": reason})
                return ReloadResult(reloaded=False, reason=f"kept the running supergraph: {reason}")
            old = self.engine
            changed = old is None or print_supergraph(old.supergraph) != print_supergraph(engine.supergraph)
            if not changed:
                await engine.client.close()
                RELOADS.labels("unchanged").inc()
                return ReloadResult(reloaded=True, changed=False, subgraphs=sorted(old.supergraph.subgraph_urls))  # type: ignore[union-attr]
            self.engine = engine
            RELOADS.labels("changed").inc()
            log.info("supergraph.reloaded", extra={"subgraphs": sorted(engine.supergraph.subgraph_urls)})
            if old is not None:
                self._retire(old)
            return ReloadResult(reloaded=True, changed=True, subgraphs=sorted(engine.supergraph.subgraph_urls))

    async def poll(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.reload()

    async def close(self) -> None:
        for task in list(self._retired):
            task.cancel()
        if self.engine is not None:
            await self.engine.client.close()

    async def _build(self, *, wait: bool) -> Engine:
        urls = self.subgraph_urls()
        client = SubgraphClient.create(urls, timeout=self.settings.subgraph_timeout_seconds)
        try:
            supergraph = await self._supergraph(client, wait=wait)
        except BaseException:
            await client.close()
            raise
        return Engine.create(supergraph, client, self.settings.limits, introspection=self.settings.introspection_on,
                             suggestions=self.settings.is_development)

    async def _supergraph(self, client: SubgraphClient, *, wait: bool) -> Supergraph:
        if self.settings.supergraph_file:
            sdl = await asyncio.to_thread(Path(self.settings.supergraph_file).read_text)
            return load_supergraph_sdl(sdl)
        wait_seconds = self.settings.compose_wait_seconds if wait else 0
        return await load_supergraph(client.sdl_fetcher(self.secret), client.urls,
                                     wait_seconds=wait_seconds)

    def _retire(self, engine: Engine) -> None:
        """Close the old engine's connections once requests that started on it have finished."""
        grace = self.settings.subgraph_timeout_seconds * 3 + 5

        async def close_later() -> None:
            await asyncio.sleep(grace)
            await engine.client.close()

        task = asyncio.create_task(close_later())
        self._retired.add(task)
        task.add_done_callback(self._retired.discard)


def _read_subgraphs_file(path: Path) -> dict[str, str]:
    """`name=url` per line; blank lines and lines starting with # are ignored."""
    urls: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, url = line.partition("=")
        if not name.strip() or not url.strip():
            raise ValueError(f"{path}:{number}: expected name=url, got {line!r}")
        urls[name.strip()] = url.strip()
    return urls
