"""Membership test fixtures: a migrated database, the service over real HTTP, a relay, and people."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from membership.api import create_app
from membership.domain import OrganisationKind
from membership.service.bootstrap import bootstrap_network_admin
from membership.settings import Settings
from servicekit.db import create_engine, session_factory, transaction
from servicekit.relay import Relay
from servicekit.testing import GATEWAY_TEST_SECRET, GraphQLClient, Tokens, migrated_database, serve_app
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

SERVICE_DIR = Path(__file__).resolve().parents[1]

INVITE = """
mutation($input: InviteMemberInput!) { inviteMember(input: $input) { member { id } inviteCode } }
"""
JOIN = "mutation($input: JoinNetworkInput!) { joinNetwork(input: $input) { member { id status } } }"
REGISTER = """
mutation($input: RegisterOrganisationInput!) { registerOrganisation(input: $input) { organisation { id } } }
"""
CONSENT = """
mutation($input: ConsentInput!) { recordConsent(input: $input) { consent { nameInOrganisation } } }
"""


@pytest.fixture(scope="session")
def membership_url(database_server_url: str) -> Iterator[str]:
    with migrated_database(database_server_url, SERVICE_DIR, "membership") as url:
        yield url


@pytest.fixture(scope="session")
def settings(membership_url: str, kafka_bootstrap: str, tokens: Tokens) -> Settings:
    return Settings(
        database_url=membership_url, kafka_bootstrap=kafka_bootstrap, jwks_file=tokens.jwks_file,
        jwt_issuer=tokens.issuer, jwt_audience=tokens.audience, gateway_secret=GATEWAY_TEST_SECRET,
        environment="production",
        # Tests close pulse months themselves, at the moments they choose (test_pulse_closing.py).
        pulse_close_interval_seconds=0,
    )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
async def api(app: FastAPI) -> AsyncIterator[GraphQLClient]:
    async with serve_app(app) as base, httpx.AsyncClient(timeout=15) as http:
        yield GraphQLClient(f"{base}/graphql", http, GATEWAY_TEST_SECRET)


@pytest.fixture(scope="session")
async def relay(settings: Settings) -> AsyncIterator[Relay]:
    """The outbox relay of the test database, sending to the test broker for the whole session."""
    running = Relay(service="membership-tests", database_url=settings.dsn, bootstrap=settings.kafka, poll_interval=0.2)
    stop = asyncio.Event()
    task = asyncio.create_task(running.run(stop))
    yield running
    stop.set()
    await asyncio.wait_for(task, 30)


@pytest.fixture(scope="session")
async def engine(membership_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(membership_url, pool_size=2)
    yield engine
    await engine.dispose()


async def scalar(engine: AsyncEngine, sql: str, **params: object) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar()


CANARIES: list[str] = []


def canary() -> tuple[str, str]:
    """A name and email that must never leave membership; tests search for them everywhere."""
    tag = secrets.token_hex(5)
    name, email = f"Canary Zebedee {tag}", f"canary-{tag}@canary.invalid"
    CANARIES.extend((name, email))
    return name, email


@dataclass
class Person:
    id: str
    organisation_id: str
    name: str
    email: str
    token: str


@dataclass
class Network:
    """Helpers to build organisations and members through the API, as real users would."""

    api: GraphQLClient
    tokens: Tokens
    admin: str  # the token of a real network administrator (membership.bootstrap)

    async def organisation(self, kind: str = "ACUTE_TRUST") -> str:
        data = await self.api.data(
            REGISTER, {"input": {"name": f"Test Trust {secrets.token_hex(4)}", "kind": kind, "region": "Test"}},
            token=self.admin,
        )
        return str(data["registerOrganisation"]["organisation"]["id"])

    async def person(
        self,
        organisation_id: str,
        *,
        member_type: str = "STAFF_CLINICAL",
        role: str = "HERO",
        visibility: str = "ORGANISATION",
        consents: tuple[str, ...] = (),
        by: str | None = None,
    ) -> Person:
        name, email = canary()
        inviter = by or self.admin
        invite = await self.api.data(INVITE, {"input": {
            "organisationId": organisation_id, "displayName": name, "email": email, "memberType": member_type,
            "networkRole": role,
        }}, token=inviter)
        member_id = invite["inviteMember"]["member"]["id"]
        await self.api.data(JOIN, {"input": {"inviteCode": invite["inviteMember"]["inviteCode"],
                                             "profileVisibility": visibility}})
        roles = ("hero", "coordinator") if role == "COORDINATOR" else ("hero",)
        token = self.tokens.mint(UUID(member_id), UUID(organisation_id), roles=roles)
        if consents:
            await self.api.data(CONSENT, {"input": {"purposes": list(consents)}}, token=token)
        return Person(member_id, organisation_id, name, email, token)


@pytest.fixture(scope="session")
async def network_admin(engine: AsyncEngine) -> tuple[UUID, UUID]:
    """(organisation id, member id) of the network administrator every test network starts with."""
    async with transaction(session_factory(engine)) as session:
        return await bootstrap_network_admin(
            session, organisation_name=f"Host Trust {secrets.token_hex(4)}", kind=OrganisationKind.ACUTE_TRUST,
            region="Test", display_name="Test Network Admin", email=f"admin-{secrets.token_hex(4)}@test.invalid")


@pytest.fixture(scope="session")
def network(api: GraphQLClient, tokens: Tokens, network_admin: tuple[UUID, UUID]) -> Network:
    organisation_id, member_id = network_admin
    return Network(api, tokens, tokens.mint(member_id, organisation_id, roles=("hero", "network_admin")))
