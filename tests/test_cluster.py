"""The design holds on a cluster: three KRaft brokers (as `HEROES_KAFKA_BROKERS=3` runs them),
topics with three copies and two in sync, and a burst of 5,000 events over 200 keys through the
real outbox, relay and consumers, while a broker, a consumer or the active relay is taken away.

Each failure must lose nothing, apply nothing twice and keep each key's events in order: counted
from the consumers' effects table and from the topic read back. Catch-up times are printed.
Run alone with `make test ARGS="-m cluster"`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest
from aiokafka.errors import KafkaError
from aiokafka.partitioner import DefaultPartitioner
from devstack.processes import RestartPolicy, Supervisor
from devstack.servers import start_kafka_cluster
from devstack.services import REPO
from servicekit import outbox
from servicekit.db import create_engine, session_factory, transaction
from servicekit.kafka import TopicSpec, ensure_topics, new_admin
from servicekit.settings import database_url_for
from servicekit.testing import eventually, header, read_topic
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from .cluster_pings import SERVICE, Ping, Writer, prepare, tally

pytestmark = [pytest.mark.slow, pytest.mark.cluster, pytest.mark.asyncio(loop_scope="session")]

BROKERS = 3
EVENTS, KEYS, PARTITIONS = 5_000, 200, 6
RATE = 600  # events a second: the burst lasts about eight seconds
FAIL_AFTER = 1_500  # the failure comes this far into the burst
_PARTITIONER = DefaultPartitioner()  # the relay's: murmur2 of the key, as Java clients
QUICK = RestartPolicy(first_delay=2.0, max_delay=5.0, stable_after=10, check_every=0.2)


@dataclass
class Cluster:
    supervisor: Supervisor
    bootstrap: str
    nodes: dict[int, str]  # node id -> supervised program name


@pytest.fixture(scope="module")
def cluster_root() -> Iterator[Path]:
    base = Path(os.environ.get("HEROES_TEST_ROOT", REPO / ".local" / "pytest"))
    folder = base / f"cluster-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(cluster_root: Path) -> Iterator[Cluster]:
    """Three brokers started as `make run` starts them with HEROES_KAFKA_BROKERS=3, supervised:
    a broker killed here is brought back by the supervisor, with its data."""
    supervisor = Supervisor(cluster_root / "run", dict(os.environ), REPO, policy=QUICK)
    try:
        nodes = start_kafka_cluster(cluster_root, BROKERS, supervisor, heap="384m")
        supervisor.watch()
        yield Cluster(supervisor, ",".join(node.bootstrap for node in nodes),
                      {node.node_id: node.name for node in nodes})
    finally:
        supervisor.stop_all()


@dataclass
class Pipeline:
    """One test's own database, topic, relays and consumers over the cluster."""

    cluster: Cluster
    engine: AsyncEngine
    url: str
    topic: str
    group: str
    env: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    expected: list[str] = field(default_factory=list)

    def start(self, name: str) -> subprocess.Popen[bytes]:
        command = ([sys.executable, "-m", "servicekit.relay", SERVICE] if name.startswith("relay")
                   else [sys.executable, "-m", "tests.cluster_pings", "consumer"])
        log = (Path(self.env["CLUSTER_LOGS"]) / f"{name}.log").open("ab")
        process = subprocess.Popen(command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        self.processes[name] = process
        return process

    async def warm(self) -> None:
        """One event through the whole pipeline: every consumer has joined before the clock starts."""
        async with transaction(session_factory(self.engine)) as session:
            self.expected.append(str(await outbox.add(session, Ping(key="warm-up", n=1), key="warm-up")))

        async def through() -> bool:
            found = await tally(self.engine, 1)
            assert found.distinct == 1, found
            return True
        await eventually(through, timeout=90, interval=0.2)

    async def burst(self, failure: object) -> tuple[Writer, float]:
        """5,000 events over 200 keys; `failure()` runs 1,500 events in, while writing goes on.
        Returns the writer and the catch-up time (end of writing to the last effect)."""
        keys = [f"key-{k:03d}" for k in range(KEYS)]
        writer = Writer(self.engine, keys, total=EVENTS, rate=RATE)
        writing = asyncio.create_task(writer.run())
        await eventually(lambda: _past(writer, FAIL_AFTER), timeout=60, interval=0.05)
        await failure()  # type: ignore[operator]
        await asyncio.wait_for(writing, 120)
        written_at = time.monotonic()
        self.expected += [str(i) for i in writer.ids]

        async def all_applied() -> bool:
            found = await tally(self.engine, len(self.expected))
            assert found.distinct == len(self.expected), f"{found.distinct} of {len(self.expected)} applied"
            return True
        await eventually(all_applied, timeout=180, interval=0.25)
        return writer, time.monotonic() - written_at

    async def topic_read_back(self) -> tuple[int, int]:
        """(events missing from the topic, per-key inversions in it), duplicates of a record set aside."""
        wanted = set(self.expected)
        records = await read_topic(self.cluster.bootstrap, self.topic, timeout=90,
                                   until=lambda rs: wanted <= {header(r, "ce_id") for r in rs})
        seen: set[str] = set()
        last: dict[str, int] = {}
        inversions = 0
        for record in sorted(records, key=lambda r: (r.partition, r.offset)):
            message_id = header(record, "ce_id") or ""
            if message_id in seen:
                continue
            seen.add(message_id)
            ping = json.loads(record.value or b"{}")
            if ping["n"] < last.get(ping["key"], 0):
                inversions += 1
            last[ping["key"]] = ping["n"]
        return len(wanted - seen), inversions

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(20)
            if process.poll() is None:
                process.kill()


async def _past(writer: Writer, count: int) -> bool:
    return writer.written >= count


@pytest.fixture
async def pipeline(cluster: Cluster, database_server_url: str, cluster_root: Path) -> AsyncIterator[Pipeline]:
    suffix = secrets.token_hex(3)
    url = database_url_for(database_server_url, f"cluster_{suffix}")
    await prepare(url)
    topic = f"cluster.pings.{suffix}"
    await ensure_topics(cluster.bootstrap, [
        TopicSpec(topic, PARTITIONS, replication_factor=3, config={"min.insync.replicas": "2"}),
        TopicSpec(f"{topic}.dlq", 1, replication_factor=3, config={"min.insync.replicas": "2"}),
    ])
    Ping.topic = topic
    logs = cluster_root / f"logs-{suffix}"
    logs.mkdir()
    env = {**os.environ, f"{SERVICE.upper()}_DATABASE_URL": url, "HEROES_KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrap,
           "CLUSTER_TOPIC": topic, "CLUSTER_GROUP": f"cluster.effects.{suffix}", "CLUSTER_LOGS": str(logs),
           "HEROES_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
    engine = create_engine(url, pool_size=3)
    found = Pipeline(cluster, engine, url, topic, env["CLUSTER_GROUP"], env)
    try:
        yield found
    finally:
        found.stop()
        await engine.dispose()


async def describe(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    """The topic's partitions as the cluster describes them now; an AssertionError (so that
    `eventually` asks again) while the node asked is the one just killed."""
    admin = new_admin(bootstrap)
    try:
        await admin.start()
        [described] = await admin.describe_topics([topic])
        return list(described["partitions"])
    except KafkaError as error:
        raise AssertionError(f"the cluster did not answer: {error!r}") from error
    finally:
        await admin.close()


async def leaders(bootstrap: str, topic: str) -> dict[int, int]:
    """Partition -> the node leading it now (-1 while it has none)."""
    return {p["partition"]: p["leader"] for p in await describe(bootstrap, topic)}


async def publish_gaps(engine: AsyncEngine) -> float:
    """The relay's longest pause between two sends while rows waited (seconds)."""
    async with engine.connect() as connection:
        gap = await connection.scalar(text(
            "SELECT max(extract(epoch FROM gap)) FROM (SELECT published_at - lag(published_at) OVER "
            "(ORDER BY published_at) AS gap FROM (SELECT DISTINCT published_at FROM outbox_messages "
            "WHERE published_at IS NOT NULL) d) g"))
    return float(gap or 0.0)


def report(what: str, **figures: object) -> None:
    print(f"\n[cluster] {what}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))  # noqa: T201


class TestTheClusterLosesNothing:
    async def test_a_partition_leader_killed_mid_burst_and_brought_back(self, pipeline: Pipeline) -> None:
        pipeline.start("relay")
        consumer = pipeline.start("consumer")
        await pipeline.warm()
        before = await leaders(pipeline.cluster.bootstrap, pipeline.topic)
        victim = max(set(before.values()), key=lambda node: sum(1 for n in before.values() if n == node))
        led = [p for p, node in before.items() if node == victim]
        timing: dict[str, float] = {}

        async def kill_a_leader() -> None:
            name = pipeline.cluster.nodes[victim]
            os.kill(pipeline.cluster.supervisor.pid(name) or 0, signal.SIGKILL)
            killed_at = time.monotonic()

            async def elected() -> bool:
                now = await leaders(pipeline.cluster.bootstrap, pipeline.topic)
                assert all(now[p] not in (victim, -1) for p in led), now
                return True
            await eventually(elected, timeout=60, interval=0.1)
            timing["election"] = time.monotonic() - killed_at

        writer, catch_up = await pipeline.burst(kill_a_leader)
        # The supervisor brings the broker back, and it catches up as a follower.
        await eventually(lambda: _back(pipeline, victim), timeout=120, interval=0.5)
        found = await tally(pipeline.engine, len(pipeline.expected))
        missing, topic_inversions = await pipeline.topic_read_back()
        pause = await publish_gaps(pipeline.engine)
        report("broker killed", leader=victim, partitions_led=len(led), election_s=round(timing["election"], 2),
               relay_pause_s=round(pause, 2), catch_up_s=round(catch_up, 2))

        assert (found.lost, found.doubled, found.inversions) == (0, 0, 0)
        assert (missing, topic_inversions) == (0, 0)
        assert writer.written == EVENTS
        assert consumer.poll() is None
        # The relay waits only while a new leader is chosen (plus one metadata refresh and retry).
        assert pause <= timing["election"] + 2.0, (pause, timing)

    async def test_one_of_two_consumers_killed_the_other_takes_its_partitions(self, pipeline: Pipeline) -> None:
        pipeline.start("relay")
        first, second = pipeline.start("consumer-1"), pipeline.start("consumer-2")
        await pipeline.warm()
        await eventually(lambda: _both_assigned(pipeline), timeout=90, interval=0.5)
        killed_at: list[object] = []

        async def kill_a_consumer() -> None:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            async with pipeline.engine.connect() as connection:
                killed_at.append(await connection.scalar(text("SELECT clock_timestamp()")))

        writer, catch_up = await pipeline.burst(kill_a_consumer)
        found = await tally(pipeline.engine, len(pipeline.expected))
        missing, topic_inversions = await pipeline.topic_read_back()
        appliers, partitions = await _applied_after(pipeline.engine, killed_at[0])
        report("consumer killed", catch_up_s=round(catch_up, 2), applied_by=found.appliers)

        assert (found.lost, found.doubled, found.inversions) == (0, 0, 0)
        assert (missing, topic_inversions) == (0, 0)
        # Everything applied after the kill came from the survivor, from every partition: its own
        # and the ones it took over.
        assert appliers == {second.pid}
        assert partitions == set(range(PARTITIONS))
        assert second.poll() is None
        assert writer.written == EVENTS

    async def test_the_standby_relay_takes_over_when_the_active_one_stops(self, pipeline: Pipeline) -> None:
        relays = {"relay-1": pipeline.start("relay-1")}
        await eventually(lambda: _active_relay(pipeline, relays), timeout=30, interval=0.2)
        relays["relay-2"] = pipeline.start("relay-2")
        pipeline.start("consumer")
        await pipeline.warm()
        takeover: dict[str, float] = {}

        async def stop_the_active_relay() -> None:
            active = await _active_relay(pipeline, relays)
            stopped_at = time.monotonic()
            relays[active].send_signal(signal.SIGTERM)
            relays[active].wait(20)
            standby = next(name for name in relays if name != active)
            assert await eventually(lambda: _active_relay(pipeline, relays), timeout=10, interval=0.1) == standby
            before = await _published(pipeline.engine)
            await eventually(lambda: _published_more(pipeline.engine, before), timeout=10, interval=0.1)
            takeover["seconds"] = time.monotonic() - stopped_at

        writer, catch_up = await pipeline.burst(stop_the_active_relay)
        found = await tally(pipeline.engine, len(pipeline.expected))
        missing, topic_inversions = await pipeline.topic_read_back()
        report("relay stopped", takeover_s=round(takeover["seconds"], 2), catch_up_s=round(catch_up, 2))

        assert (found.lost, found.doubled, found.inversions) == (0, 0, 0)
        assert (missing, topic_inversions) == (0, 0)
        assert takeover["seconds"] <= 10
        assert writer.written == EVENTS


async def _back(pipeline: Pipeline, node: int) -> bool:
    """The killed node leads or follows in sync again: it is in every partition's in-sync set."""
    in_sync = [p["isr"] for p in await describe(pipeline.cluster.bootstrap, pipeline.topic)]
    assert all(node in isr for isr in in_sync), in_sync
    return True


async def _both_assigned(pipeline: Pipeline) -> bool:
    """Both consumers of the group hold partitions (the group has settled)."""
    admin = new_admin(pipeline.cluster.bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_consumer_groups([pipeline.group])
    finally:
        await admin.close()
    # (error, group id, state, protocol type, protocol, members); a member: (..., assignment) last
    [(_, _, state, _, _, members)] = response.groups
    assert state == "Stable", response.groups
    assert len([m for m in members if m[-1]]) == 2, response.groups
    return True


async def _applied_after(engine: AsyncEngine, moment: object) -> tuple[set[int], set[int]]:
    """Who applied effects after `moment`, and from which partitions their keys come."""
    async with engine.connect() as connection:
        rows = (await connection.execute(
            text("SELECT DISTINCT applied_by, key FROM effects WHERE applied_at > :t"), {"t": moment})).all()
    every = list(range(PARTITIONS))
    return ({int(row[0]) for row in rows},
            {_PARTITIONER(row[1].encode(), every, every) for row in rows})


async def _active_relay(pipeline: Pipeline, relays: dict[str, subprocess.Popen[bytes]]) -> str:
    """The relay process holding the service's advisory lock (matched by its connection's port)."""
    async with pipeline.engine.connect() as connection:
        ports = {row[0] for row in await connection.execute(text(
            "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()"))}
    for name, process in relays.items():
        if process.poll() is not None:
            continue
        local = {c.laddr.port for c in psutil.Process(process.pid).net_connections(kind="tcp") if c.laddr}
        if local & ports:
            return name
    raise AssertionError("no relay holds the lock yet")


async def _published(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM outbox_messages WHERE published_at IS NOT NULL")))


async def _published_more(engine: AsyncEngine, than: int) -> bool:
    now = await _published(engine)
    assert now > than, (now, than)
    return True

