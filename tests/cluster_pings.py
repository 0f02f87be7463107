"""A small service for the cluster failure tests: its outbox, its relay and its consumers are the
real servicekit ones; its events (pings, numbered per key) and effects are made to be counted.

Run as a consumer: `python -m tests.cluster_pings consumer` with CLUSTERPINGS_DATABASE_URL,
HEROES_KAFKA_BOOTSTRAP_SERVERS, CLUSTER_TOPIC and CLUSTER_GROUP set.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from servicekit import outbox
from servicekit.consumer import BatchHandler, serve
from servicekit.db import create_engine, session_factory, transaction
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.migrations import MESSAGING_UPGRADE, _statements, ensure_database
from servicekit.settings import settings_for
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

SERVICE = "clusterpings"


class Ping(Event):
    topic: ClassVar[str] = "cluster.pings.v1"  # each test run names its own (CLUSTER_TOPIC)
    source: ClassVar[str] = "/cluster-test"
    name: ClassVar[str] = "cluster.ping"
    key: str
    n: int  # increasing per key: an effect with a smaller n after a larger one is an inversion


async def apply_pings(session: AsyncSession, items: list[tuple[Ping, Envelope]]) -> None:
    """The effect: one row per event, in the order applied, with the process that applied it."""
    await session.execute(
        text("INSERT INTO effects (event_id, key, n, applied_by) VALUES (:e, :k, :n, :p)"),
        [{"e": envelope.id, "k": event.key, "n": event.n, "p": os.getpid()} for event, envelope in items],
    )


async def prepare(url: str) -> None:
    await ensure_database(url)
    engine = create_engine(url, pool_size=1)
    async with engine.begin() as connection:
        for statement in _statements(MESSAGING_UPGRADE):
            await connection.execute(text(statement))
        await connection.execute(text(
            "CREATE TABLE effects (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id uuid NOT NULL, "
            "key text NOT NULL, n integer NOT NULL, applied_by integer NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT clock_timestamp())"
        ))
    await engine.dispose()


@dataclass
class Tally:
    """What the effects table says: the three zeros the tests want, and who applied what."""

    events: int
    effects: int
    distinct: int
    inversions: int
    appliers: dict[int, int]

    @property
    def lost(self) -> int:
        return self.events - self.distinct

    @property
    def doubled(self) -> int:
        return self.effects - self.distinct


async def tally(engine: AsyncEngine, events: int) -> Tally:
    async with engine.connect() as connection:
        effects, distinct = (await connection.execute(
            text("SELECT count(*), count(DISTINCT event_id) FROM effects"))).one()
        inversions = await connection.scalar(text(
            "SELECT count(*) FROM (SELECT n < max(n) OVER (PARTITION BY key ORDER BY seq ROWS BETWEEN "
            "UNBOUNDED PRECEDING AND 1 PRECEDING) AS inverted FROM effects) o WHERE inverted"))
        applied = (await connection.execute(
            text("SELECT applied_by, count(*) FROM effects GROUP BY applied_by"))).all()
    by_applier = {int(k): int(v) for k, v in applied}
    return Tally(events, int(effects), int(distinct), int(inversions or 0), by_applier)


class Writer:
    """Commits `total` pings over `keys` keys into the outbox, `per_transaction` at a time, at
    about `rate` events a second, as a busy service would."""

    def __init__(self, engine: AsyncEngine, keys: list[str], *, total: int, rate: float,
                 per_transaction: int = 25) -> None:
        self.sessions = session_factory(engine)
        self.keys, self.total, self.rate = keys, total, rate
        self.per_transaction = per_transaction
        self.written = 0
        self.ids: list[UUID] = []

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        counts = dict.fromkeys(self.keys, 0)
        while self.written < self.total:
            async with transaction(self.sessions) as session:
                for _ in range(min(self.per_transaction, self.total - self.written)):
                    key = self.keys[self.written % len(self.keys)]
                    counts[key] += 1
                    ping = Ping(key=key, n=counts[key])
                    self.ids.append(await outbox.add(session, ping, key=key))
                    self.written += 1
            await asyncio.sleep(max(0.0, started + self.written / self.rate - loop.time()))


def consumer_main() -> None:
    Ping.topic = os.environ["CLUSTER_TOPIC"]
    handlers: dict[type[Event], Any] = {Ping: BatchHandler(apply_pings)}
    asyncio.run(serve(settings_for(SERVICE), name=os.environ["CLUSTER_GROUP"], topics=[Ping.topic],
                      handlers=handlers))


if __name__ == "__main__":
    if sys.argv[1:] == ["consumer"]:
        consumer_main()
