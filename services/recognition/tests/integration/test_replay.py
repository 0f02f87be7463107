"""Replaying membership and projects events gives exactly the expected awards, every time."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from recognition.rebuild import wipe_derived
from servicekit.db import create_engine, session_factory, transaction
from servicekit.kafka import reset_offsets
from servicekit.testing import eventually
from sqlalchemy.ext.asyncio import AsyncEngine

from ..scenario import EXPECTED_AWARDS, World, fixed_sequence
from ..support import Consumer, Databases, Publisher, Sent, Topics, digest, rows

pytestmark = pytest.mark.asyncio(loop_scope="session")


@dataclass
class Replay:
    world: World
    sent: list[Sent]
    topics: Topics


@pytest.fixture(scope="module")
async def replay(kafka_bootstrap: str) -> Replay:
    """The fixed sequence, published once to topics of this module."""
    topics = await Topics.create(kafka_bootstrap, f"r{secrets.token_hex(3)}")
    world = fixed_sequence(World("replay"))
    async with Publisher.started(kafka_bootstrap, topics) as publisher:
        sent = [
            await publisher.publish(step.event, key=step.key, event_id=step.event_id)
            for step in world.steps
        ]
    return Replay(world, sent, topics)


@pytest.fixture
async def fresh(databases: Databases) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(await databases.new("replay"), pool_size=3)
    yield engine
    await engine.dispose()


async def consume(
    engine: AsyncEngine, bootstrap: str, topics: Topics, expected: int, name: str | None = None
) -> str:
    """Run a consumer until it has seen `expected` messages; returns its name (group and inbox)."""
    consumer = Consumer(
        bootstrap, session_factory(engine), topics, name=name or f"replay.{secrets.token_hex(3)}"
    )
    await consumer.start()
    try:
        await consumer.seen(expected)
    finally:
        await consumer.stop()
    return consumer.name


async def awards_by_label(engine: AsyncEngine, world: World) -> set[tuple[object, ...]]:
    found = await rows(
        engine,
        "SELECT r.slug, a.recipient, a.recipient_id, a.evidence FROM awards a "
        "JOIN recognition_rules r ON r.id = a.rule_id",
    )
    return {
        (
            slug,
            recipient,
            world.label_of(recipient_id),
            tuple(world.label_of(event) for event in evidence),
        )
        for slug, recipient, recipient_id, evidence in found
    }


class TestReplay:
    async def test_the_fixed_sequence_gives_exactly_the_expected_awards(
        self, replay: Replay, fresh: AsyncEngine, kafka_bootstrap: str
    ) -> None:
        await consume(fresh, kafka_bootstrap, replay.topics, len(replay.sent))

        assert await awards_by_label(fresh, replay.world) == EXPECTED_AWARDS
        anonymised = await rows(
            fresh, "SELECT count(*) FROM awards WHERE anonymised_at IS NOT NULL"
        )
        assert anonymised == [(1,)]

    async def test_consuming_it_twice_changes_nothing_even_without_the_inbox(
        self, replay: Replay, fresh: AsyncEngine, kafka_bootstrap: str
    ) -> None:
        await consume(fresh, kafka_bootstrap, replay.topics, len(replay.sent))
        first = await digest(fresh)
        announced = await rows(fresh, "SELECT count(*) FROM outbox_messages")

        # A consumer of another name has its own inbox, so every event is applied a second time.
        await consume(fresh, kafka_bootstrap, replay.topics, len(replay.sent))

        assert await digest(fresh) == first
        assert await rows(fresh, "SELECT count(*) FROM outbox_messages") == announced

    async def test_another_database_replaying_the_topics_gets_the_same_tables(
        self, replay: Replay, fresh: AsyncEngine, databases: Databases, kafka_bootstrap: str
    ) -> None:
        await consume(fresh, kafka_bootstrap, replay.topics, len(replay.sent))
        other = create_engine(await databases.new("replay-again"), pool_size=3)
        try:
            await consume(other, kafka_bootstrap, replay.topics, len(replay.sent))
            assert await digest(other) == await digest(fresh)
        finally:
            await other.dispose()

    async def test_duplicates_and_a_restart_in_the_middle_give_the_same_tables(
        self, replay: Replay, fresh: AsyncEngine, databases: Databases, kafka_bootstrap: str
    ) -> None:
        reference = create_engine(await databases.new("reference"), pool_size=3)
        try:
            await consume(reference, kafka_bootstrap, replay.topics, len(replay.sent))
            expected = await digest(reference)
        finally:
            await reference.dispose()
        topics = await Topics.create(kafka_bootstrap, f"d{secrets.token_hex(3)}")
        half = len(replay.sent) // 2
        name = f"restart.{secrets.token_hex(3)}"

        async with Publisher.started(kafka_bootstrap, topics) as publisher:
            await publisher.replay(replay.sent[:half])
            await publisher.replay(replay.sent[: half // 2])  # duplicates: same CloudEvents ids
            await consume(fresh, kafka_bootstrap, topics, half + half // 2, name=name)
            await publisher.replay(replay.sent[half:])
            await publisher.replay(replay.sent[half - 3 :])  # more duplicates, across the restart
        # Restarted under the same name: it resumes from its committed offsets.
        restarted = Consumer(kafka_bootstrap, session_factory(fresh), topics, name=name)
        await restarted.start()
        try:
            await eventually(lambda: _equal(fresh, expected), timeout=20)
        finally:
            await restarted.stop()

        assert await digest(fresh) == expected
        assert await rows(fresh, "SELECT count(*) FROM inbox_messages") == [(len(replay.sent),)]

    async def test_rebuilding_from_the_topics_after_a_wipe_reproduces_the_awards(
        self, replay: Replay, fresh: AsyncEngine, kafka_bootstrap: str
    ) -> None:
        name = await consume(fresh, kafka_bootstrap, replay.topics, len(replay.sent))
        before = await digest(fresh)

        async with transaction(session_factory(fresh)) as session:
            await wipe_derived(session, consumer=name)
        assert await rows(fresh, "SELECT count(*) FROM awards") == [(0,)]
        await reset_offsets(kafka_bootstrap, name, replay.topics.names)
        rebuilt = Consumer(kafka_bootstrap, session_factory(fresh), replay.topics, name=name)
        await rebuilt.start()
        try:
            await eventually(lambda: _equal(fresh, before), timeout=20)
        finally:
            await rebuilt.stop()

        assert await awards_by_label(fresh, replay.world) == EXPECTED_AWARDS


async def _equal(engine: AsyncEngine, expected: str) -> bool:
    assert await digest(engine) == expected
    return True
