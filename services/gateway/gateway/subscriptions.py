"""Subscriptions through the gateway, over graphql-transport-ws on both sides.

The root field of a subscription is proxied to its owning subgraph over a WebSocket of
its own; every event that arrives is completed like a query (fields of other subgraphs
fetched through the plan's entity steps) and shaped before it is sent on. The same
checks as for queries apply: token, validation, depth, aliases and cost. When the
client unsubscribes or goes away, the upstream subscription is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from servicekit.errors import DomainError
from servicekit.graphql import GATEWAY_SECRET_HEADER
from servicekit.identity import InvalidToken, TokenVerifier, bearer_token
from servicekit.jsondepth import json_too_deep
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from gateway.engine import Engine, Ready
from gateway.execution.executor import Executor
from gateway.planning.plan import Fetch

log = logging.getLogger("gateway.subscriptions")

PROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT_SECONDS = 10


class _Close(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class SubscriptionSession:
    """One client's WebSocket: its sign-in and its running subscriptions."""

    def __init__(self, websocket: WebSocket, engine: Callable[[], Engine], verifier: TokenVerifier | None,
                 secret: str) -> None:
        self.websocket = websocket
        self.engine = engine
        self.verifier = verifier
        self.secret = secret
        self.headers: dict[str, str] = {}
        self.running: dict[str, asyncio.Task[None]] = {}

    async def serve(self) -> None:
        await self.websocket.accept(subprotocol=PROTOCOL)
        try:
            await self._handshake()
            while True:
                await self._on(await self._receive())
        except _Close as close:
            await self.websocket.close(code=close.code, reason=close.reason)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            for task in self.running.values():
                task.cancel()
            await asyncio.gather(*self.running.values(), return_exceptions=True)

    async def _handshake(self) -> None:
        try:
            message = await asyncio.wait_for(self._receive(), INIT_TIMEOUT_SECONDS)
        except TimeoutError as error:
            raise _Close(4408, "Connection initialisation timeout") from error
        if not isinstance(message, dict) or message.get("type") != "connection_init":
            raise _Close(4401, "Unauthorized")
        payload = message.get("payload") or {}
        authorization = (payload.get("Authorization") or payload.get("authorization")
                         or self.websocket.headers.get("authorization"))
        try:
            self.headers = self._forwarded(authorization)
        except DomainError as error:
            raise _Close(4403, f"Forbidden: {error.message}") from error
        await self.websocket.send_json({"type": "connection_ack"})

    async def _receive(self) -> Any:
        text = await self.websocket.receive_text()
        if json_too_deep(text.encode(), self.engine().limits.max_json_depth):  # before json.loads recurses
            raise _Close(4400, "Invalid message: nested too deeply")
        try:
            return json.loads(text)
        except ValueError as error:
            raise _Close(4400, "Invalid message: not JSON") from error

    def _forwarded(self, authorization: str | None) -> dict[str, str]:
        headers = {GATEWAY_SECRET_HEADER: self.secret} if self.secret else {}
        token = bearer_token(authorization)
        if token is not None:
            if self.verifier is None:
                raise InvalidToken("Sign-in is not set up on this gateway.")
            self.verifier.verify(token)
            headers["authorization"] = f"Bearer {token}"
        return headers

    async def _on(self, message: Any) -> None:
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "ping":
            await self.websocket.send_json({"type": "pong"})
        elif kind == "subscribe":
            await self._subscribe(str(message.get("id")), message.get("payload"))
        elif kind == "complete":
            task = self.running.pop(str(message.get("id")), None)
            if task is not None:
                task.cancel()
        elif kind != "pong":
            raise _Close(4400, f"Unexpected message {kind!r}")

    async def _subscribe(self, subscription_id: str, payload: Any) -> None:
        if subscription_id in self.running:
            raise _Close(4409, f"Subscriber for {subscription_id} already exists")
        engine = self.engine()
        ready = await engine.check(payload)
        if not isinstance(ready, Ready):
            await self.websocket.send_json({"id": subscription_id, "type": "error", "payload": ready["errors"]})
            return
        if ready.kind != "subscription":
            result = await engine.execute(payload, self.headers)
            await self._send(subscription_id, "next", result)
            await self._send(subscription_id, "complete")
            return
        task = asyncio.create_task(self._proxy(subscription_id, engine, ready))
        self.running[subscription_id] = task
        task.add_done_callback(lambda _: self.running.pop(subscription_id, None))

    async def _proxy(self, subscription_id: str, engine: Engine, ready: Ready) -> None:
        plan = ready.prepared.plan
        assert plan is not None
        assert plan.roots
        root = plan.roots[0]
        url = engine.supergraph.subgraph_urls[root.subgraph].replace("http://", "ws://").replace("https://", "wss://")
        document = root.document(plan.operation_kind, plan.variable_types)
        variables = {name: ready.variables[name] for name in root.variables if name in ready.variables}
        try:
            async with connect(url, subprotocols=[Subprotocol(PROTOCOL)], additional_headers=self.headers,
                               open_timeout=10) as upstream:
                await upstream.send(json.dumps({"type": "connection_init", "payload": {}}))
                await upstream.send(json.dumps({"id": "1", "type": "subscribe",
                                                "payload": {"query": document, "variables": variables}}))
                async for raw in upstream:
                    if not await self._relay(subscription_id, engine, ready, json.loads(raw), root):
                        break
        except asyncio.CancelledError:
            raise  # the client completed or went away: leaving the block closes the upstream socket
        except (OSError, WebSocketException) as error:
            log.warning("subscription.upstream_failed", extra={"subgraph": root.subgraph, "reason": repr(error)})
            await self._send(subscription_id, "error", [{
                "message": f"The {root.subgraph} service could not be reached for this subscription.",
                "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": root.subgraph},
            }])

    async def _relay(self, subscription_id: str, engine: Engine, ready: Ready, message: dict[str, Any],
                     root: Fetch) -> bool:
        """Forward one upstream message; False when the subscription has ended."""
        kind = message.get("type")
        if kind == "next":
            payload = message.get("payload") or {}
            executor = Executor(engine.client, ready.prepared.plan, ready.variables, self.headers)  # type: ignore[arg-type]
            data, errors = await executor.continue_from(payload.get("data") or {}, root)
            errors = list(payload.get("errors") or []) + errors
            await self._send(subscription_id, "next", engine.shape(ready, data, errors))
        elif kind == "error":
            await self._send(subscription_id, "error", message.get("payload") or [])
            return False
        elif kind == "complete":
            await self._send(subscription_id, "complete")
            return False
        return True

    async def _send(self, subscription_id: str, kind: str, payload: Any = None) -> None:
        message: dict[str, Any] = {"id": subscription_id, "type": kind}
        if payload is not None:
            message["payload"] = payload
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await self.websocket.send_json(message)
