"""examples/celebrations_webhook, the outside feed, against real Kafka and a local webhook receiver
that checks every Standard Webhooks signature with the same library."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from uuid import UUID, uuid4

import pytest
from recognition.events import CelebrationPosted, KudosGiven
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.kafka import TopicSpec, ensure_topics, new_producer, stop_client
from servicekit.testing import eventually
from standardwebhooks import Webhook, WebhookVerificationError

from examples.celebrations_webhook.feed import Feed, Settings, State

pytestmark = pytest.mark.asyncio(loop_scope="session")

SECRET = "whsec_" + base64.b64encode(b"celebrations-test-secret-32bytes").decode()
POSTED_AT = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
ORGANISATION = UUID("00000000-0000-0000-0000-0000000000a1")
OTHER_ORGANISATION = UUID("00000000-0000-0000-0000-0000000000a2")
SharedWith = Literal["network", "organisation", "team", "hidden"]


@dataclass(frozen=True)
class Delivery:
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int


@dataclass
class Receiver:
    """A webhook endpoint: verifies each request's signature, answers 200 (or what `fail` asked
    for first), and keeps every request in arrival order."""

    secret: str
    deliveries: list[Delivery] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)
    url: str = ""

    def fail(self, webhook_id: str, *statuses: int) -> None:
        self.failures[webhook_id] = list(statuses)

    def accepted(self) -> list[Delivery]:
        return [delivery for delivery in self.deliveries if delivery.status == 200]

    @contextlib.contextmanager
    def serving(self) -> Iterator[Receiver]:
        receiver, lock = self, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    Webhook(receiver.secret).verify(body, headers)
                    verified = True
                except WebhookVerificationError:
                    verified = False
                with lock:
                    queued = receiver.failures.get(headers.get("webhook-id", ""), [])
                    status = (queued.pop(0) if queued else 200) if verified else 401
                    receiver.deliveries.append(Delivery(headers, body, verified, status))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/celebrations"
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver(SECRET).serving() as receiver:
        yield receiver


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    """A topic of this test only, with two partitions like recognition.events.v1 has six."""
    name = f"celebrations.test.{secrets.token_hex(4)}"
    await ensure_topics(kafka_bootstrap, [TopicSpec(name=name, partitions=2)])
    return name


@dataclass
class Published:
    id: str
    payload: dict[str, Any]


class Publisher:
    """Publishes recognition events the way the recognition relay does (servicekit's envelope)."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.topic = topic
        self.producer = new_producer(bootstrap, client_id="celebrations-test")

    async def event(self, event: Event, partition: int, key: UUID) -> Published:
        envelope = Envelope(
            id=uuid4(),
            source=event.source,
            type=event.ce_type(),
            time=POSTED_AT,
            key=str(key),
            data=event.to_payload(),
        )
        await self.producer.send_and_wait(
            self.topic,
            envelope.value(),
            key=envelope.key.encode(),
            headers=envelope.headers(),
            partition=partition,
        )
        return Published(str(envelope.id), json.loads(envelope.value()))

    async def celebration(
        self,
        partition: int,
        *,
        shared_with: SharedWith = "network",
        organisation: UUID = ORGANISATION,
    ) -> Published:
        member, kudos = uuid4(), uuid4()
        event = CelebrationPosted(
            celebration_id=uuid4(),
            kind="kudos",
            member_id=member,
            project_id=None,
            organisation_id=organisation,
            shared_with=shared_with,
            kudos_id=kudos,
            posted_at=POSTED_AT,
        )
        return await self.event(event, partition, member)

    async def raw(self, partition: int, value: bytes) -> None:
        await self.producer.send_and_wait(self.topic, value, partition=partition)


@pytest.fixture
async def publisher(kafka_bootstrap: str, topic: str) -> AsyncIterator[Publisher]:
    publisher = Publisher(kafka_bootstrap, topic)
    await publisher.producer.start()
    yield publisher
    await stop_client(publisher.producer)


def settings(
    kafka_bootstrap: str, topic: str, receiver: Receiver, tmp_path: Path, **values: Any
) -> Settings:
    return Settings(
        bootstrap=kafka_bootstrap,
        webhook_url=receiver.url,
        secret=SECRET,
        topic=topic,
        state_file=tmp_path / "feed.sqlite3",
        first_delay=0.05,
        max_delay=0.2,
        max_attempts=3,
        timeout=5,
        **values,
    )


@contextlib.asynccontextmanager
async def running(config: Settings) -> AsyncIterator[asyncio.Task[None]]:
    feed = Feed(config)
    task = asyncio.create_task(feed.run())
    try:
        yield task
    finally:
        feed.stop()
        await asyncio.wait_for(task, 30)


def stored_offsets(config: Settings) -> dict[int, int]:
    state = State(config.state_file)
    try:
        return state.next_offsets(config.topic)
    finally:
        state.close()


async def caught_up(task: asyncio.Task[None], config: Settings, offsets: dict[int, int]) -> bool:
    if task.done():
        task.result()  # a feed that died says why
    assert stored_offsets(config) == offsets
    return True


def body(published: Published) -> bytes:
    return json.dumps(
        {
            "type": "celebration.posted",
            "timestamp": "2025-03-04T09:30:00Z",
            "data": published.payload,
        },
        separators=(",", ":"),
    ).encode()


class TestCelebrationsWebhook:
    async def test_posts_the_celebrations_it_may_show_signed_in_partition_order(
        self,
        kafka_bootstrap: str,
        topic: str,
        receiver: Receiver,
        publisher: Publisher,
        tmp_path: Path,
    ) -> None:
        first = await publisher.celebration(0)
        await publisher.event(
            KudosGiven(
                kudos_id=uuid4(),
                from_member_id=uuid4(),
                to_member_id=uuid4(),
                to_project_id=None,
                is_public=True,
                given_at=POSTED_AT,
            ),
            0,
            uuid4(),
        )
        await publisher.celebration(0, shared_with="hidden")
        ours = await publisher.celebration(1, shared_with="organisation")
        await publisher.celebration(1, shared_with="organisation", organisation=OTHER_ORGANISATION)
        await publisher.raw(1, b"not a cloud event")
        last = await publisher.celebration(1)
        config = settings(
            kafka_bootstrap, topic, receiver, tmp_path, organisation_id=str(ORGANISATION)
        )

        async with running(config) as task:
            await eventually(lambda: caught_up(task, config, {0: 3, 1: 4}), timeout=30)

        payload = first.payload
        by_id = {delivery.headers["webhook-id"]: delivery for delivery in receiver.deliveries}
        assert (
            by_id[first.id].body
            == (
                '{"type":"celebration.posted","timestamp":"2025-03-04T09:30:00Z","data":{'
                f'"award_id":null,"celebration_id":"{payload["celebration_id"]}","kind":"kudos",'
                f'"kudos_id":"{payload["kudos_id"]}","member_id":"{payload["member_id"]}",'
                '"nomination_id":null,"organisation_id":"00000000-0000-0000-0000-0000000000a1",'
                '"posted_at":"2025-03-04T09:30:00Z","project_id":null,"shared_with":"network"}}'
            ).encode()
        )
        order = [d.headers["webhook-id"] for d in receiver.deliveries]
        assert sorted(order) == sorted([first.id, ours.id, last.id])  # each once, nothing else
        assert order.index(ours.id) < order.index(last.id)  # in order within partition 1
        assert {d.headers["webhook-id"]: d.body for d in receiver.deliveries} == {
            first.id: body(first),
            ours.id: body(ours),
            last.id: body(last),
        }
        assert all(d.verified and d.status == 200 for d in receiver.deliveries)
        assert all(d.headers["content-type"] == "application/json" for d in receiver.deliveries)

    async def test_the_signature_is_the_standard_webhooks_hmac_of_id_timestamp_and_body(
        self,
        kafka_bootstrap: str,
        topic: str,
        receiver: Receiver,
        publisher: Publisher,
        tmp_path: Path,
    ) -> None:
        await publisher.celebration(0)
        config = settings(kafka_bootstrap, topic, receiver, tmp_path)

        async with running(config) as task:
            await eventually(lambda: caught_up(task, config, {0: 1}), timeout=30)

        [delivery] = receiver.deliveries
        headers = delivery.headers
        key = base64.b64decode(SECRET.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + delivery.body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        assert headers["webhook-signature"] == f"v1,{expected}"
        assert abs(int(headers["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 60

    async def test_a_server_error_is_retried_with_the_same_id_and_body(
        self,
        kafka_bootstrap: str,
        topic: str,
        receiver: Receiver,
        publisher: Publisher,
        tmp_path: Path,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        caplog.set_level(logging.INFO, logger="celebrations_webhook")
        first = await publisher.celebration(0)
        second = await publisher.celebration(0)
        receiver.fail(first.id, 500)
        config = settings(kafka_bootstrap, topic, receiver, tmp_path)

        async with running(config) as task:
            await eventually(lambda: caught_up(task, config, {0: 2}), timeout=30)

        assert [(d.headers["webhook-id"], d.status) for d in receiver.deliveries] == [
            (first.id, 500),
            (first.id, 200),
            (second.id, 200),
        ]
        assert receiver.deliveries[0].body == receiver.deliveries[1].body == body(first)
        assert all(d.verified for d in receiver.deliveries)
        assert (
            f"celebration.retrying webhook_id={first.id} attempt=1 reason='HTTP 500'" in caplog.text
        )

    async def test_a_message_that_keeps_failing_is_given_up_with_a_log_line_and_the_next_goes_on(
        self,
        kafka_bootstrap: str,
        topic: str,
        receiver: Receiver,
        publisher: Publisher,
        tmp_path: Path,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        caplog.set_level(logging.INFO, logger="celebrations_webhook")
        broken = await publisher.celebration(0)
        refused = await publisher.celebration(0)
        fine = await publisher.celebration(0)
        receiver.fail(broken.id, 500, 503, 500, 500)
        receiver.fail(refused.id, 400)
        config = settings(kafka_bootstrap, topic, receiver, tmp_path)

        async with running(config) as task:
            await eventually(lambda: caught_up(task, config, {0: 3}), timeout=30)

        assert [(d.headers["webhook-id"], d.status) for d in receiver.deliveries] == [
            (broken.id, 500),
            (broken.id, 503),
            (broken.id, 500),
            (refused.id, 400),
            (fine.id, 200),
        ]
        assert (
            f"celebration.gave_up webhook_id={broken.id} partition=0 offset=0 "
            "reason='HTTP 500 after 3 attempts'"
        ) in caplog.text
        state = State(config.state_file)
        assert state.given_up() == [
            (broken.id, 0, 0, "HTTP 500 after 3 attempts"),
            (refused.id, 0, 1, "HTTP 400"),
        ]
        state.close()

    async def test_a_restart_resumes_from_the_stored_offset_without_posting_again(
        self,
        kafka_bootstrap: str,
        topic: str,
        receiver: Receiver,
        publisher: Publisher,
        tmp_path: Path,
    ) -> None:
        first = await publisher.celebration(0)
        second = await publisher.celebration(0)
        config = settings(kafka_bootstrap, topic, receiver, tmp_path)
        async with running(config) as task:
            await eventually(lambda: caught_up(task, config, {0: 2}), timeout=30)
        third = await publisher.celebration(0)

        async with running(config) as task:
            await eventually(lambda: caught_up(task, config, {0: 3}), timeout=30)

        # Partition order: had the restart read from the start, first and second would come again
        # before third.
        assert [d.headers["webhook-id"] for d in receiver.deliveries] == [
            first.id,
            second.id,
            third.id,
        ]
