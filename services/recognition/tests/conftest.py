"""Recognition test fixtures: migrated databases, own topics, a live consumer, the served API."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from recognition.api import create_app
from recognition.settings import Settings
from recognition.signing import write_new_key
from servicekit.db import create_engine, session_factory
from servicekit.testing import (
    GATEWAY_TEST_SECRET,
    GraphQLClient,
    Tokens,
    migrated_database,
    serve_app,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from .support import Consumer, Databases, Publisher, Topics

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def template_url(database_server_url: str) -> Iterator[str]:
    """A database migrated once; each test database is a copy of it (much faster than migrating)."""
    with migrated_database(database_server_url, SERVICE_DIR, "recognition_template") as url:
        yield url


@pytest.fixture(scope="session")
async def databases(template_url: str) -> AsyncIterator[Databases]:
    databases = Databases(template_url)
    yield databases
    await databases.drop_all()


@pytest.fixture(scope="session")
async def recognition_url(databases: Databases) -> str:
    return await databases.new("api")


@pytest.fixture(scope="session")
def badge_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("badges") / "badge-signing-key.pem"
    write_new_key(path)
    return path


def settings_for(url: str, kafka_bootstrap: str, tokens: Tokens, badge_key: Path) -> Settings:
    return Settings(
        database_url=url,
        kafka_bootstrap=kafka_bootstrap,
        jwks_file=tokens.jwks_file,
        jwt_issuer=tokens.issuer,
        jwt_audience=tokens.audience,
        gateway_secret=GATEWAY_TEST_SECRET,
        environment="production",
        badge_signing_key_file=str(badge_key),
        public_url="https://heroes.example.org",
        kudos_daily_limit=3,
    )


@pytest.fixture(scope="session")
def settings(
    recognition_url: str, kafka_bootstrap: str, tokens: Tokens, badge_key: Path
) -> Settings:
    return settings_for(recognition_url, kafka_bootstrap, tokens, badge_key)


@pytest.fixture(scope="session")
async def served(settings: Settings) -> AsyncIterator[str]:
    async with serve_app(create_app(settings)) as base:
        yield base


@pytest.fixture(scope="session")
async def api(served: str) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(timeout=15) as http:
        yield GraphQLClient(f"{served}/graphql", http, GATEWAY_TEST_SECRET)


@pytest.fixture(scope="session")
async def engine(recognition_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(recognition_url, pool_size=4)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def topics(kafka_bootstrap: str) -> Topics:
    """Topics of this test session only, so nothing else published during the run reaches us."""
    return await Topics.create(kafka_bootstrap, f"t{secrets.token_hex(3)}")


@pytest.fixture(scope="session")
async def publisher(kafka_bootstrap: str, topics: Topics) -> AsyncIterator[Publisher]:
    async with Publisher.started(kafka_bootstrap, topics) as publisher:
        yield publisher


@pytest.fixture(scope="session")
async def consumer(
    served: str, engine: AsyncEngine, kafka_bootstrap: str, topics: Topics
) -> AsyncIterator[Consumer]:
    """The recognition consumer beside the API, as in production (the API syncs the rules)."""
    consumer = Consumer(
        kafka_bootstrap, session_factory(engine), topics, name=f"recognition.awards.{topics.suffix}"
    )
    await consumer.start()
    yield consumer
    await consumer.stop()
