"""Test helpers: database copies, our own topics, a CloudEvents publisher and a live consumer."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from recognition.handlers import HANDLERS
from recognition.inbound import MEMBERSHIP_TOPIC, PROJECTS_TOPIC
from recognition.service.rules import load_rules_file, sync_network_rules
from recognition.settings import RULES_FILE
from servicekit.consumer import ConsumerRunner
from servicekit.db import create_engine, session_factory, transaction
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.kafka import TopicSpec, ensure_topics, new_producer
from servicekit.settings import database_url_for, to_asyncpg_dsn
from servicekit.testing import Tokens, eventually
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .scenario import World


class Databases:
    """Fresh recognition databases, each a copy of one migrated template (CREATE ... TEMPLATE)."""

    def __init__(self, template_url: str) -> None:
        self.template_url = template_url
        self.template = make_url(template_url).database
        self.created: list[str] = []

    async def new(self, prefix: str, *, with_rules: bool = True) -> str:
        name = f"test_recognition_{prefix}_{secrets.token_hex(3)}"
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        url = database_url_for(self.template_url, name)
        self.created.append(url)
        if with_rules:
            await sync_rules(url)
        return url

    async def drop_all(self) -> None:
        for url in self.created:
            await self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    async def _admin(self, sql: str) -> None:
        admin = make_url(to_asyncpg_dsn(self.template_url)).set(database="postgres")
        connection = await asyncpg.connect(admin.render_as_string(hide_password=False), timeout=10)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()


async def sync_rules(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with transaction(session_factory(engine)) as session:
            await sync_network_rules(session, load_rules_file(Path(RULES_FILE)), datetime.now(UTC))
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Topics:
    """Our own membership and projects topics (3 partitions each, with DLQ twins)."""

    suffix: str
    membership: str
    projects: str

    @classmethod
    async def create(cls, bootstrap: str, suffix: str) -> Topics:
        topics = cls(suffix, f"{MEMBERSHIP_TOPIC}.{suffix}", f"{PROJECTS_TOPIC}.{suffix}")
        specs = [TopicSpec(name, 3) for name in topics.names] + [
            TopicSpec(f"{name}.dlq", 1) for name in topics.names
        ]
        await ensure_topics(bootstrap, specs)
        return topics

    @property
    def names(self) -> tuple[str, str]:
        return (self.membership, self.projects)

    def for_event(self, event: Event) -> str:
        return self.membership if event.topic == MEMBERSHIP_TOPIC else self.projects


@dataclass
class Sent:
    """An event as published: its CloudEvents id and its key."""

    event: Event
    envelope: Envelope


class Publisher:
    """Publishes events as a relay does: CloudEvents headers, JSON value, aggregate id as key."""

    def __init__(self, producer: Any, topics: Topics) -> None:
        self.producer = producer
        self.topics = topics

    @classmethod
    @contextlib.asynccontextmanager
    async def started(cls, bootstrap: str, topics: Topics) -> AsyncIterator[Publisher]:
        producer = new_producer(bootstrap, client_id=f"recognition-tests-{topics.suffix}")
        await producer.start()
        try:
            yield cls(producer, topics)
        finally:
            await producer.stop()

    async def publish(self, event: Event, *, key: UUID, event_id: UUID | None = None) -> Sent:
        envelope = Envelope(
            id=event_id or uuid4(),
            source=event.source,
            type=event.ce_type(),
            time=datetime.now(UTC),
            key=str(key),
            data=event.to_payload(),
        )
        await self.producer.send_and_wait(
            self.topics.for_event(event),
            envelope.value(),
            key=envelope.key.encode(),
            headers=envelope.headers(),
        )
        return Sent(event, envelope)

    async def replay(self, sent: list[Sent]) -> None:
        """Send already-published events again with their original ids (duplicates)."""
        for item in sent:
            envelope = item.envelope
            await self.producer.send_and_wait(
                self.topics.for_event(item.event),
                envelope.value(),
                key=envelope.key.encode(),
                headers=envelope.headers(),
            )


@dataclass
class Consumer:
    """A recognition consumer (servicekit's runner, recognition's handlers) as a background task."""

    bootstrap: str
    sessions: async_sessionmaker[AsyncSession]
    topics: Topics
    name: str
    runner: ConsumerRunner | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._stop = asyncio.Event()
        self.runner = ConsumerRunner(
            name=self.name,
            bootstrap=self.bootstrap,
            sessions=self.sessions,
            topics=list(self.topics.names),
            handlers=HANDLERS,
            max_backoff=0.5,
        )
        self._task = asyncio.create_task(self.runner.run(self._stop))
        await asyncio.wait_for(self.runner.assigned.wait(), 30)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, 30)

    def count(self) -> int:
        """Messages seen so far (applied or recognised as duplicates)."""
        assert self.runner is not None
        return self.runner.stats.applied + self.runner.stats.duplicates

    async def seen(self, count: int, within: float = 20) -> None:
        """Wait until the consumer has seen `count` messages (applied, or known duplicates)."""

        async def check() -> bool:
            assert self.runner is not None
            stats = self.runner.stats
            assert stats.dead_lettered == 0, stats
            assert stats.applied + stats.duplicates >= count, stats
            return True

        await eventually(check, timeout=within)


async def play(publisher: Publisher, consumer: Consumer, steps: list[Any]) -> None:
    """Publish scenario steps and wait until the running consumer has applied them."""
    before = consumer.count()
    for step in steps:
        await publisher.publish(step.event, key=step.key, event_id=step.event_id)
    await consumer.seen(before + len(steps))


DIGEST_QUERIES = (
    "SELECT id, rule_id, recipient, recipient_id, project_id, evidence, awarded_at, anonymised_at "
    "FROM awards ORDER BY id",
    "SELECT rule_id, recipient, recipient_id, evidence::text FROM rule_progress ORDER BY 1, 2, 3",
    "SELECT id, kind, title, member_id, project_id, context_project_id, award_id, posted_at "
    "FROM celebrations WHERE kind = 'badge' ORDER BY id",
    "SELECT member_id, organisation_id, visibility, visibility_at, status, status_at, erased_at "
    "FROM projected_members ORDER BY member_id",
    "SELECT project_id, organisation_id, visibility, visibility_at, stage "
    "FROM projected_projects ORDER BY 1",
    "SELECT project_id, member_id, roles FROM project_team ORDER BY 1, 2",
    "SELECT award_id, project_id, event_id, credited_at FROM award_projects ORDER BY 1, 2",
)


async def digest(engine: AsyncEngine) -> str:
    """A fingerprint of everything recognition derives from events (awards, progress, projections).

    Reads as "<table>:<hash> ..." so a mismatch shows which table differs.
    """
    parts = []
    async with engine.connect() as connection:
        for query in DIGEST_QUERIES:
            hasher = hashlib.sha256()
            for row in await connection.execute(text(query)):
                hasher.update(repr(tuple(row)).encode())
            table = query.split(" FROM ")[1].split()[0]
            parts.append(f"{table}:{hasher.hexdigest()[:12]}")
    return " ".join(parts)


async def rows(engine: AsyncEngine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql), params)]


@dataclass
class People:
    """Tokens for the members of a scenario world (see scenario.two_organisations)."""

    world: World
    tokens: Tokens
    orgs: dict[str, str]

    def id(self, label: str) -> UUID:
        return self.world.id(label)

    def token(self, member: str, *roles: str) -> str:
        return self.tokens.mint(
            self.id(member), self.id(self.orgs[member]), roles=roles or ("hero",)
        )

    def coordinator(self, member: str) -> str:
        return self.token(member, "hero", "coordinator")
