"""Live celebrations over graphql-transport-ws: the consumer's celebrations reach subscribers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from servicekit.testing import Tokens
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from ..scenario import MEMBER_ORGS, World, two_organisations
from ..support import Consumer, People, Publisher, play

pytestmark = pytest.mark.asyncio(loop_scope="session")

SUBSCRIBE = """subscription($scope: CelebrationScope!) {
  celebrations(scope: $scope) { kind title member { id } }
}"""


@pytest.fixture(scope="module")
async def people(publisher: Publisher, consumer: Consumer, tokens: Tokens) -> People:
    world = two_organisations(World("live"))
    await play(publisher, consumer, world.steps)
    return People(world, tokens, MEMBER_ORGS)


@asynccontextmanager
async def subscribed(
    served: str, scope: str, *, header: str | None = None, init: dict[str, Any] | None = None
) -> AsyncIterator[ClientConnection]:
    url = served.replace("http://", "ws://") + "/graphql"
    headers = {"Authorization": f"Bearer {header}"} if header else {}
    async with connect(
        url, subprotocols=[Subprotocol("graphql-transport-ws")], additional_headers=headers
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": init or {}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(
            json.dumps(
                {
                    "type": "subscribe",
                    "id": "1",
                    "payload": {"query": SUBSCRIBE, "variables": {"scope": scope}},
                }
            )
        )
        yield socket


async def next_message(socket: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 10))
    return message


class TestLiveCelebrations:
    async def test_a_subscriber_receives_a_celebration_from_an_event_published_after_subscribing(
        self, served: str, people: People, publisher: Publisher
    ) -> None:
        nurse, patient = str(people.id("a-nurse")), str(people.id("a-patient"))
        async with subscribed(served, "NETWORK", header=people.token("b-carer")) as socket:
            # Organisation-only: not for the network feed of someone in another organisation.
            first = people.world.level("a-patient", "org-a", 2)
            second = people.world.level("a-nurse", "org-a", 3)
            for step in (first, second):
                await publisher.publish(step.event, key=step.key, event_id=step.event_id)

            message = await next_message(socket)

        assert message == {
            "type": "next",
            "id": "1",
            "payload": {
                "data": {
                    "celebrations": {
                        "kind": "BADGE",
                        "title": "MAC Hero Leader",
                        "member": {"id": nurse},
                    }
                }
            },
        }
        assert patient not in json.dumps(message)

    async def test_a_browser_signs_in_with_connection_parameters(
        self, served: str, people: People, publisher: Publisher, consumer: Consumer
    ) -> None:
        patient = str(people.id("a-patient"))
        init = {"Authorization": f"Bearer {people.coordinator('a-coord')}"}
        async with subscribed(served, "ORGANISATION", init=init) as socket:
            step = people.world.level("a-patient", "org-a", 3)
            await publisher.publish(step.event, key=step.key, event_id=step.event_id)

            message = await next_message(socket)

        assert message["payload"]["data"]["celebrations"] == {
            "kind": "BADGE",
            "title": "MAC Hero Leader",
            "member": {"id": patient},
        }

    async def test_an_anonymous_subscriber_is_refused(self, served: str) -> None:
        async with subscribed(served, "NETWORK") as socket:
            message = await next_message(socket)

        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "unauthenticated"


class TestExpiry:
    async def test_the_stream_ends_when_the_subscribers_sign_in_expires(
        self, served: str, tokens: Tokens, people: People
    ) -> None:
        nurse = people.id("a-nurse")
        soon = tokens.mint(nurse, people.id("org-a"), roles=("hero",), ttl_seconds=-25)  # within the 30 s leeway

        async with subscribed(served, "NETWORK", header=soon) as socket:
            message = json.loads(await asyncio.wait_for(socket.recv(), 10))

        assert message == {"id": "1", "type": "complete"}
