"""Messaging gauges refreshed at scrape time: outbox backlog, consumer lag, dead-lettered messages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import GroupCoordinatorNotAvailableError
from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit import outbox
from servicekit.kafka import new_admin, new_consumer, topic_partitions

log = logging.getLogger("servicekit.metrics")

OUTBOX_BACKLOG = Gauge("heroes_outbox_backlog", "Outbox messages not yet sent to Kafka.", ["service"])
CONSUMER_LAG = Gauge(
    "heroes_consumer_lag", "Messages a consumer group has still to read.", ["group", "topic"]
)
DLQ_MESSAGES = Gauge("heroes_dlq_messages", "Messages held in a dead-letter topic.", ["topic"])


@dataclass
class MessagingMetrics:
    """Reads the numbers behind the gauges; one per API process, reused across scrapes."""

    service: str
    sessions: async_sessionmaker[AsyncSession]
    bootstrap: str
    consumer_groups: dict[str, Sequence[str]] = field(default_factory=dict)
    _admin: AIOKafkaAdminClient | None = None
    _reader: AIOKafkaConsumer | None = None

    async def refresh(self) -> None:
        async with self.sessions() as session:
            OUTBOX_BACKLOG.labels(self.service).set(await outbox.backlog(session))
        if not self.consumer_groups:
            return
        try:
            await self._refresh_kafka()
        except Exception:
            await self.close()
            raise

    async def _refresh_kafka(self) -> None:
        admin, reader = await self._clients()
        watched = sorted({topic for topics in self.consumer_groups.values() for topic in topics})
        dlqs = [f"{topic}.dlq" for topic in watched]
        known = await topic_partitions(reader, watched + dlqs)
        for group, topics in self.consumer_groups.items():
            try:
                committed = await admin.list_consumer_group_offsets(group)
            except GroupCoordinatorNotAvailableError:
                # A brand-new cluster creates its offsets topic on first use; nothing committed yet.
                committed = {}
            partitions = [TopicPartition(topic, p) for topic in topics for p in sorted(known[topic])]
            ends = await reader.end_offsets(partitions) if partitions else {}
            for topic in topics:
                lag = 0
                for tp, end in ends.items():
                    if tp.topic == topic:
                        done = committed.get(tp)
                        lag += end - (done.offset if done is not None and done.offset >= 0 else 0)
                CONSUMER_LAG.labels(group, topic).set(lag)
        dlq_partitions = [TopicPartition(topic, p) for topic in dlqs for p in sorted(known[topic])]
        if dlq_partitions:
            starts = await reader.beginning_offsets(dlq_partitions)
            ends = await reader.end_offsets(dlq_partitions)
            for topic in dlqs:
                held = sum(ends[tp] - starts[tp] for tp in dlq_partitions if tp.topic == topic)
                DLQ_MESSAGES.labels(topic).set(held)

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None or self._reader is None:
            admin = new_admin(self.bootstrap, client_id=f"{self.service}-metrics")
            await admin.start()
            # No group: this reader only asks for offsets, it never joins or commits.
            reader = new_consumer(self.bootstrap, group_id=None)
            await reader.start()
            self._admin, self._reader = admin, reader
        return self._admin, self._reader

    async def close(self) -> None:
        for client in (self._admin, self._reader):
            if client is not None:
                try:
                    await client.close() if isinstance(client, AIOKafkaAdminClient) else await client.stop()
                except Exception:
                    log.debug("metrics.close_failed", exc_info=True)
        self._admin = self._reader = None
