"""How deeply JSON may nest: a fast bracket scan run before any parser recurses, and the middleware.

`json.loads` (and strawberry, and pydantic) parse nested arrays and objects by
recursion, so a body nested a few thousand levels deep raises RecursionError
(an HTTP 500) or worse. The scan below counts bracket nesting over the raw
bytes, skipping string contents, and stops at the first level past the limit,
so a hostile body costs little to refuse. No well-kept JSON library offers a
configurable depth limit without parsing (orjson's is fixed at 1,024, which is
already too deep for the recursive code behind the parser), hence this scanner.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

DEFAULT_MAX_JSON_DEPTH = 64

# Escapes are dropped first (an escaped quote is not the end of a string), then the text between
# quotes, then everything but brackets: what is left is the nesting, at C speed.
_ESCAPES = re.compile(rb"\\.", re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = [0] * 256
for _bracket in b"[{":
    _STEP[_bracket] = 1
for _bracket in b"]}":
    _STEP[_bracket] = -1
_CHUNK = 4096
_BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})


def json_too_deep(body: bytes | str, max_depth: int = DEFAULT_MAX_JSON_DEPTH) -> bool:
    """True when arrays and objects in `body` nest more than `max_depth` levels.

    Works on any bytes, JSON or not, and never parses: a body that is not JSON
    is judged by its brackets outside strings. Brackets are counted in order, so
    an unclosed run counts in full; only after an unmatched closing bracket,
    where every parser has already stopped with an error, may it count low.
    """
    data = body.encode() if isinstance(body, str) else body
    if data.count(b"[") + data.count(b"{") <= max_depth:
        return False  # cannot nest deeper than the number of opening brackets
    if b"\\" in data:
        data = _ESCAPES.sub(b"", data)
    brackets = b"".join(data.split(b'"')[::2]).translate(None, _NOT_BRACKETS)
    depth = 0
    for start in range(0, len(brackets), _CHUNK):  # chunks: a hostile body is refused early
        levels = list(accumulate(map(_STEP.__getitem__, brackets[start : start + _CHUNK]), initial=depth))
        if max(levels) > max_depth:
            return True
        depth = max(levels[-1], 0)
    return False


def too_deep_message(max_depth: int) -> str:
    return f"The request is nested too deeply. JSON may nest at most {max_depth} levels."


def too_deep_body(max_depth: int) -> bytes:
    """The GraphQL-shaped error body every service answers an over-deep request with (HTTP 400)."""
    body = {"errors": [{"message": too_deep_message(max_depth), "extensions": {"code": "BAD_REQUEST"}}]}
    return json.dumps(body, separators=(",", ":")).encode()


class JsonDepthLimit:
    """ASGI middleware: refuses, with HTTP 400, any request whose JSON nests past `max_depth`.

    It reads the whole body before the application does and hands it on
    unchanged. Plain ASGI, so it costs one pass over the body and no extra task
    per request. JSON that arrives another way (query parameters, WebSocket
    messages) is checked where it is decoded (`SubgraphRouter.decode_json`).
    """

    def __init__(self, app: Any, max_depth: int = DEFAULT_MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in _BODILESS:
            await self.app(scope, receive, send)
            return
        body, disconnected = await _read_body(receive)
        if json_too_deep(body, self.max_depth):
            await self._refuse(send)
            return
        await self.app(scope, _replay(body, disconnected, receive), send)

    async def _refuse(self, send: Any) -> None:
        content = too_deep_body(self.max_depth)
        await send({
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
            ],
        })
        await send({"type": "http.response.body", "body": content})


async def _read_body(receive: Any) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, disconnected: bool, receive: Any) -> Any:
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            if disconnected:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        message: dict[str, Any] = await receive()  # later calls wait for the client to go away, as ASGI expects
        return message

    return replay
