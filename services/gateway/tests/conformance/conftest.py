"""Runs every conformance subgraph as its own local process and builds gateways over each group."""

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
from gateway.supergraph.loader import fetch_sdls
from gateway.supergraph import compose

from .subgraphs import GROUPS, SUBGRAPHS

GATEWAY_DIR = Path(__file__).resolve().parents[2]


@contextmanager
def _processes() -> Iterator[dict[str, str]]:
    started: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    try:
        for name, port in zip(SUBGRAPHS, free_ports(len(SUBGRAPHS)), strict=True):
            process = subprocess.Popen(  # noqa: S603 - our own test subgraphs
                [sys.executable, "-m", "uvicorn", "tests.conformance.subgraphs:create_app", "--factory",
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                cwd=GATEWAY_DIR, env={**os.environ, "CONFORMANCE_SUBGRAPH": name, "PYTHONPATH": str(GATEWAY_DIR)},
            )
            started[name] = (process, f"http://127.0.0.1:{port}/graphql")
        deadline = time.monotonic() + 60
        waiting = set(started)
        while waiting:
            for name in list(waiting):
                process, url = started[name]
                if process.poll() is not None:
                    raise RuntimeError(f"conformance subgraph {name} exited")
                try:
                    httpx.post(url, json={"query": "{ __typename }"}, timeout=1)
                    waiting.discard(name)
                except httpx.HTTPError:
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"conformance subgraphs not up: {sorted(waiting)}")
            time.sleep(0.2)
        exited = [name for name, (process, _) in started.items() if process.poll() is not None]
        if exited:  # a process that lost its port to another would leave its URL answering for someone else
            raise RuntimeError(f"conformance subgraphs exited: {exited}")
        yield {name: url for name, (_, url) in started.items()}
    finally:
        for process, _ in started.values():
            process.terminate()
        for process, _ in started.values():
            process.wait(10)


@pytest.fixture(scope="session")
def conformance_urls() -> Iterator[dict[str, str]]:
    with _processes() as urls:
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
        supergraph = compose(await fetch_sdls(client, ""), client.urls)
        return Federation(Engine.create(supergraph, client, Limits(), introspection=True, suggestions=True), client)

    yield build
    for client in clients:
        await client.close()
