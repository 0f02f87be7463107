"""The demo seed makes a year of history through the real use cases, the same on every run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from membership import seed
from membership.seed_history import month_start
from servicekit.db import create_engine
from servicekit.testing import migrated_database
from sqlalchemy import text

from ..conftest import SERVICE_DIR

CLOSED = "network.heroes.membership.pulse_month_closed.v1"
RIVERSIDE, VOICE, COUNCIL = (str(seed.demo_id(slug)) for slug in (
    "org:riverside", "org:northvale-voice", "org:northvale-council"))


@pytest.fixture(scope="module")
def seed_url(database_server_url: str) -> Iterator[str]:
    """A database of its own: the seed's counts are exact only where nothing else writes."""
    with migrated_database(database_server_url, SERVICE_DIR, "membership_seed") as url:
        yield url


async def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(sql))]
    finally:
        await engine.dispose()


def month(offset: int) -> str:
    """YYYY-MM of the month `offset` months from this one (the history counts back from it)."""
    return month_start(datetime.now(UTC), offset).strftime("%Y-%m")


class TestDemoHistory:
    async def test_the_seed_makes_a_year_of_history_once(self, seed_url: str) -> None:
        reported = await seed.seed(seed_url)
        outbox_after_first = await rows(seed_url, "SELECT count(*) FROM outbox_messages")

        again = await seed.seed(seed_url)

        assert again == reported
        assert await rows(seed_url, "SELECT count(*) FROM outbox_messages") == outbox_after_first
        by_type = await rows(seed_url, "SELECT organisation_id::text, member_type, count(*) FROM members "
                                       "WHERE status = 'active' GROUP BY 1, 2 ORDER BY 1, 2")
        assert sorted(by_type) == sorted([
            (RIVERSIDE, "staff_clinical", 7), (RIVERSIDE, "staff_non_clinical", 4),
            (RIVERSIDE, "service_user", 4), (RIVERSIDE, "carer", 1),
            (VOICE, "community_partner", 3), (VOICE, "service_user", 2), (VOICE, "carer", 3),
            (COUNCIL, "staff_non_clinical", 4), (COUNCIL, "service_user", 1), (COUNCIL, "carer", 1),
        ])
        joined = await rows(seed_url, "SELECT organisation_id::text, to_char(joined_at, 'YYYY-MM'), count(*) "
                                      "FROM members GROUP BY 1, 2")
        # The demo accounts were founded a year ago, with the first heroes; then one hero a month.
        assert sorted(joined) == sorted(
            [(RIVERSIDE, month(-12), 5)] + [(RIVERSIDE, month(m), 1) for m in range(-11, 0)]
            + [(VOICE, month(-12), 3)] + [(VOICE, month(m), 1) for m in range(-11, -6)]
            + [(COUNCIL, month(m), 1) for m in range(-6, 0)]
        )
        assert await rows(seed_url, "SELECT level, count(*) FROM member_levels GROUP BY 1 ORDER BY 1") == [
            (1, 21), (2, 8), (3, 2)]
        assert await rows(seed_url, "SELECT count(*) FROM training_completions") == [(95,)]
        assert await rows(seed_url, "SELECT count(*), count(ended_at), count(*) FILTER "
                                    "(WHERE crosses_organisations) FROM pairings") == [(9, 2, 5)]
        closed = await rows(seed_url, "SELECT key, payload FROM outbox_messages WHERE type = "  # noqa: S608 - a constant
                                      f"'{CLOSED}' ORDER BY position")
        riverside = [(p["month"], p["responses"], p["energised_and_empowered"]) for k, p in closed if k == RIVERSIDE]
        voice = [(p["month"], p["responses"], p["energised_and_empowered"]) for k, p in closed if k == VOICE]
        assert riverside == [(month(m), responses, energised) for m, responses, energised in (
            (-9, 6, 2), (-8, 7, 2), (-7, 8, 3), (-6, 7, 3), (-5, 8, 4), (-4, 9, 5), (-3, 9, 6), (-2, 10, 7),
            (-1, 10, 8))]
        assert voice == [(month(m), 3, None) for m in range(-9, 0)]
        assert len(closed) == 18  # none for Northvale Borough Council: nobody there answered
        assert await rows(seed_url, "SELECT count(*) FROM pulse_responses") == [(101,)]
