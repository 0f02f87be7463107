"""The only place Kafka clients are built, so every producer and consumer is configured one safe way."""

from __future__ import annotations

import asyncio
import contextlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

# Producers: idempotent with acks=all, so a retried send never duplicates or
# reorders within a partition. Consumers: auto-commit off, because an offset is
# committed only after the database transaction that applied the message.
PRODUCER_DEFAULTS: dict[str, Any] = {
    "enable_idempotence": True,
    "acks": "all",
    "request_timeout_ms": 10_000,
    "linger_ms": 5,
}
CONSUMER_DEFAULTS: dict[str, Any] = {
    "enable_auto_commit": False,
    "auto_offset_reset": "earliest",
    "isolation_level": "read_committed",
    "fetch_max_wait_ms": 100,
}


def new_producer(bootstrap: str, *, client_id: str, **overrides: Any) -> AIOKafkaProducer:
    """An idempotent, acks=all producer; the two safety settings cannot be overridden."""
    config = {**PRODUCER_DEFAULTS, **overrides}
    config["enable_idempotence"] = True
    config["acks"] = "all"
    return AIOKafkaProducer(bootstrap_servers=bootstrap, client_id=client_id, **config)


def new_consumer(
    bootstrap: str, *topics: str, group_id: str | None, **overrides: Any
) -> AIOKafkaConsumer:
    """A consumer whose offsets are committed only by our code, after the database commit.

    `group_id=None` gives a reader that never joins a group (offset queries, tests).
    """
    config = {**CONSUMER_DEFAULTS, **overrides}
    config["enable_auto_commit"] = False
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=group_id,
        client_id=group_id or "heroes-reader",
        **config,
    )


async def stop_client(client: AIOKafkaConsumer | AIOKafkaProducer, timeout: float = 10) -> None:
    """Stop an aiokafka client within `timeout`. aiokafka's consumer, stopped while a fetch waits
    out its retry back-off, re-raises the CancelledError of that fetch (its Fetcher.close cancels
    the pending fetches and then awaits them). That cancellation is aiokafka's own, not ours: it
    is reported as a stop failure, unless this task itself is being cancelled."""
    try:
        await asyncio.wait_for(client.stop(), timeout)
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
        raise ClientStopFailed("the client's own fetch was cancelled while it stopped") from None


class ClientStopFailed(Exception):
    """An aiokafka client did not stop cleanly (its connections are closed all the same)."""


def new_admin(bootstrap: str, *, client_id: str = "heroes-admin") -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, client_id=client_id, request_timeout_ms=10_000
    )


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int = 1
    config: dict[str, str] | None = None


def load_topics(path: Path, *, brokers: int = 1) -> list[TopicSpec]:
    """Read the topics declared in `infra/topics.toml`, each with its `.dlq` twin when asked.

    Copies: the file's `[replication]` (3 copies, 2 in sync) on a cluster of that many brokers
    or more; never more copies than brokers, and one copy in sync short of three brokers.
    """
    declared = tomllib.loads(path.read_text())
    replication = declared.get("replication", {})
    copies = min(int(replication.get("replication_factor", 1)), brokers)
    in_sync = min(int(replication.get("min_insync_replicas", 1)), copies - 1) if copies > 1 else 1
    specs: list[TopicSpec] = []
    for entry in declared.get("topic", []):
        config = {"min.insync.replicas": str(in_sync), **{k: str(v) for k, v in entry.get("config", {}).items()}}
        spec = TopicSpec(
            name=entry["name"],
            partitions=int(entry["partitions"]),
            replication_factor=copies,
            config=config,
        )
        specs.append(spec)
        if entry.get("dlq", False):
            specs.append(
                TopicSpec(
                    name=f"{spec.name}.dlq",
                    partitions=1,
                    replication_factor=copies,
                    config={"retention.ms": str(30 * 24 * 3600 * 1000), "min.insync.replicas": str(in_sync)},
                )
            )
    return specs


async def count_brokers(bootstrap: str) -> int:
    """How many brokers the cluster has now."""
    admin = new_admin(bootstrap)
    await admin.start()
    try:
        described = await admin.describe_cluster()
        return len(described["brokers"])
    finally:
        await admin.close()


async def ensure_topics(bootstrap: str, specs: list[TopicSpec]) -> list[str]:
    """Create the topics that do not exist yet; returns the names created."""
    admin = new_admin(bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(
                            spec.name,
                            spec.partitions,
                            spec.replication_factor,
                            topic_configs=spec.config or {},
                        )
                        for spec in missing
                    ]
                )
        await _wait_for_topics(admin, {spec.name for spec in specs})
        return [spec.name for spec in missing]
    finally:
        await admin.close()


async def _wait_for_topics(admin: AIOKafkaAdminClient, names: set[str]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while not names <= set(await admin.list_topics()):
        if loop.time() > deadline:
            raise TimeoutError(f"topics not visible after creation: {sorted(names)}")
        await asyncio.sleep(0.2)


async def broker_reachable(bootstrap: str, *, timeout: float = 3.0) -> bool:
    """True when a broker answers a metadata request within `timeout` seconds."""
    admin = new_admin(bootstrap, client_id="heroes-readyz")
    try:
        await asyncio.wait_for(admin.start(), timeout)
        await asyncio.wait_for(admin.list_topics(), timeout)
        return True
    except Exception:
        return False
    finally:
        # Closing a half-open client may fail; there is nothing to do about it.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(admin.close(), timeout)


async def topic_partitions(reader: AIOKafkaConsumer, topics: list[str]) -> dict[str, set[int]]:
    """Partition numbers of each existing topic, from fresh cluster metadata.

    aiokafka's `partitions_for_topic()` only knows topics the client already
    tracks; asking the cluster directly also covers topics we never subscribed to.
    """
    cluster = await reader._client.fetch_all_metadata()
    return {topic: set(cluster.partitions_for_topic(topic) or ()) for topic in topics}


async def reset_offsets(bootstrap: str, group: str, topics: Sequence[str]) -> dict[str, int]:
    """Commit the earliest offset of every partition of `topics` for `group`, so the group reads
    them again from the start (a rebuild); returns partitions per topic.

    Kafka refuses this while members of the group are running, which is the safety check we
    want: stop the consumer first.
    """
    reader = new_consumer(bootstrap, group_id=group)
    await reader.start()
    try:
        found = await topic_partitions(reader, list(topics))
        partitions = [TopicPartition(topic, number) for topic in topics for number in sorted(found[topic])]
        reader.assign(partitions)
        earliest = await reader.beginning_offsets(partitions)
        await reader.commit({partition: earliest[partition] for partition in partitions})
        return {topic: len(found[topic]) for topic in topics}
    finally:
        await reader.stop()
