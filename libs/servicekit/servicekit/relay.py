"""Outbox relay: sends committed outbox rows to Kafka in order, one active relay per service.

Run as `python -m servicekit.relay <service>`. Rows are claimed in `position`
order with `FOR UPDATE SKIP LOCKED`, sent with an idempotent acks=all producer,
and marked published only after the broker acknowledged every one of them. A
crash between send and mark sends the rows again (at least once); consumers
de-duplicate with their inbox. A session-level advisory lock keeps a second
relay of the same service on standby, so per-key order holds.

Its readiness (database and broker reachable) is logged on each change, kept
in the `heroes_dependency_up` gauge, and served on `--probe-port` when given, with
`heroes_relay_active` (1 on the relay that sends, 0 on a standby).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from aiokafka.partitioner import DefaultPartitioner
from opentelemetry.trace import SpanKind, StatusCode
from prometheus_client import Gauge

from servicekit import telemetry
from servicekit.envelope import Envelope
from servicekit.kafka import new_producer
from servicekit.logs import configure_logging
from servicekit.outbox import NOTIFY_CHANNEL
from servicekit.readiness import DATABASE, KAFKA, Readiness, serve_probes
from servicekit.settings import settings_for, to_asyncpg_dsn

log = logging.getLogger("servicekit.relay")

_PARTITIONER = DefaultPartitioner()
RELAY_BATCH_BYTES = 256 * 1024

RELAY_ACTIVE = Gauge(
    "heroes_relay_active",
    "1 while this process's relay holds its service's lock and sends the outbox, "
    "0 on standby or in an outage.",
    ["service"],
)

_CLAIM = """
SELECT id, topic, key, type, source, payload::text AS payload, traceparent, occurred_at
FROM outbox_messages
WHERE published_at IS NULL
ORDER BY position
LIMIT $1
FOR UPDATE SKIP LOCKED
"""
_MARK = "UPDATE outbox_messages SET published_at = now() WHERE id = ANY($1::uuid[])"
_PURGE = "DELETE FROM outbox_messages WHERE published_at < now() - make_interval(days => $1)"



class BrokerUnavailable(Exception):
    """Kafka did not take or acknowledge a batch; the cause is the client's own error."""


# Errors that mean "the database or the broker is away for now": wait and retry.
_OUTAGES = (OSError, ConnectionError, TimeoutError, asyncpg.PostgresError,
            asyncpg.InterfaceError, KafkaError, BrokerUnavailable)


@dataclass
class RelayStats:
    sent: int = 0
    batches: int = 0
    outages: int = 0


@dataclass
class Relay:
    service: str
    database_url: str
    bootstrap: str
    batch_size: int = 2000
    poll_interval: float = 1.0
    send_timeout: float = 15.0
    max_backoff: float = 5.0
    keep_published_days: int = 7
    stats: RelayStats = field(default_factory=RelayStats)
    active: asyncio.Event = field(default_factory=asyncio.Event)
    readiness: Readiness = field(init=False)
    _producer: AIOKafkaProducer | None = None

    def __post_init__(self) -> None:
        self.readiness = Readiness(f"{self.service}-relay")
        self._set_active(False)

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until `stop` is set, surviving broker and database outages."""
        backoff = 0.1
        try:
            while not stop.is_set():
                try:
                    await self._run_connected(stop)
                    backoff = 0.1
                except _OUTAGES as error:
                    self._set_active(False)
                    self.stats.outages += 1
                    log.warning("relay.outage", extra={"relay": self.service, "reason": repr(error)})
                    if isinstance(error, BrokerUnavailable | KafkaError):
                        self.readiness.mark(KAFKA, False)
                        # A producer that failed mid-batch may hold stale sequence state; start
                        # afresh. Unacknowledged rows stay unmarked and are sent again.
                        await self._reset_producer()
                    else:
                        self.readiness.mark(DATABASE, False)
                    await _wait(stop, backoff)
                    backoff = min(backoff * 2, self.max_backoff)
        finally:
            self._set_active(False)
            if self._producer is not None:
                await _stop_quietly(self._producer)

    async def _run_connected(self, stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(
            to_asyncpg_dsn(self.database_url),
            timeout=5,
            server_settings={"application_name": f"servicekit-relay:{self.service}"},
        )
        self.readiness.mark(DATABASE, True)
        try:
            wake = asyncio.Event()
            await conn.add_listener(NOTIFY_CHANNEL, lambda *_: wake.set())
            # Reached before the lock, so a relay on standby knows (and reports) the broker too.
            await self._ready_producer()
            if not await self._take_lock(conn, stop):
                return
            self._set_active(True)
            log.info("relay.active", extra={"relay": self.service})
            purged_at = 0.0
            loop = asyncio.get_running_loop()
            while not stop.is_set():
                wake.clear()
                sent = await self._send_batch(conn)
                if sent:
                    continue
                if loop.time() - purged_at > 600:
                    await conn.execute(_PURGE, self.keep_published_days)
                    purged_at = loop.time()
                await _wait_any(stop, wake, self.poll_interval)
        finally:
            self._set_active(False)
            await _close_quietly(conn)

    def _set_active(self, active: bool) -> None:
        """`active` for tests, and the gauge for alerts: a service whose relays all read 0 sends
        nothing."""
        if active:
            self.active.set()
        else:
            self.active.clear()
        RELAY_ACTIVE.labels(self.service).set(1 if active else 0)

    async def _take_lock(self, conn: asyncpg.Connection, stop: asyncio.Event) -> bool:
        """Hold the service's advisory lock for this connection's life; False if stopped first."""
        announced = False
        while not stop.is_set():
            if await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", f"relay:{self.service}"):
                return True
            if not announced:
                log.info("relay.standby", extra={"relay": self.service})
                announced = True
            await _wait(stop, self.poll_interval)
        return False

    async def _send_batch(self, conn: asyncpg.Connection) -> int:
        producer = await self._ready_producer()
        async with conn.transaction():
            rows = await conn.fetch(_CLAIM, self.batch_size)
            if not rows:
                return 0
            spans: list[Any] = []
            try:
                acks = await self._send_batches(producer, rows, spans)
                # Mark only after the broker acknowledged every row of the batch.
                # shield: a timeout must not cancel the producer's own delivery futures.
                await asyncio.wait_for(asyncio.shield(asyncio.gather(*acks)), self.send_timeout)
            except (KafkaError, TimeoutError) as error:
                _end_spans(spans, error)
                raise BrokerUnavailable(repr(error)) from error
            _end_spans(spans, None)
            self.readiness.mark(KAFKA, True)
            await conn.execute(_MARK, [row["id"] for row in rows])
        self.stats.sent += len(rows)
        self.stats.batches += 1
        return len(rows)

    async def _send_batches(
        self, producer: AIOKafkaProducer, rows: list[asyncpg.Record], spans: list[Any]
    ) -> list[Any]:
        """Hand the rows to the producer as ready-made batches, one partition at a time, in order.

        Partitions are chosen from the key with the producer's own partitioner (murmur2, as
        Java clients do), so per-key order is the same as sending records one by one, at a
        fraction of the cost per record.
        """
        partitions: dict[str, list[int]] = {}
        batches: dict[tuple[str, int], list[Any]] = {}
        for row in rows:
            topic = row["topic"]
            if topic not in partitions:
                partitions[topic] = sorted(await producer.partitions_for(topic))
            key = row["key"].encode()
            partition = _PARTITIONER(key, partitions[topic], partitions[topic])
            traceparent = row["traceparent"]
            if telemetry.enabled():
                # The send is a child of the span that wrote the row, and the record carries
                # the send's context on, so the consumer's span is the send's child.
                sent = telemetry.start_span(f"send {topic}", kind=SpanKind.PRODUCER, parent=traceparent,
                                            attributes={"messaging.system": "kafka",
                                                        "messaging.destination.name": topic,
                                                        "messaging.message.id": str(row["id"])})
                if sent is not None:
                    spans.append(sent)
                    traceparent = telemetry.traceparent_of(sent)
            envelope = Envelope(
                id=row["id"], source=row["source"], type=row["type"], time=row["occurred_at"],
                key=row["key"], data={}, traceparent=traceparent,
            )
            queue = batches.setdefault((topic, partition), [producer.create_batch()])
            if queue[-1].append(timestamp=None, key=key, value=row["payload"].encode(),
                                headers=envelope.headers()) is None:
                queue.append(producer.create_batch())  # the last batch is full: start another
                queue[-1].append(timestamp=None, key=key, value=row["payload"].encode(),
                                 headers=envelope.headers())
        acks = []
        for (topic, partition), queue in batches.items():
            for batch in queue:
                batch.close()
                acks.append(await producer.send_batch(batch, topic, partition=partition))
        return acks

    async def _reset_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await _stop_quietly(producer)

    async def _ready_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            # Batches of up to 256 KiB: a partition's share of a claimed batch (events with their
            # CloudEvents headers) goes in one or two produce requests, not a dozen round trips,
            # which is what limits throughput on a cluster where every ack waits for replicas.
            producer = new_producer(self.bootstrap, client_id=f"{self.service}-relay",
                                    max_batch_size=RELAY_BATCH_BYTES)
            try:
                await producer.start()
            except (KafkaError, TimeoutError) as error:
                await _stop_quietly(producer)
                raise BrokerUnavailable(repr(error)) from error
            except BaseException:
                await _stop_quietly(producer)
                raise
            self._producer = producer
            self.readiness.mark(KAFKA, True)
        return self._producer


def _end_spans(spans: list[Any], error: BaseException | None) -> None:
    for sent in spans:
        if error is not None:
            sent.record_exception(error)
            sent.set_status(StatusCode.ERROR)
        sent.end()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _close_quietly(conn: asyncpg.Connection) -> None:
    try:
        await asyncio.wait_for(conn.close(), 2)
    except Exception:
        conn.terminate()


async def _stop_quietly(producer: AIOKafkaProducer) -> None:
    try:
        await asyncio.wait_for(producer.stop(), 5)
    except Exception:
        log.warning("relay.producer_stop_failed")


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def _main(service: str, probe_port: int | None) -> None:
    settings = settings_for(service)
    configure_logging(f"{service}-relay", settings.log_level or "INFO")
    telemetry.configure_tracing(f"{service}-relay")
    stop = asyncio.Event()
    install_stop_signals(stop)
    relay = Relay(service=service, database_url=settings.dsn, bootstrap=settings.kafka)
    if probe_port is None:
        await relay.run(stop)
    else:
        await asyncio.gather(relay.run(stop), serve_probes(relay.readiness, probe_port, stop))
    log.info("relay.stopped", extra={"relay": service, "sent": relay.stats.sent})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Send a service's outbox to Kafka.")
    parser.add_argument("service", help="service name, e.g. membership")
    parser.add_argument("--probe-port", type=int, default=None,
                        help="serve /healthz, /readyz (database and broker reachable) and /metrics here")
    args = parser.parse_args(argv)
    asyncio.run(_main(args.service, args.probe_port))


if __name__ == "__main__":
    main()
