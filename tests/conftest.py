"""End-to-end fixtures: the whole network (three services, relays, consumers, gateway) as processes.

Each run gets databases and consumer groups of its own on the test servers, and its consumer
groups start at the current end of the topics, so events of other tests never reach it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from aiokafka import TopicPartition
from servicekit.kafka import new_consumer, topic_partitions
from servicekit.migrations import drop_database
from servicekit.testing import Tokens

from devstack.kafka import free_ports
from devstack.processes import Supervisor
from devstack.run import start_network, wait_ready
from devstack.servers import prepare_databases
from devstack.services import REPO, SERVICES

CONSUMED_TOPICS = ("membership.events.v1", "projects.events.v1")


@dataclass
class Network:
    gateway: str
    subgraphs: dict[str, str]
    tokens: Tokens
    supervisor: Supervisor
    http: httpx.Client

    def call(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
             url: str | None = None, **headers: str) -> dict[str, Any]:
        if token:
            headers["authorization"] = f"Bearer {token}"
        response = self.http.post(url or self.gateway, json={"query": query, "variables": variables or {}},
                                  headers=headers)
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        body = self.call(query, variables, token)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    def token(self, member_id: str, organisation_id: str | None, *roles: str) -> str:
        return self.tokens.mint(UUID(member_id), UUID(organisation_id) if organisation_id else None,
                                roles=roles or ("hero",))


async def _start_groups_at_end(bootstrap: str, groups: list[str]) -> None:
    """Commit each new group's offsets at the topics' ends: it sees only what happens from now."""
    probe = new_consumer(bootstrap, group_id=None)
    await probe.start()
    try:
        known = await topic_partitions(probe, list(CONSUMED_TOPICS))
        partitions = [TopicPartition(t, p) for t, ps in known.items() for p in ps]
        ends = await probe.end_offsets(partitions)
    finally:
        await probe.stop()
    for group in groups:
        committer = new_consumer(bootstrap, group_id=group)
        await committer.start()
        try:
            committer.assign(partitions)
            await committer.commit(dict(ends))
        finally:
            await committer.stop()


@pytest.fixture(scope="session")
def network(database_server_url: str, kafka_bootstrap: str, tokens: Tokens) -> Iterator[Network]:
    suffix = secrets.token_hex(3)
    names = {spec.name: f"e2e_{spec.name}_{suffix}" for spec in SERVICES}
    urls = prepare_databases(database_server_url, names)
    ports = dict(zip(["gateway", *(spec.name for spec in SERVICES)], free_ports(1 + len(SERVICES)), strict=True))
    groups = {spec.name: f"e2e.{spec.name}.{suffix}" for spec in SERVICES if spec.consumes}
    asyncio.run(_start_groups_at_end(kafka_bootstrap, list(groups.values())))
    env = {
        **os.environ,
        "HEROES_DATABASE_URL": database_server_url,
        "HEROES_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "HEROES_ENVIRONMENT": "production",
        "HEROES_JWKS_FILE": tokens.jwks_file,
        "HEROES_JWT_ISSUER": tokens.issuer,
        "HEROES_JWT_AUDIENCE": tokens.audience,
        "HEROES_GATEWAY_SECRET": secrets.token_urlsafe(16),
        "HEROES_LOG_LEVEL": "WARNING",
        "GATEWAY_SUBGRAPHS": ",".join(
            f"{spec.name}=http://127.0.0.1:{ports[spec.name]}/graphql" for spec in SERVICES),
        "GATEWAY_SUBGRAPH_TIMEOUT_SECONDS": "3",
        **{f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()},
        **{f"{name.upper()}_CONSUMER_NAME": group for name, group in groups.items()},
        "PYTHONUNBUFFERED": "1",
    }
    run_dir = Path(os.environ.get("HEROES_TEST_ROOT", REPO / ".local" / "pytest")) / f"e2e-{suffix}"
    supervisor = Supervisor(run_dir, env, REPO)
    try:
        wait_ready(supervisor, start_network(supervisor, ports), timeout=90)
        with httpx.Client(timeout=30) as http:
            yield Network(
                gateway=f"http://127.0.0.1:{ports['gateway']}/graphql",
                subgraphs={spec.name: f"http://127.0.0.1:{ports[spec.name]}/graphql" for spec in SERVICES},
                tokens=tokens, supervisor=supervisor, http=http,
            )
    finally:
        supervisor.stop_all()
        for url in urls.values():
            asyncio.run(drop_database(url))
