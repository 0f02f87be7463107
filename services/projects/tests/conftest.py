"""Projects test fixtures: a migrated database, the service served over HTTP, and callers with tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from projects.api import create_app
from projects.settings import Settings
from servicekit.testing import (
    GATEWAY_TEST_SECRET,
    GraphQLClient,
    Tokens,
    migrated_database,
    serve_app,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def projects_url(database_server_url: str) -> Iterator[str]:
    with migrated_database(database_server_url, SERVICE_DIR, "projects") as url:
        yield url


@pytest.fixture(scope="session")
def settings(projects_url: str, kafka_bootstrap: str, tokens: Tokens) -> Settings:
    return Settings(
        database_url=projects_url,
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
async def engine(projects_url: str) -> AsyncIterator[AsyncEngine]:
    from servicekit.db import create_engine

    engine = create_engine(projects_url, pool_size=2)
    yield engine
    await engine.dispose()


async def scalar(engine: AsyncEngine, sql: str, **params: object) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar()


async def rows(engine: AsyncEngine, sql: str, **params: object) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [dict(row) for row in (await connection.execute(text(sql), params)).mappings()]


async def outbox_of(engine: AsyncEngine, key: str) -> list[tuple[str, dict[str, Any]]]:
    """(type, payload) of every outbox message for one key, in the order they were written."""
    found = await rows(
        engine, "SELECT type, payload FROM outbox_messages WHERE key = :k ORDER BY position", k=key
    )
    return [(row["type"], row["payload"]) for row in found]


async def announce(engine: AsyncEngine, *people: Person, visibility: str = "network") -> None:
    """Record what membership would announce about these people (member_joined / visibility_changed)."""
    async with engine.begin() as connection:
        for person in people:
            await connection.execute(
                text("INSERT INTO member_visibility (member_id, organisation_id, visibility, changed_at) "
                     "VALUES (:m, :o, :v, now()) ON CONFLICT (member_id) DO UPDATE SET visibility = :v, "
                     "changed_at = now()"),
                {"m": person.member_id, "o": person.organisation_id, "v": visibility},
            )


@dataclass
class Person:
    member_id: UUID
    organisation_id: UUID | None
    token: str | None

    @property
    def id(self) -> str:
        return str(self.member_id)


@dataclass
class Network:
    """Two organisations (Riverside trust and Voice community group) and people in them.

    Each person is first announced as membership would (an active member with their network
    role in `member_standing`), since tokens count only for members membership vouches for.
    """

    tokens: Tokens
    engine: AsyncEngine
    riverside: UUID = field(default_factory=uuid4)
    voice: UUID = field(default_factory=uuid4)

    async def hero(self, organisation: UUID | None = None) -> Person:
        return await self._person(organisation, "hero")

    async def coordinator(self, organisation: UUID | None = None) -> Person:
        return await self._person(organisation, "coordinator")

    async def _person(self, organisation: UUID | None, role: str) -> Person:
        member, org = uuid4(), organisation or self.riverside
        await stand(self.engine, member, org, status="active", role=role)
        return Person(member, org, self.tokens.mint(member, org, roles=("hero", role)))

    @staticmethod
    def anonymous() -> Person:
        return Person(uuid4(), None, None)


@pytest.fixture
def network(tokens: Tokens, engine: AsyncEngine) -> Network:
    return Network(tokens, engine)


async def stand(engine: AsyncEngine, member: UUID, organisation: UUID | None, *, status: str, role: str) -> None:
    """Record a member's standing as membership's events would (servicekit.standing)."""
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO member_standing (member_id, organisation_id, status, network_role, status_at, role_at) "
                 "VALUES (:m, :o, :s, :r, now(), now()) ON CONFLICT (member_id) DO UPDATE SET status = :s, "
                 "network_role = :r, status_at = now(), role_at = now()"),
            {"m": member, "o": organisation, "s": status, "r": role},
        )


PROPOSE = """
mutation($input: ProposeProjectInput!) {
  proposeProject(input: $input) { project { id title stage visibility bigI organisation { id } } }
}
"""


async def propose(api: GraphQLClient, who: Person, **fields: Any) -> str:
    data = {"title": "Fewer falls on Ward 7", "summary": "Older patients fall at night.", **fields}
    result = await api.data(PROPOSE, {"input": data}, token=who.token)
    project_id: str = result["proposeProject"]["project"]["id"]
    return project_id


async def add_member(
    api: GraphQLClient, who: Person, project_id: str, member: Person, role: str
) -> None:
    await api.data(
        "mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { teamMember { role } } }",
        {"i": {"projectId": project_id, "memberId": member.id, "role": role}},
        token=who.token,
    )
