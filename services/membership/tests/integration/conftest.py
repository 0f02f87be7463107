"""A guard over the whole membership suite: no record it caused on Kafka carries personal data."""

from collections.abc import AsyncIterator

import pytest
from servicekit.relay import Relay
from servicekit.testing import eventually, header, read_topic
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ..conftest import CANARIES, scalar


@pytest.fixture(scope="session", autouse=True)
async def no_personal_data_on_kafka(relay: Relay, engine: AsyncEngine) -> AsyncIterator[None]:
    """After every test has run: all outbox rows sent, then every record scanned for canaries."""
    yield

    async def all_sent() -> bool:
        unsent: int = await scalar(engine, "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL")
        return unsent == 0

    await eventually(all_sent, timeout=30)
    async with engine.connect() as connection:
        sent = {str(i) for i in (await connection.execute(text("SELECT id FROM outbox_messages"))).scalars()}
    records = await read_topic(
        relay.bootstrap, "membership.events.v1", until=lambda rs: sent <= {header(r, "ce_id") for r in rs}
    )
    assert len(CANARIES) > 50, "the suite should have planted canaries"
    leaks = [
        (record.offset, canary)
        for record in records
        for canary in CANARIES
        if canary.encode() in record.value + (record.key or b"") + b"".join(v for _, v in record.headers)
    ]
    assert leaks == []
