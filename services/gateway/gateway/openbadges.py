"""Open Badges at the network's public address: the gateway passes `/openbadges/...` on to the
recognition service, so every link in a certificate (issuer, achievement, key, check page)
resolves from outside, where the subgraphs themselves are not reachable.

Only the paths recognition serves for Open Badges pass; nothing else of a subgraph is exposed,
and the gateway secret is never sent along (these pages are public).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from gateway.engine import Engine

log = logging.getLogger("gateway.openbadges")

PREFIX = "/openbadges"
RECOGNITION = "recognition"
PUBLIC_PATHS = re.compile(
    r"/openbadges/(issuer|jwks\.json|verify|keys/[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}|achievements/[0-9a-fA-F-]{36})"
)
PASSED_REQUEST_HEADERS = ("accept", "content-type", "x-request-id")
PASSED_ANSWER_HEADERS = ("content-type", "vary", "cache-control")
MOST_BODY_BYTES = 64 * 1024
UNAVAILABLE = "Badge checking is unavailable for a moment. Please try again shortly."


def recognition_base(engine: Engine | None, configured: str | None) -> str | None:
    """Where recognition serves Open Badges: the configured address, else its subgraph's host."""
    if configured:
        return configured.rstrip("/")
    url = engine.supergraph.subgraph_urls.get(RECOGNITION) if engine is not None else None
    if not url:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def add_openbadges_routes(app: FastAPI, engine: Callable[[], Engine | None], configured: str | None) -> None:
    @app.api_route(PREFIX + "/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
    async def openbadges(request: Request, rest: str) -> Response:
        path = f"{PREFIX}/{rest}"
        current = engine()
        base = recognition_base(current, configured)
        if not PUBLIC_PATHS.fullmatch(path):
            return _error(404, "NOT_FOUND", "There is nothing at this address.")
        if current is None or base is None:
            return _error(503, "SERVICE_UNAVAILABLE", UNAVAILABLE)
        body = await _bounded_body(request)
        if body is None:
            return _error(413, "BAD_REQUEST", "This is too large to be a badge certificate.")
        headers = {name: request.headers[name] for name in PASSED_REQUEST_HEADERS if name in request.headers}
        try:
            answer = await current.client.control.request(
                request.method, f"{base}{path}", content=body, headers=headers,
                timeout=current.client.timeout,
            )
        except httpx.HTTPError as error:
            log.warning("openbadges.unavailable", extra={"path": path, "reason": repr(error)})
            return _error(503, "SERVICE_UNAVAILABLE", UNAVAILABLE)
        passed = {name: answer.headers[name] for name in PASSED_ANSWER_HEADERS if name in answer.headers}
        return Response(answer.content, status_code=answer.status_code, headers=passed)


async def _bounded_body(request: Request) -> bytes | None:
    """The request's body, or None as soon as it grows past what a certificate can be."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MOST_BODY_BYTES:
            return None
    return bytes(body)


def _error(status: int, code: str, message: str) -> Response:
    headers: dict[str, Any] = {"retry-after": "2"} if status == 503 else {}
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)
