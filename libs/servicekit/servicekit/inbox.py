"""Idempotent consumption: one inbox row per (consumer, message id), written with the effect."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Column, DateTime, Table, Text, func, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID  # noqa: N811 - a column type, not a constant
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.outbox import metadata

inbox_messages = Table(
    "inbox_messages",
    metadata,
    Column("consumer", Text, primary_key=True),
    Column("message_id", PgUUID(as_uuid=True), primary_key=True),
    Column("type", Text, nullable=False, server_default=""),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


async def claim(
    session: AsyncSession, *, consumer: str, message_id: UUID, type: str = ""
) -> bool:
    """True the first time `consumer` sees `message_id`, False on redelivery.

    Must run in the same transaction as the message's effects: if they roll
    back, so does the claim, and the message will be applied when redelivered.
    """
    stmt = (
        pg_insert(inbox_messages)
        .values(consumer=consumer, message_id=message_id, type=type)
        .on_conflict_do_nothing(index_elements=["consumer", "message_id"])
        .returning(inbox_messages.c.message_id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def claim_many(
    session: AsyncSession, *, consumer: str, messages: list[tuple[UUID, str]]
) -> set[UUID]:
    """Claim several (message id, type) pairs in one statement; returns the ids claimed now.

    Ids already in the inbox (redeliveries) are left out of the result. Two
    array parameters keep the statement the same whatever the batch size, so it
    is prepared once instead of compiled per batch.
    """
    if not messages:
        return set()
    result = await session.execute(
        _CLAIM_MANY,
        {"consumer": consumer, "ids": [mid for mid, _ in messages], "types": [kind for _, kind in messages]},
    )
    return set(result.scalars())


_CLAIM_MANY = text(
    "INSERT INTO inbox_messages (consumer, message_id, type) "
    "SELECT :consumer, m.id, m.type FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) AS m(id, type) "
    "ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id"
)
