"""Consumer runner: applies events through handlers exactly once per consumer, with retries and a DLQ.

For each partition, records are handled in order. A run of good records is
applied in one database transaction, each behind an inbox claim, so a
redelivered record has no second effect. The Kafka offset is committed after
the database commit, and only for partitions still assigned. Outages (the
database or broker away) are retried without limit and without skipping; a
record that keeps failing for any other reason goes to `<topic>.dlq` with its
original key and headers plus error headers, and the consumer carries on.

Its readiness (database and broker reachable, as last seen by its own work) is
logged on each change, kept in the `heroes_dependency_up` gauge, and served on
`<SERVICE>_CONSUMER_PROBE_PORT` when that is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from opentelemetry.trace import SpanKind
from prometheus_client import Counter
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit import inbox, telemetry
from servicekit.db import create_engine, session_factory
from servicekit.envelope import Envelope, UndecodableMessage
from servicekit.events import (
    Event,
    EventRegistry,
    InvalidEventPayload,
    UnknownEventVersion,
)
from servicekit.kafka import new_consumer, new_producer, stop_client
from servicekit.logs import configure_logging
from servicekit.readiness import DATABASE, KAFKA, Readiness, serve_probes
from servicekit.settings import ServiceSettings

log = logging.getLogger("servicekit.consumer")

Handler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class BatchHandler:
    """A handler that applies several consecutive events of its type in one call.

    Use it when the effect is naturally a bulk statement (a multi-row insert);
    events still arrive in partition order, inside the same transaction as
    their inbox claims.
    """

    apply: Callable[[AsyncSession, list[tuple[Any, Envelope]]], Awaitable[None]]


AnyHandler = Handler | BatchHandler

MESSAGES = Counter(
    "heroes_consumer_messages_total",
    "Messages seen by a consumer, by outcome.",
    ["consumer", "outcome"],
)


@dataclass
class ConsumerStats:
    applied: int = 0
    duplicates: int = 0
    skipped_unknown: int = 0
    dead_lettered: int = 0
    outages: int = 0

    def count(self, consumer: str, outcome: str, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)
        MESSAGES.labels(consumer, outcome).inc(n)


class _Stopping(Exception):
    """Raised inside the retry loops when the process is asked to stop."""


class _PermanentFailure(Exception):
    def __init__(self, reason: str, detail: str, attempts: int = 1) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.attempts = attempts


def is_outage(error: BaseException) -> bool:
    """True for failures that mean "a server is away for now", found anywhere in the cause chain."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, sa_exc.DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(
            seen,
            OSError | ConnectionError | TimeoutError | KafkaError
            | asyncpg.PostgresConnectionError | asyncpg.InterfaceError
            | asyncpg.CannotConnectNowError | asyncpg.AdminShutdownError
            | asyncpg.SerializationError | asyncpg.DeadlockDetectedError
            | sa_exc.TimeoutError,
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass
class _Decoded:
    record: ConsumerRecord[bytes, bytes]
    envelope: Envelope
    event: Event


@dataclass
class ConsumerRunner:
    """Runs one named consumer (its Kafka group id and inbox name) over some topics."""

    name: str
    bootstrap: str
    sessions: async_sessionmaker[AsyncSession]
    topics: Sequence[str]
    handlers: Mapping[type[Event], AnyHandler]
    max_attempts: int = 3
    max_backoff: float = 5.0
    batch_size: int = 2000
    stats: ConsumerStats = field(default_factory=ConsumerStats)
    assigned: asyncio.Event = field(default_factory=asyncio.Event)
    readiness: Readiness = field(init=False)
    _registry: EventRegistry = field(init=False)
    _by_type: dict[str, AnyHandler] = field(init=False)
    _consumer: AIOKafkaConsumer | None = field(default=None, init=False)
    _dlq: AIOKafkaProducer | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.readiness = Readiness(self.name)
        self._registry = EventRegistry(self.handlers)
        self._by_type = {event.ce_type(): handler for event, handler in self.handlers.items()}

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set."""
        self._consumer = new_consumer(self.bootstrap, *self.topics, group_id=self.name)
        self._dlq = new_producer(self.bootstrap, client_id=f"{self.name}-dlq")
        try:
            await self._retry_outage(self._check_database, stop, DATABASE)
            await self._retry_outage(self._consumer.start, stop, KAFKA)
            await self._retry_outage(self._dlq.start, stop, KAFKA)
            while not stop.is_set():
                batches = await self._consumer.getmany(timeout_ms=200, max_records=self.batch_size)
                if self._consumer.assignment():
                    self.assigned.set()
                if batches:
                    await self._handle_batches(batches, stop)
        except _Stopping:
            pass
        finally:
            self.assigned.clear()
            for client in (self._consumer, self._dlq):
                try:
                    await stop_client(client)
                except Exception:
                    log.warning("consumer.stop_failed", extra={"consumer": self.name})

    async def _handle_batches(
        self, batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]], stop: asyncio.Event
    ) -> None:
        """Partitions are independent: handle them side by side, each in order, then commit once."""
        results = await asyncio.gather(
            *(self._handle_partition(tp, records, stop) for tp, records in batches.items()),
            return_exceptions=True,
        )
        done = {tp: records[-1].offset + 1 for (tp, records), result in zip(batches.items(), results, strict=True)
                if result is None}
        if done:
            await self._commit(done)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _handle_partition(
        self, tp: TopicPartition, records: list[ConsumerRecord[bytes, bytes]], stop: asyncio.Event
    ) -> None:
        run: list[_Decoded] = []
        for record in records:
            try:
                decoded = self._decode(record)
            except _PermanentFailure as failure:
                await self._apply_run(run, stop)
                run = []
                await self._dead_letter(record, failure, stop)
                continue
            if decoded is None:
                self.stats.count(self.name, "skipped_unknown")
                continue
            run.append(decoded)
        await self._apply_run(run, stop)

    def _decode(self, record: ConsumerRecord[bytes, bytes]) -> _Decoded | None:
        try:
            envelope = Envelope.from_record(key=record.key, value=record.value, headers=record.headers)
        except UndecodableMessage as error:
            raise _PermanentFailure("undecodable", str(error)) from error
        if not self._registry.knows(envelope.type):
            return None
        try:
            event = self._registry.decode(envelope.type, envelope.data)
        except UnknownEventVersion as error:
            raise _PermanentFailure("unknown_version", str(error)) from error
        except InvalidEventPayload as error:
            raise _PermanentFailure("invalid_payload", str(error)) from error
        return _Decoded(record, envelope, event)

    async def _apply_run(self, run: list[_Decoded], stop: asyncio.Event) -> None:
        """Apply a run of records in one transaction; on a failure, one by one."""
        if not run:
            return
        if len(run) > 1:
            try:
                await self._retry_outage(lambda: self._apply(run), stop, DATABASE)
                return
            except _Stopping:
                raise
            except Exception:
                log.info("consumer.batch_failed_retrying_singly", extra={"consumer": self.name})
        for item in run:
            await self._apply_one(item, stop)

    async def _apply_one(self, item: _Decoded, stop: asyncio.Event) -> None:
        attempt = 0
        while True:
            attempt += 1
            try:
                await self._retry_outage(lambda: self._apply([item]), stop, DATABASE)
                return
            except _Stopping:
                raise
            except Exception as error:
                log.exception(
                    "consumer.handler_failed",
                    extra={"consumer": self.name, "type": item.envelope.type, "attempt": attempt},
                )
                if attempt >= self.max_attempts:
                    failure = _PermanentFailure("handler_failed", f"{type(error).__name__}: {error}", attempt)
                    await self._dead_letter(item.record, failure, stop)
                    return
                await _sleep_or_stop(stop, min(0.2 * 2**attempt, self.max_backoff))

    async def _check_database(self) -> None:
        async with self.sessions() as session:
            await session.execute(text("SELECT 1"))

    async def _apply(self, items: list[_Decoded]) -> None:
        async with self.sessions() as session, session.begin():
            claimed = await inbox.claim_many(
                session,
                consumer=self.name,
                messages=[(item.envelope.id, item.envelope.type) for item in items],
            )
            # A message delivered twice within one run is claimed once; apply it once.
            fresh: list[_Decoded] = []
            for item in items:
                if item.envelope.id in claimed:
                    claimed.discard(item.envelope.id)
                    fresh.append(item)
            await self._run_handlers(session, fresh)
        self.stats.count(self.name, "applied", len(fresh))
        self.stats.count(self.name, "duplicates", len(items) - len(fresh))

    async def _run_handlers(self, session: AsyncSession, items: list[_Decoded]) -> None:
        """Call handlers in order; consecutive events of one batch handler go in one call. With
        tracing on, each event's effect is a span, the child of the relay's send of its record."""
        index = 0
        while index < len(items):
            handler = self._by_type[items[index].envelope.type]
            if isinstance(handler, BatchHandler):
                end = index
                while end < len(items) and self._by_type[items[end].envelope.type] is handler:
                    end += 1
                spans = [self._span(item) for item in items[index:end]]
                try:
                    await handler.apply(session, [(item.event, item.envelope) for item in items[index:end]])
                finally:
                    for started in spans:
                        if started is not None:
                            started.end()
                index = end
            else:
                item = items[index]
                with telemetry.span(f"process {item.envelope.type}", kind=SpanKind.CONSUMER,
                                    parent=item.envelope.traceparent, attributes=self._attributes(item)):
                    await handler(session, item.event, item.envelope)
                index += 1

    def _span(self, item: _Decoded) -> Any:
        return telemetry.start_span(f"process {item.envelope.type}", kind=SpanKind.CONSUMER,
                                    parent=item.envelope.traceparent, attributes=self._attributes(item))

    def _attributes(self, item: _Decoded) -> dict[str, str]:
        return {"messaging.system": "kafka", "messaging.consumer.group.name": self.name,
                "messaging.message.id": str(item.envelope.id)}

    async def _dead_letter(
        self, record: ConsumerRecord[bytes, bytes], failure: _PermanentFailure, stop: asyncio.Event
    ) -> None:
        assert self._dlq is not None
        headers = [
            *(record.headers or ()),
            ("dlq_reason", failure.reason.encode()),
            ("dlq_error", failure.detail[:2000].encode()),
            ("dlq_consumer", self.name.encode()),
            ("dlq_topic", record.topic.encode()),
            ("dlq_partition", str(record.partition).encode()),
            ("dlq_offset", str(record.offset).encode()),
            ("dlq_attempts", str(failure.attempts).encode()),
            ("dlq_failed_at", datetime.now(UTC).isoformat().encode()),
        ]
        dlq = self._dlq

        async def send() -> None:
            await dlq.send_and_wait(f"{record.topic}.dlq", record.value, key=record.key, headers=headers)

        await self._retry_outage(send, stop, KAFKA)
        self.stats.count(self.name, "dead_lettered")
        log.warning(
            "consumer.dead_lettered",
            extra={"consumer": self.name, "reason": failure.reason, "topic": record.topic,
                   "partition": record.partition, "offset": record.offset},
        )

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        assert self._consumer is not None
        # A partition revoked meanwhile is left alone: its new owner re-reads; the inbox makes that harmless.
        assigned = self._consumer.assignment()
        offsets = {tp: offset for tp, offset in offsets.items() if tp in assigned}
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except CommitFailedError as error:  # a rebalance, not an outage
            log.warning("consumer.commit_failed", extra={"consumer": self.name, "reason": repr(error)})
        except KafkaError as error:
            self.readiness.mark(KAFKA, False)
            log.warning("consumer.commit_failed", extra={"consumer": self.name, "reason": repr(error)})
        else:
            self.readiness.mark(KAFKA, True)

    async def _retry_outage(
        self, action: Callable[[], Awaitable[None]], stop: asyncio.Event, dependency: str
    ) -> None:
        """Run `action`, which needs `dependency`, retrying with backoff while the failure is an outage."""
        backoff = 0.1
        while True:
            if stop.is_set():
                raise _Stopping
            try:
                await action()
                self.readiness.mark(dependency, True)
                return
            except Exception as error:
                if not is_outage(error):
                    raise
                self.readiness.mark(dependency, False)
                self.stats.outages += 1
                log.warning("consumer.outage", extra={"consumer": self.name, "reason": repr(error)})
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, self.max_backoff)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


@dataclass(frozen=True, slots=True)
class Subscription:
    """One more consumer group a consumer process runs, beside its main one."""

    name: str
    topics: Sequence[str]
    handlers: Mapping[type[Event], AnyHandler]


class JointReadiness(Readiness):
    """Several consumers in one process: a dependency is up only when every one of them reaches it."""

    def __init__(self, process: str, parts: Sequence[Readiness]) -> None:
        super().__init__(process)
        self._parts = parts

    def state(self, dependency: str) -> bool | None:
        states = [part.state(dependency) for part in self._parts]
        if any(state is False for state in states):
            return False
        return True if all(state is True for state in states) else None

    def report(self) -> dict[str, bool | None]:
        return {dependency: self.state(dependency) for dependency in super().report()}

    @property
    def ready(self) -> bool:
        return all(part.ready for part in self._parts)


async def serve(
    settings: ServiceSettings,
    *,
    name: str,
    topics: Sequence[str],
    handlers: Mapping[type[Event], AnyHandler],
    also: Sequence[Subscription] = (),
) -> None:
    """Body of a service's `consumers.main()`: one consumer process until SIGTERM or Ctrl-C.

    `also`: further consumer groups run side by side in the same process, each with its own
    offsets and inbox name, so one can be replayed from the start without touching the others.
    When `settings.consumer_name` overrides the main group's name (isolated test runs), each
    further group is named after it: `<override>.<last part of its own name>`.
    """
    override = settings.consumer_name
    main_name = override or name
    groups = [Subscription(main_name, topics, handlers)] + [
        Subscription(f"{override}.{extra.name.rsplit('.', 1)[-1]}" if override else extra.name,
                     extra.topics, extra.handlers)
        for extra in also
    ]
    configure_logging(f"{settings.service_name}-consumer", settings.log_level or "INFO")
    telemetry.configure_tracing(f"{settings.service_name}-consumer")
    engine = create_engine(settings.dsn, pool_size=6 * len(groups))  # partitions side by side
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runners = [
        ConsumerRunner(name=group.name, bootstrap=settings.kafka, sessions=session_factory(engine),
                       topics=group.topics, handlers=group.handlers)
        for group in groups
    ]
    for runner in runners:
        log.info("consumer.started", extra={"consumer": runner.name, "topics": list(runner.topics)})
    try:
        work = [runner.run(stop) for runner in runners]
        port = settings.consumer_probe_port
        if port is not None:
            readiness = runners[0].readiness if len(runners) == 1 else JointReadiness(
                main_name, [runner.readiness for runner in runners])
            work.append(serve_probes(readiness, port, stop))
        await asyncio.gather(*work)
    finally:
        await engine.dispose()
        for runner in runners:
            log.info("consumer.stopped", extra={"consumer": runner.name, **runner.stats.__dict__})
