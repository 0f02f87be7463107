"""Membership test fixtures: a migrated database, the service served over HTTP, callers with tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from servicekit.testing import GATEWAY_TEST_SECRET, GraphQLClient, Tokens, migrated_database, serve_app
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from membership.api import create_app
from membership.settings import Settings

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def membership_url(database_server_url: str) -> Iterator[str]:
    with migrated_database(database_server_url, SERVICE_DIR, "membership") as url:
        yield url


@pytest.fixture(scope="session")
def settings(membership_url: str, kafka_bootstrap: str, tokens: Tokens) -> Settings:
    return Settings(
        database_url=membership_url,
        kafka_bootstrap=kafka_bootstrap,
        jwks_file=tokens.jwks_file,
        jwt_issuer=tokens.issuer,
        jwt_audience=tokens.audience,
        gateway_secret=GATEWAY_TEST_SECRET,
        environment="production",
    )


@pytest.fixture(scope="session")
async def api(settings: Settings) -> AsyncIterator[GraphQLClient]:
    app = create_app(settings)
    async with serve_app(app) as base, httpx.AsyncClient(timeout=15) as http:
        yield GraphQLClient(f"{base}/graphql", http, GATEWAY_TEST_SECRET)


@pytest.fixture(scope="session")
async def engine(membership_url: str) -> AsyncIterator[AsyncEngine]:
    from servicekit.db import create_engine

    engine = create_engine(membership_url, pool_size=2)
    yield engine
    await engine.dispose()


async def scalar(engine: AsyncEngine, sql: str, **params: object) -> object:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar()
