from uuid import uuid4

import pytest
from pydantic import ValidationError
from servicekit import outbox
from servicekit.db import transaction
from sqlalchemy import text

from .conftest import Kit


class TestOutboxAtomicity:
    async def test_a_failure_before_commit_leaves_neither_business_row_nor_event(self, kit: Kit) -> None:
        widget = uuid4()

        async def write_then_fail() -> None:
            async with transaction(kit.sessions) as session:
                await session.execute(text("INSERT INTO widgets (id, name) VALUES (:i, 'w')"), {"i": widget})
                await outbox.add(session, kit.event(widget_id=widget, seq=1), key=widget)
                raise RuntimeError("failed after the write, before the commit")

        with pytest.raises(RuntimeError, match="after the write"):
            await write_then_fail()

        assert await kit.scalar("SELECT count(*) FROM widgets") == 0
        assert await kit.scalar("SELECT count(*) FROM outbox_messages") == 0

    async def test_a_commit_keeps_both_and_queues_the_event_by_aggregate_key(self, kit: Kit) -> None:
        widget = uuid4()

        async with transaction(kit.sessions) as session:
            await session.execute(text("INSERT INTO widgets (id, name) VALUES (:i, 'w')"), {"i": widget})
            message_id = await outbox.add(session, kit.event(widget_id=widget, seq=7), key=widget)

        async with kit.sessions() as session:
            [message] = await outbox.pending(session)
        assert await kit.scalar("SELECT count(*) FROM widgets") == 1
        assert message.id == message_id
        assert message.type == "network.heroes.kit.widget_changed.v1"
        assert message.key == str(widget)
        assert message.data == {"widget_id": str(widget), "seq": 7}

    def test_an_invalid_event_cannot_even_be_built(self, kit: Kit) -> None:
        with pytest.raises(ValidationError):
            kit.event(widget_id="not-a-uuid", seq=1)
