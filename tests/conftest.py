"""End-to-end fixtures: the whole network (three services, relays, consumers, gateway) as processes.

Each run gets databases and consumer groups of its own on the test servers, and its consumer
groups start at the current end of the topics, so events of other tests never reach it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
from aiokafka import TopicPartition
from devstack.kafka import free_ports
from devstack.processes import Supervisor
from devstack.run import start_network, subgraph_address, wait_ready
from devstack.servers import prepare_databases
from devstack.services import REPO, SERVICES
from servicekit.kafka import new_consumer, topic_partitions
from servicekit.migrations import drop_database
from servicekit.testing import Tokens

CONSUMED_TOPICS = ("membership.events.v1", "projects.events.v1")
IMPACT_TOPICS = (*CONSUMED_TOPICS, "recognition.events.v1")


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

    admin: str = ""  # the token of the network administrator made by membership.bootstrap
    env: dict[str, str] = field(default_factory=dict)  # the environment its processes run with
    run_dir: Path | None = None  # its processes' logs and pid file

    def token(self, member_id: str, organisation_id: str | None, *roles: str) -> str:
        return self.tokens.mint(UUID(member_id), UUID(organisation_id) if organisation_id else None,
                                roles=roles or ("hero",))

    def known_everywhere(self, token: str, timeout: float = 30.0) -> None:
        """Wait until projects and recognition have heard from membership about this member (a token
        counts there only once membership's events about its member have arrived)."""
        deadline = time.monotonic() + timeout
        while True:
            body = self.call(KNOWN, token=token)
            codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
            if "membership_pending" not in codes:
                assert not codes, body
                return
            assert time.monotonic() < deadline, f"membership's word did not arrive within {timeout}s: {body}"
            time.sleep(0.1)


    def bring_back(self, name: str, timeout: float = 60.0) -> None:
        """After a test stopped `name` on purpose: let the supervisor restart it, and wait until it
        is ready again, so later tests find the whole network."""
        ready = self.subgraphs[name.removesuffix("-api")].replace("/graphql", "/readyz")
        deadline = time.monotonic() + timeout
        while True:
            self.supervisor.check()
            try:
                if self.http.get(ready, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"{name} did not come back within {timeout}s"
            time.sleep(0.2)


KNOWN = ("{ projects(first: 1) { edges { cursor } } "
         "celebrationFeed(scope: NETWORK, first: 1) { edges { cursor } } }")


def bootstrap_admin(env: dict[str, str], tokens: Tokens) -> str:
    """Make the network's first administrator (as an operator would) and mint their token."""
    made = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "membership.bootstrap", "--organisation", f"Host Trust {secrets.token_hex(3)}",
         "--kind", "ACUTE_TRUST", "--region", "Test", "--name", "Test Network Admin",
         "--email", f"admin-{secrets.token_hex(4)}@test.invalid"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    )
    ids = json.loads(made.stdout)
    return tokens.mint(UUID(ids["member_id"]), UUID(ids["organisation_id"]), roles=("hero", "network_admin"))


async def _start_groups_at_end(bootstrap: str, groups: dict[str, tuple[str, ...]]) -> None:
    """Commit each new group's offsets at its topics' ends: it sees only what happens from now."""
    probe = new_consumer(bootstrap, group_id=None)
    await probe.start()
    try:
        topics = sorted({topic for names in groups.values() for topic in names})
        known = await topic_partitions(probe, topics)
        ends = await probe.end_offsets([TopicPartition(t, p) for t in topics for p in known[t]])
    finally:
        await probe.stop()
    for group, names in groups.items():
        partitions = {tp: offset for tp, offset in ends.items() if tp.topic in names}
        committer = new_consumer(bootstrap, group_id=group)
        await committer.start()
        try:
            committer.assign(list(partitions))
            await committer.commit(partitions)
        finally:
            await committer.stop()


def badge_signing_key(tokens: Tokens) -> Path:
    """The key recognition signs Open Badges certificates with, next to the test signing keys
    (configured as in production: a named key file, never made by the service itself)."""
    from recognition.signing import write_new_key

    path = Path(tokens.jwks_file).parent / "badge-signing-key.pem"
    if not path.exists():
        write_new_key(path)
    return path


def _drop_quietly(url: str, attempts: int = 3) -> None:
    """Drop a finished network's database. Housekeeping on a throwaway server: on a busy machine
    the connection can time out (asyncpg then raises CancelledError), so try again, and at worst
    leave the database behind with a warning rather than fail tests that passed."""
    for attempt in range(1, attempts + 1):
        try:
            asyncio.run(drop_database(url))
            return
        except (asyncio.CancelledError, TimeoutError, OSError, asyncpg.PostgresError) as error:
            if attempt == attempts:
                warnings.warn(f"left test database {url.rsplit('/', 1)[-1]} behind: {error!r}", stacklevel=2)
            else:
                time.sleep(attempt)


@contextlib.contextmanager
def running_network(database_server_url: str, kafka_bootstrap: str, tokens: Tokens,
                    label: str = "e2e", copies: int = 1, env: dict[str, str] | None = None) -> Iterator[Network]:
    """A whole network of its own (databases, consumer groups, processes), stopped and dropped on exit."""
    suffix = secrets.token_hex(3)
    names = {spec.name: f"{label}_{spec.name}_{suffix}" for spec in SERVICES}
    urls = prepare_databases(database_server_url, names)
    ports = dict(zip(["gateway", *(spec.name for spec in SERVICES)], free_ports(1 + len(SERVICES)), strict=True))
    groups = {spec.name: f"{label}.{spec.name}.{suffix}" for spec in SERVICES if spec.consumes}
    # projects runs a second group beside its first, named after it (servicekit.consumer.serve).
    asyncio.run(_start_groups_at_end(kafka_bootstrap, {
        **dict.fromkeys(groups.values(), CONSUMED_TOPICS),
        f"{groups['projects']}.impact": IMPACT_TOPICS,
    }))
    badge_key = badge_signing_key(tokens)
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
        "RECOGNITION_BADGE_SIGNING_KEY_FILE": str(badge_key),
        "HEROES_PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        "GATEWAY_SUBGRAPHS": ",".join(f"{spec.name}={subgraph_address(spec, ports, copies)}" for spec in SERVICES),
        "GATEWAY_SUBGRAPH_TIMEOUT_SECONDS": "3",
        **{f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()},
        **{f"{name.upper()}_CONSUMER_NAME": group for name, group in groups.items()},
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    run_dir = Path(os.environ.get("HEROES_TEST_ROOT", REPO / ".local" / "pytest")) / f"{label}-{suffix}"
    supervisor = Supervisor(run_dir, env, REPO)
    try:
        wait_ready(supervisor, start_network(supervisor, ports, copies), timeout=90)
        with httpx.Client(timeout=30) as http:
            yield Network(
                gateway=f"http://127.0.0.1:{ports['gateway']}/graphql",
                subgraphs={spec.name: f"http://127.0.0.1:{ports[spec.name]}/graphql" for spec in SERVICES},
                tokens=tokens, supervisor=supervisor, http=http, admin=bootstrap_admin(env, tokens),
                env=env, run_dir=run_dir,
            )
    finally:
        supervisor.stop_all()
        for url in urls.values():
            _drop_quietly(url)


@pytest.fixture(scope="session")
def network_factory(database_server_url: str, kafka_bootstrap: str, tokens: Tokens
                  ) -> Callable[..., AbstractContextManager[Network]]:
    """Starts another whole network, e.g. for a package of tests that adds processes or demo data:
    `with network_factory("browser") as network: ...`. Its consumer groups start at the topics' ends
    when it starts, so events of networks stopped before it never reach it."""
    return lambda label, copies=1, env=None: running_network(database_server_url, kafka_bootstrap, tokens, label,
                                                             copies, env)


@pytest.fixture(scope="session")
def network(network_factory: Callable[..., AbstractContextManager[Network]]) -> Iterator[Network]:
    with network_factory("e2e") as network:
        yield network
