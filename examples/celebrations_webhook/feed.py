"""Posts the MAC Heroes Network's celebrations to a webhook, signed the Standard Webhooks way.

An outside consumer of `recognition.events.v1`, on purpose built from public pieces only (aiokafka,
httpx, standardwebhooks): a feed builder can copy this folder and run it. It keeps its own place
in the topic (a small SQLite file: partition -> next offset) instead of Kafka's consumer-group
offsets, so it needs no group rights on the cluster, and a restart continues where it stopped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from standardwebhooks import Webhook

log = logging.getLogger("celebrations_webhook")

TOPIC = "recognition.events.v1"
CELEBRATION = "network.heroes.recognition.celebration_posted.v1"
EVENT_TYPE = "celebration.posted"
# Answers worth trying again: the receiver is busy, slow or broken for now. Any other 4xx means
# it refuses this very message (bad request, gone...), and asking again will not change that.
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
REQUIRED = ("CELEBRATIONS_WEBHOOK_URL", "CELEBRATIONS_WEBHOOK_SECRET")


@dataclass(frozen=True)
class Settings:
    """What the feed needs; `from_env()` reads the CELEBRATIONS_* variables the README lists."""

    bootstrap: str
    webhook_url: str
    secret: str  # whsec_<base64>, shared with the receiver
    topic: str = TOPIC
    state_file: Path = Path("celebrations_webhook.sqlite3")
    # Post celebrations the network may see; add an organisation id to post that organisation's too.
    organisation_id: str | None = None
    start: str = "earliest"  # where a partition with no stored offset begins: earliest or latest
    max_attempts: int = 6  # per message, then give up on it and go on
    first_delay: float = 1.0  # seconds before the second attempt; doubles each time
    max_delay: float = 60.0
    timeout: float = 10.0  # seconds for one POST

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        missing = [name for name in REQUIRED if not env.get(name)]
        if missing:
            raise SystemExit(f"celebrations_webhook: set {' and '.join(missing)} (see README.md)")
        return cls(
            bootstrap=env.get("CELEBRATIONS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:59092"),
            webhook_url=env["CELEBRATIONS_WEBHOOK_URL"],
            secret=env["CELEBRATIONS_WEBHOOK_SECRET"],
            topic=env.get("CELEBRATIONS_TOPIC", TOPIC),
            state_file=Path(env.get("CELEBRATIONS_STATE_FILE", "celebrations_webhook.sqlite3")),
            organisation_id=env.get("CELEBRATIONS_ORGANISATION_ID") or None,
            start=env.get("CELEBRATIONS_START", "earliest"),
            max_attempts=int(env.get("CELEBRATIONS_MAX_ATTEMPTS", "6")),
            first_delay=float(env.get("CELEBRATIONS_FIRST_DELAY", "1")),
            max_delay=float(env.get("CELEBRATIONS_MAX_DELAY", "60")),
        )


class State:
    """The feed's own place in the topic, and the messages it gave up on, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path)
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS offsets (topic TEXT NOT NULL,"
                " partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,"
                " PRIMARY KEY (topic, partition))"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS given_up (webhook_id TEXT PRIMARY KEY,"
                " topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,"
                " body TEXT NOT NULL, reason TEXT NOT NULL, given_up_at TEXT NOT NULL)"
            )

    def next_offsets(self, topic: str) -> dict[int, int]:
        rows = self._db.execute(
            "SELECT partition, next_offset FROM offsets WHERE topic = ?", (topic,)
        )
        return dict(rows.fetchall())

    def done(self, record: ConsumerRecord[bytes, bytes]) -> None:
        """The record is dealt with (posted, skipped or given up on): start after it next time."""
        with self._db:
            self._db.execute(
                "INSERT INTO offsets VALUES (?, ?, ?) ON CONFLICT (topic, partition)"
                " DO UPDATE SET next_offset = excluded.next_offset",
                (record.topic, record.partition, record.offset + 1),
            )

    def give_up(
        self, record: ConsumerRecord[bytes, bytes], webhook_id: str, body: bytes, reason: str
    ) -> None:
        """Keep what could not be posted (for a person to look at, or re-send), and move on."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO given_up VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    webhook_id,
                    record.topic,
                    record.partition,
                    record.offset,
                    body.decode(),
                    reason,
                    datetime.now(UTC).isoformat(),
                ),
            )
        self.done(record)

    def given_up(self) -> list[tuple[str, int, int, str]]:
        """(webhook id, partition, offset, reason) of each message given up on."""
        rows = self._db.execute(
            "SELECT webhook_id, partition, offset, reason FROM given_up ORDER BY rowid"
        )
        return list(rows.fetchall())

    def close(self) -> None:
        self._db.close()


@dataclass(frozen=True)
class Celebration:
    """One celebration to post: its webhook id (the event's ce_id, the same on every attempt and
    on a redelivery, so the receiver can drop duplicates) and the exact body bytes to sign."""

    webhook_id: str
    body: bytes


def celebration(
    record: ConsumerRecord[bytes, bytes], *, organisation_id: str | None
) -> Celebration | None:
    """The celebration in a record, or None for anything else: other event types, other versions,
    records that are not CloudEvents of ours, and celebrations this feed may not show."""
    headers = {
        name: (value or b"").decode("utf-8", "replace") for name, value in record.headers or ()
    }
    if headers.get("ce_type") != CELEBRATION or "ce_id" not in headers:
        return None
    try:
        data = json.loads(record.value or b"")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    shared_with = data.get("shared_with")
    if not (
        shared_with == "network"
        or (
            shared_with == "organisation"
            and organisation_id is not None
            and data.get("organisation_id") == organisation_id
        )
    ):
        return None
    message = {"type": EVENT_TYPE, "timestamp": data.get("posted_at"), "data": data}
    return Celebration(headers["ce_id"], json.dumps(message, separators=(",", ":")).encode())


Sleep = Callable[[float], Awaitable[bool]]


@dataclass
class Poster:
    """POSTs one body, signed, retrying with exponential backoff; gives up after `max_attempts`."""

    url: str
    secret: str
    http: httpx.AsyncClient
    max_attempts: int = 6
    first_delay: float = 1.0
    max_delay: float = 60.0
    _webhook: Webhook = field(init=False)

    def __post_init__(self) -> None:
        self._webhook = Webhook(self.secret)

    def signed_headers(self, item: Celebration, now: datetime) -> dict[str, str]:
        moment = now.replace(microsecond=0)
        return {
            "content-type": "application/json",
            "webhook-id": item.webhook_id,
            "webhook-timestamp": str(int(moment.timestamp())),
            # Signs "{id}.{timestamp}.{body}" with HMAC-SHA256: "v1,<base64>".
            "webhook-signature": self._webhook.sign(item.webhook_id, moment, item.body.decode()),
        }

    async def post(self, item: Celebration, sleep: Sleep) -> str | None:
        """None once the receiver took it (a 2xx); otherwise why it was given up on.

        `sleep(seconds)` waits between attempts and returns False when the feed is stopping,
        which ends the attempts early (raising Stopping, so the message is not marked done).
        """
        reason = ""
        for attempt in range(1, self.max_attempts + 1):
            headers = self.signed_headers(item, datetime.now(UTC))
            try:
                response = await self.http.post(self.url, content=item.body, headers=headers)
            except httpx.HTTPError as error:  # refused, timed out, reset: the receiver is away
                reason = f"{type(error).__name__}: {error}"
            else:
                if response.is_success:
                    return None
                reason = f"HTTP {response.status_code}"
                if response.status_code not in RETRYABLE:
                    return reason
            if attempt == self.max_attempts:
                break
            delay = min(self.max_delay, self.first_delay * 2 ** (attempt - 1))
            log.info(
                "celebration.retrying webhook_id=%s attempt=%d reason=%r delay=%.2fs",
                item.webhook_id,
                attempt,
                reason,
                delay,
            )
            if not await sleep(delay):
                raise Stopping
        return f"{reason} after {self.max_attempts} attempts"


class Stopping(Exception):
    """The feed was asked to stop while a message was still being tried."""


class Feed:
    """Reads the topic from the stored offsets and posts each celebration in partition order."""

    def __init__(self, settings: Settings, *, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._http = http
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        settings = self.settings
        partitions = await partitions_of(settings.bootstrap, settings.topic)
        state = State(settings.state_file)
        consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.bootstrap,
            group_id=None,  # no consumer group: this feed keeps its offsets itself
            enable_auto_commit=False,
            auto_offset_reset=settings.start,
            client_id="celebrations-webhook",
        )
        http = self._http or httpx.AsyncClient(timeout=settings.timeout)
        poster = Poster(
            settings.webhook_url,
            settings.secret,
            http,
            settings.max_attempts,
            settings.first_delay,
            settings.max_delay,
        )
        await consumer.start()
        try:
            self._assign(consumer, state, partitions)
            while not self._stop.is_set():
                batches = await consumer.getmany(timeout_ms=200, max_records=100)
                # Partitions are independent (order matters only within one), so each one's
                # records go out beside the others'. A message being retried holds up the next
                # batch, but only until its bounded attempts run out (see Poster.post).
                await asyncio.gather(
                    *(self._post_all(records, poster, state) for records in batches.values())
                )
        finally:
            await _stop(consumer)
            if self._http is None:
                await http.aclose()
            state.close()

    def _assign(self, consumer: AIOKafkaConsumer, state: State, partitions: list[int]) -> None:
        """Read every partition, each from its stored offset (else from `start`)."""
        topic = self.settings.topic
        stored = state.next_offsets(topic)
        assigned = [TopicPartition(topic, partition) for partition in partitions]
        consumer.assign(assigned)
        for tp in assigned:
            if tp.partition in stored:
                consumer.seek(tp, stored[tp.partition])
        log.info("celebration.started topic=%s resuming_at=%s", topic, stored or "start")

    async def _post_all(
        self, records: list[ConsumerRecord[bytes, bytes]], poster: Poster, state: State
    ) -> None:
        for record in records:
            if self._stop.is_set():
                return  # the rest of the batch is read again after a restart
            item = celebration(record, organisation_id=self.settings.organisation_id)
            if item is not None:
                try:
                    failed = await poster.post(item, self._sleep)
                except Stopping:
                    return
                if failed is not None:
                    log.warning(
                        "celebration.gave_up webhook_id=%s partition=%d offset=%d reason=%r",
                        item.webhook_id,
                        record.partition,
                        record.offset,
                        failed,
                    )
                    state.give_up(record, item.webhook_id, item.body, failed)
                    continue
                log.info(
                    "celebration.posted webhook_id=%s partition=%d offset=%d",
                    item.webhook_id,
                    record.partition,
                    record.offset,
                )
            # Written after each post: a crash between the post and this line posts the message
            # again on restart, with the same webhook-id (at least once, like the topic itself).
            state.done(record)

    async def _sleep(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            return True
        return False


async def partitions_of(bootstrap: str, topic: str) -> list[int]:
    """The topic's partitions, as the cluster says now (partitions added later need a restart)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="celebrations-webhook")
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
    finally:
        await admin.close()
    found = [entry for entry in described if entry["topic"] == topic and entry["error_code"] == 0]
    if not found or not found[0]["partitions"]:
        raise RuntimeError(f"topic {topic} not found on {bootstrap}")
    return sorted(partition["partition"] for partition in found[0]["partitions"])


async def _stop(consumer: AIOKafkaConsumer) -> None:
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        # aiokafka, stopped while a fetch waits out its back-off, re-raises that fetch's own
        # cancellation; pass a cancellation on only when it is this task's.
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise


async def _run_until_signalled(feed: Feed) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, feed.stop)
    await feed.run()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(_run_until_signalled(Feed(Settings.from_env())))
    return 0
