"""Live celebrations: the gateway's `celebrations` subscription, relayed to a browser as server-sent events.

One WebSocket to the gateway per open wall (graphql-transport-ws, signed in with the person's
token); each celebration is rendered as the same HTML as on the wall and sent as one `celebration`
event, which htmx's SSE extension puts at the top of the list. A `live` event first says the
wall is now updating by itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

log = logging.getLogger("portal.live")

PROTOCOL = Subprotocol("graphql-transport-ws")
# Sent once the subscription is asked for: the page says so, for everyone and screen readers.
LIVE_NOW = "New celebrations appear here as they happen."
KEEP_ALIVE_SECONDS = 15


def websocket_url(gateway_url: str) -> str:
    return gateway_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)


async def relay(gateway_url: str, token: str, document: str, variables: dict[str, Any],
                render: Callable[[dict[str, Any]], str]) -> AsyncIterator[str]:
    """Server-sent event lines for each item the subscription delivers (and a comment now and then,
    so proxies keep the stream open)."""
    try:
        async with connect(websocket_url(gateway_url), subprotocols=[PROTOCOL], open_timeout=10) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
            acknowledged = json.loads(await asyncio.wait_for(socket.recv(), 10))
            if acknowledged.get("type") != "connection_ack":
                return
            await socket.send(json.dumps({"id": "wall", "type": "subscribe",
                                          "payload": {"query": document, "variables": variables}}))
            yield sse_event("live", LIVE_NOW)
            while True:
                try:
                    raw = await asyncio.wait_for(socket.recv(), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                message = json.loads(raw)
                if message.get("type") == "ping":
                    await socket.send(json.dumps({"type": "pong"}))
                elif message.get("type") == "next":
                    data = (message.get("payload") or {}).get("data") or {}
                    for item in data.values():
                        if isinstance(item, dict):
                            yield sse_event("celebration", render(item))
                elif message.get("type") in ("error", "complete"):
                    return
    except (OSError, WebSocketException, TimeoutError) as error:
        log.info("live.gateway_unavailable", extra={"reason": repr(error)})


def sse_event(name: str, html: str) -> str:
    lines = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"event: {name}\n{lines}\n"
