"""Event pipeline benchmark (not a test): raw Kafka produce vs outbox -> relay -> Kafka -> inbox consumer.

Run with `make bench-events` (isolated PostgreSQL and Kafka; `HEROES_KAFKA_BROKERS=3 make bench-events`
runs it on a three-broker cluster, topics with three copies and two in sync). In one run it prints:
  1. raw aiokafka produce-and-acknowledge throughput for 20,000 small messages;
  2. the same number of events committed to an outbox, sent by the relay process and applied
     by a consumer process with an inbox: throughput (commit of the first to effect of the last);
  3. their ratio;
  4. commit-to-effect latency p50/p95/p99 at 200 events/s offered load.
Targets (issue #2): pipeline >= 50% of raw; p99 commit-to-effect < 500 ms at 200 events/s.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import uuid4

from servicekit import outbox
from servicekit.consumer import BatchHandler, serve
from servicekit.db import create_engine, session_factory, transaction
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.kafka import TopicSpec, count_brokers, ensure_topics, new_producer
from servicekit.migrations import MESSAGING_UPGRADE, _statements, ensure_database
from servicekit.settings import ServiceSettings, database_url_for, settings_for
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

N = 20_000
RATE = 200  # events per second in the latency run
LATENCY_SECONDS = 15
SERVICE = "benchevents"
TOPIC = f"bench.events.{secrets.token_hex(3)}"
RAW_TOPIC = f"bench.raw.{secrets.token_hex(3)}"


class Ping(Event):
    topic: ClassVar[str] = TOPIC
    source: ClassVar[str] = "/bench"
    name: ClassVar[str] = "bench.ping"
    n: int


async def apply_pings(session: AsyncSession, items: list[tuple[Ping, Envelope]]) -> None:
    """The effect: one row per event, written as one multi-row insert per batch."""
    await session.execute(
        text("INSERT INTO effects (event_id, n, committed_at) VALUES (:e, :n, :t)"),
        [{"e": envelope.id, "n": event.n, "t": envelope.time} for event, envelope in items],
    )


def settings() -> ServiceSettings:
    return settings_for(SERVICE)


async def prepare(url: str, bootstrap: str) -> None:
    await ensure_database(url)
    engine = create_engine(url, pool_size=2)
    async with engine.begin() as connection:
        for statement in _statements(MESSAGING_UPGRADE):
            await connection.execute(text(statement))
        await connection.execute(text(
            "CREATE TABLE effects (event_id uuid PRIMARY KEY, n integer NOT NULL, "
            "committed_at timestamptz NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())"
        ))
    await engine.dispose()
    # On a cluster (HEROES_KAFKA_BROKERS=3), as the network's topics: three copies, two in sync,
    # for the raw baseline too, so the ratio compares like with like.
    brokers = await count_brokers(bootstrap)
    copies = min(3, brokers)
    config = {"min.insync.replicas": "2" if copies >= 3 else "1"}
    await ensure_topics(bootstrap, [TopicSpec(TOPIC, 6, copies, config), TopicSpec(f"{TOPIC}.dlq", 1, copies, config),
                                    TopicSpec(RAW_TOPIC, 6, copies, config)])
    print(f"Kafka: {brokers} broker(s); topics with {copies} copies, {config['min.insync.replicas']} in sync")


async def raw_produce(bootstrap: str) -> float:
    producer = new_producer(bootstrap, client_id="bench-raw")
    await producer.start()
    try:
        payload = b'{"n":0}'
        started = time.perf_counter()
        acks = [await producer.send(RAW_TOPIC, payload, key=str(uuid4()).encode()) for _ in range(N)]
        await asyncio.gather(*acks)
        return N / (time.perf_counter() - started)
    finally:
        await producer.stop()


async def effects_count(engine: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM effects"))).scalar_one())


async def published_count(engine: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(
            text("SELECT count(*) FROM outbox_messages WHERE published_at IS NOT NULL"))).scalar_one())


async def pipeline_throughput(url: str) -> tuple[float, float]:
    """(events/s from the commit to the last effect, events/s the writer committed at)."""
    engine = create_engine(url, pool_size=4)
    sessions = session_factory(engine)
    keys = [uuid4() for _ in range(200)]
    writing = time.perf_counter()
    async with sessions() as session:
        transaction_ = await session.begin()
        for n in range(N):
            await outbox.add(session, Ping(n=n), key=keys[n % len(keys)])
        write_rate = N / (time.perf_counter() - writing)
        started = time.perf_counter()
        await transaction_.commit()  # all 20,000 become visible to the relay at once
    relayed = None
    while await effects_count(engine) < N:
        if relayed is None and await published_count(engine) >= N:
            relayed = time.perf_counter() - started
        await asyncio.sleep(0.02)
    elapsed = time.perf_counter() - started
    await engine.dispose()
    print(f"  (the relay had sent all {N:,} after {relayed or elapsed:.2f} s; the last effect came at {elapsed:.2f} s)")
    return N / elapsed, write_rate


async def warm_up(url: str) -> None:
    """One event end to end, so the consumer has joined its group before any clock starts."""
    engine = create_engine(url, pool_size=1)
    async with transaction(session_factory(engine)) as session:
        await outbox.add(session, Ping(n=-1), key=uuid4())
    while await effects_count(engine) < 1:  # noqa: ASYNC110 - polls the database; no event to wait on
        await asyncio.sleep(0.05)
    async with engine.begin() as connection:
        await connection.execute(text("TRUNCATE effects"))
    await engine.dispose()


async def latency(url: str) -> list[float]:
    engine = create_engine(url, pool_size=4)
    sessions = session_factory(engine)
    async with engine.begin() as connection:
        await connection.execute(text("TRUNCATE effects"))
    total = RATE * LATENCY_SECONDS
    started = time.perf_counter()
    for n in range(total):
        await asyncio.sleep(max(0.0, started + n / RATE - time.perf_counter()))
        async with transaction(sessions) as session:
            await outbox.add(session, Ping(n=n), key=uuid4(), occurred_at=datetime.now(UTC))
    while await effects_count(engine) < total:  # noqa: ASYNC110 - polls the database; no event to wait on
        await asyncio.sleep(0.05)
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT extract(epoch FROM applied_at - committed_at) * 1000 FROM effects")
        )
        values = sorted(float(row[0]) for row in rows)
    await engine.dispose()
    return values


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000)[int(q * 10) - 1] if len(values) > 1 else values[0]


def start_process(role: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "servicekit.relay", SERVICE] if role == "relay" else [
        sys.executable, __file__, "consumer"
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


async def main() -> None:
    server = os.environ["HEROES_DATABASE_URL"]
    bootstrap = os.environ["HEROES_KAFKA_BOOTSTRAP_SERVERS"]
    url = database_url_for(server, f"bench_events_{secrets.token_hex(3)}")
    await prepare(url, bootstrap)
    env = {**os.environ, f"{SERVICE.upper()}_DATABASE_URL": url, "BENCH_TOPIC": TOPIC, "HEROES_LOG_LEVEL": "WARNING"}

    raw = await raw_produce(bootstrap)
    print(f"raw aiokafka produce+ack:        {raw:10,.0f} messages/s  ({N:,} messages)")

    processes = [start_process("relay", env), start_process("consumer", env)]
    try:
        await warm_up(url)
        pipeline, write_rate = await pipeline_throughput(url)
        print(f"outbox->relay->Kafka->inbox:      {pipeline:10,.0f} events/s    ({N:,} events, commit to last effect)")
        print(f"  (writer filled the outbox at {write_rate:,.0f} events/s in one transaction, before the clock)")
        print(f"ratio pipeline/raw:               {pipeline / raw:10.2f}   (target >= 0.50)")
        values = await latency(url)
        print(
            f"commit-to-effect at {RATE}/s:       p50 {percentile(values, 50):6.1f} ms   "
            f"p95 {percentile(values, 95):6.1f} ms   p99 {percentile(values, 99):6.1f} ms   (target p99 < 500 ms)"
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(20)


def consumer_main() -> None:
    Ping.topic = os.environ["BENCH_TOPIC"]
    asyncio.run(serve(settings(), name="bench.effects", topics=[Ping.topic],
                      handlers={Ping: BatchHandler(apply_pings)}))


if __name__ == "__main__":
    if sys.argv[1:] == ["consumer"]:
        consumer_main()
    else:
        asyncio.run(main())
