"""Subscriptions through the gateway: live events with fields of other subgraphs, limits, identity,
and the upstream subscription closed when the client goes."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import uuid4

import pytest
from servicekit.testing import Tokens, eventually
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ..subgraphs import SUBSCRIPTIONS_CLOSED
from .conftest import GatewayClient

SUBSCRIBE = "subscription($n: Int!) { badgeAwarded(count: $n) { name holder { name organisation { name } } } }"


@asynccontextmanager
async def socket(gateway: GatewayClient, payload: dict[str, Any] | None = None) -> AsyncIterator[ClientConnection]:
    async with connect(gateway.url.replace("http://", "ws://"), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        yield ws


async def messages(ws: ClientConnection, until: str = "complete") -> list[dict[str, Any]]:
    received = []
    while True:
        message = json.loads(await ws.recv())
        received.append(message)
        if message["type"] in (until, "error"):
            return received


class TestSubscriptions:
    async def test_each_event_is_completed_with_fields_of_other_subgraphs(self, production: GatewayClient) -> None:
        async with socket(production) as ws:
            await ws.send(json.dumps({"id": "s1", "type": "subscribe",
                                      "payload": {"query": SUBSCRIBE, "variables": {"n": 2}}}))
            received = await messages(ws)

        assert received == [
            {"id": "s1", "type": "next", "payload": {"data": {"badgeAwarded": {
                "name": "Live badge 0", "holder": {"name": "Ada", "organisation": {"name": "Riverside"}}}}}},
            {"id": "s1", "type": "next", "payload": {"data": {"badgeAwarded": {
                "name": "Live badge 1", "holder": {"name": "Bo", "organisation": {"name": "Northvale"}}}}}},
            {"id": "s1", "type": "complete"},
        ]

    async def test_the_upstream_subscription_closes_when_the_client_completes(self, production: GatewayClient) -> None:
        closed_before = SUBSCRIPTIONS_CLOSED.count("badge_awarded(-1)")
        async with socket(production) as ws:
            await ws.send(json.dumps({"id": "s2", "type": "subscribe",
                                      "payload": {"query": SUBSCRIBE, "variables": {"n": -1}}}))
            first = json.loads(await ws.recv())
            await ws.send(json.dumps({"id": "s2", "type": "complete"}))

            async def closed() -> bool:
                return SUBSCRIPTIONS_CLOSED.count("badge_awarded(-1)") > closed_before

            await eventually(closed, timeout=10)
        assert first["payload"]["data"]["badgeAwarded"]["name"] == "Live badge 0"

    async def test_the_upstream_subscription_closes_when_the_client_disconnects(
        self, production: GatewayClient
    ) -> None:
        closed_before = SUBSCRIPTIONS_CLOSED.count("badge_awarded(-1)")
        async with socket(production) as ws:
            await ws.send(json.dumps({"id": "s3", "type": "subscribe",
                                      "payload": {"query": SUBSCRIBE, "variables": {"n": -1}}}))
            await ws.recv()

        async def closed() -> bool:
            return SUBSCRIPTIONS_CLOSED.count("badge_awarded(-1)") > closed_before

        await eventually(closed, timeout=10)

    async def test_limits_apply(self, production: GatewayClient) -> None:
        deep = "subscription { badgeAwarded { holder { projects { team { projects { id } } } } } }"
        async with socket(production) as ws:
            await ws.send(json.dumps({"id": "s4", "type": "subscribe", "payload": {"query": deep}}))
            [error] = await messages(ws)

        assert error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"

    async def test_a_bad_token_closes_the_socket(self, production: GatewayClient, tokens: Tokens) -> None:
        expired = tokens.mint(uuid4(), ttl_seconds=-120)
        async with connect(production.url.replace("http://", "ws://"), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {expired}"}}))
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()

        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4403

    async def test_a_message_nested_too_deeply_closes_the_socket(self, production: GatewayClient) -> None:
        variables = "[" * 5_000 + "]" * 5_000
        async with socket(production) as ws:
            await ws.send('{"id": "s5", "type": "subscribe", "payload": {"query": "subscription { badgeAwarded '
                          '{ name } }", "variables": {"x": ' + variables + "}}}")
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()

        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4400, "Invalid message: nested too deeply")
