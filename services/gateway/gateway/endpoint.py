"""`POST /graphql`, the gateway's hot path, as a plain ASGI app.

Every client request comes here, so it skips the framework's per-request machinery (request
objects, dependency resolution, response classes): it reads the body within the size limit,
checks the JSON's depth before parsing it (orjson), checks the caller's token, runs the
operation (or a batch) on the current engine and sends the answer encoded by orjson. The
outer middleware (request ids, traces, metrics) still wraps it. Everything else the gateway
serves (GraphiQL, subscriptions, health, reloads) stays ordinary FastAPI routes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from servicekit import telemetry
from servicekit.errors import DomainError
from servicekit.graphql import GATEWAY_SECRET_HEADER, INTERNAL_ERROR_MESSAGE
from servicekit.identity import InvalidToken, TokenVerifier, bearer_token
from servicekit.jsondepth import json_too_deep
from servicekit.tracing import current_request_id, current_traceparent

from gateway.engine import Engine, request_error
from gateway.execution.fetcher import header_lines
from gateway.limits import Limits
from gateway.outage import nothing_but_outage

log = logging.getLogger("gateway.endpoint")

# How long a client should wait before trying again after a 503 (subgraphs say the same).
RETRY_AFTER_SECONDS = b"1"
# In development, a request with this header gets its query plan back in `extensions.queryPlan`.
QUERY_PLAN_HEADER = b"x-heroes-query-plan"
_JSON = (b"content-type", b"application/json")


@dataclass(frozen=True, slots=True)
class _Route:
    """What the request-metrics middleware reads to label this route."""

    path: str = "/graphql"


ROUTE = _Route()


class GraphQLEndpoint:
    def __init__(self, engine: Callable[[], Engine | None], verifier: Callable[[], TokenVerifier | None],
                 secret: str, limits: Limits, *, plans_shown: bool) -> None:
        self.engine = engine
        self.verifier = verifier
        self.secret = secret
        self.limits = limits
        self.plans_shown = plans_shown
        self._secret_line = header_lines({GATEWAY_SECRET_HEADER: secret}) if secret else b""

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        scope["route"] = ROUTE
        status, content, retry = await self._answer(scope, receive)
        headers = [_JSON, (b"content-length", str(len(content)).encode())]
        if retry:
            headers.append((b"retry-after", RETRY_AFTER_SECONDS))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _answer(self, scope: dict[str, Any], receive: Callable[..., Any]) -> tuple[int, bytes, bool]:
        limits = self.limits
        headers = dict(scope["headers"])
        body = await _read_limited(receive, headers.get(b"content-length"), limits.max_body_bytes)
        if body is None:
            return _refusal(f"The request body is larger than {limits.max_body_bytes} bytes.", "REQUEST_TOO_LARGE", 413)
        if json_too_deep(body, limits.max_json_depth):  # before parsing
            return _refusal(f"The request body nests arrays and objects more than {limits.max_json_depth} "
                            "levels deep.", "BAD_REQUEST", 400)
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return _refusal("The request body is not valid JSON.", "BAD_REQUEST", 400)
        forwarded = self._forwarded(headers.get(b"authorization"))
        if isinstance(forwarded, DomainError):
            return _refusal(forwarded.message, forwarded.code, 401)
        engine = self.engine()  # this request keeps this engine even if a reload swaps it meanwhile
        assert engine is not None
        show_plan = self.plans_shown and headers.get(QUERY_PLAN_HEADER, b"") not in (b"", b"0")
        if isinstance(payload, list):
            if not payload or len(payload) > limits.max_batch:
                return _refusal(f"Send between 1 and {limits.max_batch} operations in one batch.",
                                "BATCH_TOO_LARGE", 400)
            answers = list(await asyncio.gather(*(_safe(engine, item, forwarded, show_plan) for item in payload)))
            outage = all(nothing_but_outage(answer) for answer in answers)
            return (503 if outage else 200), orjson.dumps(answers), outage
        answer = await _safe(engine, payload, forwarded, show_plan)
        outage = nothing_but_outage(answer)
        return (503 if outage else 200), orjson.dumps(answer), outage

    def _forwarded(self, authorization: bytes | None) -> bytes | DomainError:
        """The header lines for subgraphs, after checking the caller's token here first."""
        lines = [self._secret_line]
        try:
            token = bearer_token(authorization.decode("latin-1") if authorization else None)
            if token is not None:
                verifier = self.verifier()
                if verifier is None:
                    raise InvalidToken("Sign-in is not set up on this gateway.")
                verifier.verify(token)
                lines.append(header_lines({"authorization": f"Bearer {token}"}))
        except DomainError as error:
            return error
        extra = {}
        if request_id := current_request_id():
            extra["x-request-id"] = request_id
        # With tracing on, each subgraph call sends its own client span's context (fetcher).
        if not telemetry.enabled() and (traceparent := current_traceparent()):
            extra["traceparent"] = traceparent
        lines.append(header_lines(extra))
        return b"".join(lines)


async def _safe(engine: Engine, payload: Any, headers: bytes, show_plan: bool) -> dict[str, Any]:
    try:
        return await engine.execute(payload, headers, show_plan=show_plan)
    except Exception:
        log.exception("gateway.internal_error")
        return request_error(INTERNAL_ERROR_MESSAGE, "INTERNAL_SERVER_ERROR")


async def _read_limited(receive: Callable[..., Any], declared: bytes | None, limit: int) -> bytes | None:
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _refusal(message: str, code: str, status: int) -> tuple[int, bytes, bool]:
    return status, orjson.dumps(request_error(message, code)), False
