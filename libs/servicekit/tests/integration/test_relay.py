import asyncio
import json
import os
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from devstack.testing import start_embedded_kafka
from prometheus_client import REGISTRY
from servicekit.settings import to_asyncpg_dsn
from servicekit.testing import eventually, header, proxied, read_topic

from .conftest import Kit


def active_gauge(service: str) -> float | None:
    return REGISTRY.get_sample_value("heroes_relay_active", {"service": service})


def distinct_ids(records: list) -> set[str]:  # type: ignore[type-arg]
    return {header(record, "ce_id") for record in records}  # type: ignore[misc]


class TestRelayDelivery:
    async def test_sends_committed_rows_as_cloudevents_and_marks_them(self, kit: Kit) -> None:
        widget = uuid4()
        ids = [await kit.commit_event(widget, seq) for seq in range(3)]
        kit.start(kit.relay())

        records = await read_topic(kit.bootstrap, kit.topic, until=lambda r: len(r) >= 3)

        assert [header(r, "ce_id") for r in records] == [str(i) for i in ids]
        assert {r.key for r in records} == {str(widget).encode()}
        assert [json.loads(r.value)["seq"] for r in records] == [0, 1, 2]
        assert {header(r, "ce_type") for r in records} == {"network.heroes.kit.widget_changed.v1"}
        assert {header(r, "ce_source") for r in records} == {"/kit"}
        assert {header(r, "ce_specversion") for r in records} == {"1.0"}
        await eventually(lambda: _unpublished(kit, 0))

    async def test_wakes_on_commit_without_waiting_for_the_poll(self, kit: Kit) -> None:
        relay = kit.relay(poll_interval=60)
        kit.start(relay)
        await eventually(lambda: _is_set(relay.active))

        await kit.commit_event(uuid4(), 1)

        # Well inside the 60 s poll: only the NOTIFY wake-up can explain it.
        await read_topic(kit.bootstrap, kit.topic, until=lambda r: len(r) == 1, timeout=5)

    async def test_a_second_relay_waits_on_standby_until_the_first_stops(self, kit: Kit) -> None:
        first, second = kit.relay(), kit.relay(poll_interval=0.2)
        first_task = kit.start(first)
        await eventually(lambda: _is_set(first.active))
        kit.start(second)
        for seq in range(20):
            await kit.commit_event(uuid4(), seq)
        await eventually(lambda: _unpublished(kit, 0))

        assert first.stats.sent == 20
        assert second.stats.sent == 0
        assert not second.active.is_set()

        await kit.stop(first_task)
        await eventually(lambda: _is_set(second.active))
        await kit.commit_event(uuid4(), 99)
        await eventually(lambda: _unpublished(kit, 0))
        assert second.stats.sent == 1


    async def test_the_active_gauge_reads_one_only_while_the_relay_sends(self, kit: Kit) -> None:
        relay = kit.relay()
        assert active_gauge(relay.service) == 0
        task = kit.start(relay)
        await eventually(lambda: _is_set(relay.active))

        assert active_gauge(relay.service) == 1
        await kit.stop(task)
        assert active_gauge(relay.service) == 0


class TestRelayOutages:
    async def test_database_outage_is_survived_without_restart(self, kit: Kit) -> None:
        async with proxied(kit.url) as (proxy, url_via_proxy):
            relay = kit.relay(database_url=url_via_proxy, poll_interval=0.2, max_backoff=0.5)
            task = kit.start(relay)
            await eventually(lambda: _is_set(relay.active))

            proxy.cut()
            for seq in range(10):
                await kit.commit_event(uuid4(), seq)
            await eventually(lambda: _at_least(relay.stats.outages, 1))
            assert active_gauge(relay.service) == 0  # alerts see a service with no sending relay
            proxy.restore()

            await eventually(lambda: _unpublished(kit, 0), timeout=20)
            records = await read_topic(kit.bootstrap, kit.topic, until=lambda r: len(distinct_ids(r)) == 10)
            assert len(distinct_ids(records)) == 10
            assert not task.done()

    @pytest.mark.slow
    async def test_broker_outage_loses_nothing_and_keeps_per_key_order(self, kit: Kit, tmp_path: Path) -> None:
        broker = await asyncio.to_thread(start_embedded_kafka, tmp_path / "broker")
        try:
            from servicekit.kafka import TopicSpec, ensure_topics

            await ensure_topics(broker.bootstrap, [TopicSpec(kit.topic, 3)])
            relay = kit.relay(bootstrap=broker.bootstrap, send_timeout=5, max_backoff=1)
            task = kit.start(relay)
            await eventually(lambda: _is_set(relay.active))
            await kit.commit_event(uuid4(), 0)  # the producer is connected before the outage
            await eventually(lambda: _unpublished(kit, 0))

            await asyncio.to_thread(broker.stop)
            keys = [uuid4() for _ in range(50)]
            for seq in range(20):
                for key in keys:
                    await kit.commit_event(key, seq)
            await eventually(lambda: _at_least(relay.stats.outages, 1), timeout=30)
            assert await _unpublished(kit, 1000)
            await asyncio.to_thread(broker.start)

            records = await read_topic(
                broker.bootstrap, kit.topic, until=lambda r: len(distinct_ids(r)) >= 1001, timeout=120
            )
            first_seen: dict[bytes, list[int]] = defaultdict(list)
            seen: set[str] = set()
            for record in records:
                event_id = header(record, "ce_id")
                if event_id not in seen:
                    seen.add(event_id)  # type: ignore[arg-type]
                    first_seen[record.key].append(json.loads(record.value)["seq"])
            assert len(seen) == 1001
            for key in keys:
                assert first_seen[str(key).encode()] == list(range(20))
            assert not task.done()  # the same relay, never restarted
            await eventually(lambda: _unpublished(kit, 0))
        finally:
            await asyncio.to_thread(broker.stop)


class TestRelayCrash:
    @pytest.mark.slow
    async def test_crash_after_send_before_mark_resends_and_effects_happen_once(self, kit: Kit) -> None:
        service = "kit"
        await _stall_marking(kit)
        ids = {str(await kit.commit_event(uuid4(), seq)) for seq in range(50)}
        relay = _relay_process(kit, service)
        try:
            await read_topic(kit.bootstrap, kit.topic, until=lambda r: ids <= distinct_ids(r), timeout=30)
            assert await _unpublished(kit, 50)  # sent, but the marking never committed
        finally:
            relay.send_signal(signal.SIGKILL)
            relay.wait(10)
        await _drop_stall(kit, service)

        restarted = _relay_process(kit, service)
        try:
            await eventually(lambda: _unpublished(kit, 0), timeout=30)
            records = await read_topic(kit.bootstrap, kit.topic, until=lambda r: len(r) >= 100)
            assert distinct_ids(records) == ids  # every event at least once (here: twice)

            runner = kit.consumer()
            kit.start(runner)
            await eventually(lambda: _at_least(runner.stats.applied + runner.stats.duplicates, 100), timeout=30)
            effects = await kit.effects(runner.name)
            assert sorted(str(e[0]) for e in effects) == sorted(ids)  # exactly once each
            assert runner.stats.duplicates >= 50
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(20)


def _relay_process(kit: Kit, service: str) -> subprocess.Popen[bytes]:
    prefix = service.upper()
    env = {**os.environ, f"{prefix}_DATABASE_URL": kit.url, f"{prefix}_KAFKA_BOOTSTRAP": kit.bootstrap}
    return subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "servicekit.relay", service], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


async def _stall_marking(kit: Kit) -> None:
    """Make every UPDATE of the outbox hang, so the relay is stuck between send and mark."""
    conn = await asyncpg.connect(to_asyncpg_dsn(kit.url))
    try:
        await conn.execute(
            "CREATE FUNCTION stall_marking() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(600); RETURN NULL; END $$"
        )
        await conn.execute(
            "CREATE TRIGGER stall BEFORE UPDATE ON outbox_messages "
            "FOR EACH STATEMENT EXECUTE FUNCTION stall_marking()"
        )
    finally:
        await conn.close()


async def _drop_stall(kit: Kit, service: str) -> None:
    """End the dead relay's session (as the server would on noticing), then remove the stall."""
    conn = await asyncpg.connect(to_asyncpg_dsn(kit.url))
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = $1 AND datname = current_database()",
            f"servicekit-relay:{service}",
        )
        await conn.execute("DROP TRIGGER stall ON outbox_messages")
        await conn.execute("DROP FUNCTION stall_marking()")
    finally:
        await conn.close()


async def _unpublished(kit: Kit, expected: int) -> bool:
    count = await kit.scalar("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL")
    assert count == expected, f"{count} unpublished, expected {expected}"
    return True


async def _is_set(flag: asyncio.Event) -> bool:
    return flag.is_set()


async def _at_least(value: int, minimum: int) -> bool:
    assert value >= minimum, f"{value} < {minimum}"
    return True
