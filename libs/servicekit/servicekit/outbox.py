"""Transactional outbox: events are written in the caller's transaction and sent later by the relay."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Table,
    Text,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID  # noqa: N811 - a column type, not a constant
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit import clock, telemetry
from servicekit.db import new_metadata
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.tracing import current_traceparent

metadata = new_metadata()

NOTIFY_CHANNEL = "servicekit_outbox"

outbox_messages = Table(
    "outbox_messages",
    metadata,
    Column("id", PgUUID(as_uuid=True), primary_key=True),
    # Commit order is not id order; the relay sends by position (a bigserial).
    Column("position", BigInteger, Identity(always=True), nullable=False, unique=True),
    Column("topic", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("traceparent", Text),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Index(
        "ix_outbox_messages_unpublished",
        "position",
        postgresql_where=text("published_at IS NULL"),
    ),
)


async def add(
    session: AsyncSession,
    event: Event,
    *,
    key: UUID | str,
    occurred_at: datetime | None = None,
) -> UUID:
    """Queue `event` for Kafka inside the caller's open transaction.

    The payload is validated now, so a bad event fails the business write too.
    `key` is the aggregate id: every event of one aggregate lands on one
    partition, in order. Returns the message id (the CloudEvents `ce_id`).
    """
    message_id = uuid4()
    # The row carries the trace on: the relay's send span will be this span's child.
    with telemetry.span(f"outbox {event.name}", attributes={"messaging.destination.name": event.topic,
                                                            "messaging.message.id": str(message_id)}):
        await session.execute(
            insert(outbox_messages).values(
                id=message_id,
                topic=event.topic,
                key=str(key),
                type=event.ce_type(),
                source=event.source,
                payload=event.to_payload(),
                traceparent=current_traceparent(),
                occurred_at=occurred_at or clock.utcnow(),
            )
        )
    return message_id


async def pending(session: AsyncSession, *, limit: int = 1000) -> list[Envelope]:
    """Unpublished messages in send order (tests and diagnostics)."""
    rows = (
        await session.execute(
            select(outbox_messages)
            .where(outbox_messages.c.published_at.is_(None))
            .order_by(outbox_messages.c.position)
            .limit(limit)
        )
    ).mappings()
    return [
        Envelope(
            id=row["id"],
            source=row["source"],
            type=row["type"],
            time=row["occurred_at"],
            key=row["key"],
            data=row["payload"],
            traceparent=row["traceparent"],
        )
        for row in rows
    ]


async def backlog(session: AsyncSession) -> int:
    """How many messages wait to be sent (a metric)."""
    result = await session.execute(
        text("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL")
    )
    return int(result.scalar_one())
