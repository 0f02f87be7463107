"""Gateway integration fixtures: the test subgraphs served over HTTP and gateways in front of them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from gateway.app import create_app
from gateway.settings import Settings
from servicekit.testing import Tokens, serve_app

from ..subgraphs import schemas, subgraph_app

SECRET = "gateway-test-secret"


@dataclass
class Served:
    urls: dict[str, str]
    apps: dict[str, Any]
    stack: contextlib.AsyncExitStack


@pytest.fixture(scope="module")
async def subgraphs() -> AsyncIterator[Served]:
    async with contextlib.AsyncExitStack() as stack:
        apps = {name: subgraph_app(schema, SECRET) for name, schema in schemas().items()}
        urls = {name: f"{await stack.enter_async_context(serve_app(app))}/graphql" for name, app in apps.items()}
        yield Served(urls, apps, stack)


@dataclass
class GatewayClient:
    url: str
    http: httpx.AsyncClient

    async def post(self, body: Any, token: str | None = None, **headers: str) -> httpx.Response:
        if token:
            headers["authorization"] = f"Bearer {token}"
        return await self.http.post(self.url, json=body, headers=headers)

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        response = await self.post({"query": query, "variables": variables or {}}, token)
        body: dict[str, Any] = response.json()
        return body


@contextlib.asynccontextmanager
async def gateway(served: Served, tokens: Tokens, **overrides: Any) -> AsyncIterator[GatewayClient]:
    values: dict[str, Any] = {
        "subgraphs": ",".join(f"{name}={url}" for name, url in served.urls.items()),
        "gateway_secret": SECRET, "jwks_file": tokens.jwks_file, "jwt_issuer": tokens.issuer,
        "jwt_audience": tokens.audience, "environment": "production", "database_url": "postgresql://unused/x",
        "kafka_bootstrap": "unused:1", "compose_wait_seconds": 5,
    }
    values.update(overrides)
    app = create_app(Settings(**values))
    async with serve_app(app) as base, httpx.AsyncClient(timeout=30) as http:
        yield GatewayClient(f"{base}/graphql", http)


@pytest.fixture(scope="module")
async def production(subgraphs: Served, tokens: Tokens) -> AsyncIterator[GatewayClient]:
    async with gateway(subgraphs, tokens, max_depth=5, max_aliases=3, max_cost=200, max_body_bytes=2000,
                       max_batch=3) as client:
        yield client
