"""Serves every conformance subgraph from one local process and builds gateways over each group."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from devstack.kafka import free_ports
from gateway.engine import Engine
from gateway.execution.fetcher import SubgraphClient
from gateway.limits import Limits
from gateway.supergraph import compose
from gateway.supergraph.loader import fetch_sdls

from ..reference import apollo
from .subgraphs import GROUPS, SUBGRAPHS, subgraph_path

GATEWAY_DIR = Path(__file__).resolve().parents[2]


@contextmanager
def _subgraph_server() -> Iterator[dict[str, str]]:
    """One uvicorn process serving every conformance subgraph; yields name -> URL."""
    [port] = free_ports(1)
    urls = {name: f"http://127.0.0.1:{port}{subgraph_path(name)}" for name in SUBGRAPHS}
    process = subprocess.Popen(  # noqa: S603 - our own test subgraphs
        [sys.executable, "-m", "uvicorn", "tests.conformance.subgraphs:create_all_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
         # longer than any client keeps an idle connection: Node would reuse one we just closed
         "--timeout-keep-alive", "300"],
        cwd=GATEWAY_DIR, env={**os.environ, "PYTHONPATH": str(GATEWAY_DIR)},
    )
    try:
        deadline = time.monotonic() + 60
        waiting = set(urls)
        while waiting:
            if process.poll() is not None:
                raise RuntimeError(f"conformance subgraphs exited with code {process.returncode}")
            for name in sorted(waiting):
                if _answers(urls[name]):
                    waiting.discard(name)
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"conformance subgraphs not up: {sorted(waiting)}")
            if waiting:
                time.sleep(0.1)
        if process.poll() is not None:  # had it lost the port, another server would be answering
            raise RuntimeError(f"conformance subgraphs exited with code {process.returncode}")
        yield urls
    finally:
        process.terminate()
        process.wait(10)


def _answers(url: str) -> bool:
    """True when `url` answers a GraphQL query (a 404 would mean a subgraph is not mounted)."""
    try:
        response = httpx.post(url, json={"query": "{ __typename }"}, timeout=1)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and "__typename" in (response.json().get("data") or {})


@pytest.fixture(scope="session")
def conformance_urls() -> Iterator[dict[str, str]]:
    with _subgraph_server() as urls:
        yield urls


@pytest.fixture(scope="session")
def apollo_urls(conformance_urls: dict[str, str]) -> Iterator[dict[str, str]]:
    """Apollo Gateway over every group in GROUPS, for differential tests: group -> URL.

    Query it with `apollo.execute` / `apollo.query_plan`. A group Apollo cannot compose fails this
    fixture (with Apollo's errors) rather than being skipped: each one is a difference to look at.
    """
    groups = {
        group: {name: conformance_urls[name] for name in names} for group, names in GROUPS.items()
    }
    with apollo.start(groups) as urls:
        yield urls


class Federation:
    """A gateway engine over one group's subgraphs, counting the requests it sends."""

    def __init__(self, engine: Engine, client: SubgraphClient) -> None:
        self.engine = engine
        self.client = client

    async def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        self.client.requests = 0
        return await self.engine.execute({"query": query, "variables": variables or {}}, {})

    @property
    def requests(self) -> int:
        return self.client.requests

    def plan_or_errors(self, query: str) -> list[str] | list[dict[str, object]]:
        """The plan's outline, or why there is none (for assertion messages)."""
        prepared = self.engine.operations.get(query, None)
        return prepared.plan.describe() if prepared.plan is not None else prepared.errors

    def plan(self, query: str) -> list[str]:
        prepared = self.engine.operations.get(query, None)
        assert not prepared.errors, prepared.errors
        assert prepared.plan is not None
        return prepared.plan.describe()


@pytest.fixture
async def federation(conformance_urls: dict[str, str], request: pytest.FixtureRequest) -> Any:
    """`federation("keys")` gives a gateway over that group (introspection and suggestions on)."""
    clients: list[SubgraphClient] = []

    async def build(group: str) -> Federation:
        client = SubgraphClient.create({n: conformance_urls[n] for n in GROUPS[group]}, timeout=5)
        clients.append(client)
        supergraph = compose(await fetch_sdls(client.sdl_fetcher(""), client.urls), client.urls)
        return Federation(Engine.create(supergraph, client, Limits(), introspection=True, suggestions=True), client)

    yield build
    for client in clients:
        await client.close()
