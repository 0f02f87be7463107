"""Fixtures for servicekit's integration tests: a migrated test database and a topic per test."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest
from servicekit import outbox
from servicekit.consumer import ConsumerRunner
from servicekit.db import create_engine, session_factory, transaction
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.kafka import TopicSpec, ensure_topics, new_producer
from servicekit.relay import Relay
from servicekit.testing import migrated_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

KIT_DIR = Path(__file__).parent / "kit"


class WidgetChanged(Event):
    """The test event; each test binds it to a topic of its own (see `Kit.event`)."""

    topic: ClassVar[str] = "kit.events.v1"
    source: ClassVar[str] = "/kit"
    name: ClassVar[str] = "kit.widget_changed"
    widget_id: UUID
    seq: int


@dataclass
class Kit:
    """One test's world: its own database and topic, and helpers to drive them."""

    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bootstrap: str
    topic: str
    event: type[WidgetChanged]
    tasks: list[tuple[asyncio.Event, asyncio.Task[None]]] = field(default_factory=list)

    async def commit_event(self, widget_id: UUID, seq: int) -> UUID:
        async with transaction(self.sessions) as session:
            return await outbox.add(session, self.event(widget_id=widget_id, seq=seq), key=widget_id)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.engine.connect() as connection:
            return (await connection.execute(text(sql), params)).scalar()

    async def effects(self, consumer: str) -> list[tuple[UUID, str, int]]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT event_id, key, seq FROM effects WHERE consumer = :c ORDER BY id"), {"c": consumer}
            )
            return [(row[0], row[1], row[2]) for row in rows]

    def relay(self, **overrides: Any) -> Relay:
        values: dict[str, Any] = {"service": f"kit-{self.topic}", "database_url": self.url, "bootstrap": self.bootstrap}
        values.update(overrides)
        return Relay(**values)

    def consumer(self, name: str = "kit.effects", *, sessions: async_sessionmaker[AsyncSession] | None = None,
                 **overrides: Any) -> ConsumerRunner:
        values: dict[str, Any] = {
            "name": f"{name}.{self.topic}",
            "bootstrap": self.bootstrap,
            "sessions": sessions or self.sessions,
            "topics": [self.topic],
            "handlers": {self.event: record_effect(f"{name}.{self.topic}")},
            "max_backoff": 0.5,
        }
        values.update(overrides)
        return ConsumerRunner(**values)

    def start(self, runner: Relay | ConsumerRunner) -> asyncio.Task[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        self.tasks.append((stop, task))
        return task

    async def stop(self, task: asyncio.Task[None]) -> None:
        for stop, running in self.tasks:
            if running is task:
                stop.set()
        await asyncio.wait_for(task, 30)

    async def send_raw(self, *, key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> None:
        producer = new_producer(self.bootstrap, client_id="kit-raw")
        await producer.start()
        try:
            await producer.send_and_wait(self.topic, value, key=key, headers=headers)
        finally:
            await producer.stop()

    async def send_event(self, event: Event, *, key: UUID, event_id: UUID | None = None,
                         type_override: str | None = None) -> Envelope:
        from datetime import UTC, datetime

        envelope = Envelope(
            id=event_id or uuid4(), source="/kit", type=type_override or event.ce_type(),
            time=datetime.now(UTC), key=str(key), data=event.to_payload(),
        )
        await self.send_raw(key=str(key).encode(), value=envelope.value(), headers=envelope.headers())
        return envelope


def record_effect(consumer: str) -> Callable[[AsyncSession, Any, Envelope], Awaitable[None]]:
    async def handle(session: AsyncSession, event: WidgetChanged, envelope: Envelope) -> None:
        if event.seq < 0:
            raise ValueError("this widget change can never be applied")
        await session.execute(
            text("INSERT INTO effects (consumer, event_id, key, seq) VALUES (:c, :e, :k, :s)"),
            {"c": consumer, "e": envelope.id, "k": envelope.key, "s": event.seq},
        )

    return handle


@pytest.fixture
def kit_url(database_server_url: str) -> Iterator[str]:
    with migrated_database(database_server_url, KIT_DIR, "kit") as url:
        yield url


@pytest.fixture
async def kit(kit_url: str, kafka_bootstrap: str) -> AsyncIterator[Kit]:
    topic = f"kit.{secrets.token_hex(4)}"
    await ensure_topics(kafka_bootstrap, [TopicSpec(topic, 3), TopicSpec(f"{topic}.dlq", 1)])
    engine = create_engine(kit_url, pool_size=5)
    event = type("WidgetChanged", (WidgetChanged,), {"topic": topic})
    world = Kit(kit_url, engine, session_factory(engine), kafka_bootstrap, topic, event)
    try:
        yield world
    finally:
        for stop, _ in world.tasks:
            stop.set()
        for _, task in world.tasks:
            # A test may have left a task failing; cleanup goes on.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 30)
        await engine.dispose()
