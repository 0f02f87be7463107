"""The clock a demo seed sets: only inside the block, only for the task that set it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from servicekit.clock import clock_at, utcnow


def test_the_clock_reads_the_set_moment_inside_the_block_only() -> None:
    then = datetime(2025, 12, 1, 9, 30, tzinfo=UTC)

    with clock_at(then):
        inside = utcnow()
    after = utcnow()

    assert inside == then
    assert abs(after - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_naive_moment_is_refused() -> None:
    naive = datetime(2025, 12, 1)  # noqa: DTZ001 - the naive moment under test
    with pytest.raises(ValueError, match="timezone-aware"), clock_at(naive):
        pass


def test_another_task_keeps_the_real_clock() -> None:
    then = datetime(2025, 1, 1, tzinfo=UTC)
    seen: dict[str, datetime] = {}

    async def main() -> None:
        entered, read = asyncio.Event(), asyncio.Event()

        async def seeding() -> None:
            with clock_at(then):
                entered.set()
                await read.wait()
                seen["seed"] = utcnow()

        async def serving() -> None:
            await entered.wait()
            seen["request"] = utcnow()
            read.set()

        await asyncio.gather(seeding(), serving())

    asyncio.run(main())

    assert seen["seed"] == then
    assert seen["request"].year >= 2026
