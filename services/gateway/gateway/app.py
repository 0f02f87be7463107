"""Gateway HTTP process: one GraphQL endpoint over the composed subgraphs, plus health and metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response, WebSocket
from fastapi.responses import HTMLResponse
from servicekit.app import token_verifier
from servicekit.graphql import GATEWAY_SECRET_HEADER, INTERNAL_ERROR_MESSAGE
from servicekit.http import add_health_routes, add_request_context
from servicekit.errors import DomainError
from servicekit.identity import InvalidToken, TokenVerifier, bearer_token
from servicekit.logs import configure_logging
from servicekit.tracing import current_request_id, current_traceparent
from strawberry.http.ides import get_graphql_ide_html

from gateway.engine import Engine, request_error
from gateway.health import add_readiness
from servicekit.jsondepth import json_too_deep
from gateway.outage import nothing_but_outage
from gateway.reloader import Reloader
from gateway.runtime import responsive_event_loop
from gateway.settings import Settings, get_settings
from gateway.subscriptions import PROTOCOL, SubscriptionSession

log = logging.getLogger("gateway.app")

# How long a client should wait before trying again after a 503 (subgraphs say the same).
RETRY_AFTER_SECONDS = "1"
# In development, a request with this header gets its query plan back in `extensions.queryPlan`.
QUERY_PLAN_HEADER = "x-heroes-query-plan"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging("gateway", settings.log_level or "INFO")
    secret = settings.gateway_secret.get_secret_value() if settings.gateway_secret else ""
    limits = settings.limits

    reloader = Reloader(settings, secret)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await reloader.start()
        app.state.verifier = token_verifier(settings)
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: _spawn(reloader.reload()))
        poller = (asyncio.create_task(reloader.poll(settings.reload_interval_seconds))
                  if settings.reload_interval_seconds > 0 else None)
        try:
            with responsive_event_loop():
                yield
        finally:
            loop.remove_signal_handler(signal.SIGHUP)
            if poller is not None:
                poller.cancel()
            await reloader.close()

    app = FastAPI(title="gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.reloader = reloader
    add_request_context(app, "gateway")

    @app.post("/graphql")
    async def graphql(request: Request) -> Response:
        body = await _read_limited(request, limits.max_body_bytes)
        if body is None:
            return _json(request_error(f"The request body is larger than {limits.max_body_bytes} bytes.",
                                       "REQUEST_TOO_LARGE"), 413)
        if json_too_deep(body, limits.max_json_depth):  # before json.loads, which recurses
            return _json(request_error(f"The request body nests arrays and objects more than "
                                       f"{limits.max_json_depth} levels deep.", "BAD_REQUEST"), 400)
        try:
            payload = json.loads(body)
        except ValueError:
            return _json(request_error("The request body is not valid JSON.", "BAD_REQUEST"), 400)
        headers, auth_error = _forwarded_headers(request, app.state.verifier, secret)
        if auth_error is not None:
            return _json(request_error(auth_error.message, auth_error.code), 401)
        engine = reloader.engine  # this request keeps this engine even if a reload swaps it meanwhile
        assert engine is not None
        show_plan = settings.is_development and request.headers.get(QUERY_PLAN_HEADER, "") not in ("", "0")
        if isinstance(payload, list):
            if not payload or len(payload) > limits.max_batch:
                return _json(request_error(f"Send between 1 and {limits.max_batch} operations in one batch.",
                                           "BATCH_TOO_LARGE"), 400)
            answers = list(await asyncio.gather(*(_safe(engine, item, headers, show_plan) for item in payload)))
            return _answer(answers, all(nothing_but_outage(a) for a in answers))
        answer = await _safe(engine, payload, headers, show_plan)
        return _answer(answer, nothing_but_outage(answer))

    @app.websocket("/graphql")
    async def graphql_ws(websocket: WebSocket) -> None:
        if PROTOCOL not in websocket.scope.get("subprotocols", []):
            await websocket.close(code=4406, reason="Subprotocol not acceptable: use graphql-transport-ws")
            return
        await SubscriptionSession(websocket, lambda: reloader.engine, app.state.verifier, secret).serve()  # type: ignore[arg-type, return-value]

    @app.get("/graphql", include_in_schema=False)
    async def graphiql() -> Response:
        if not settings.is_development:
            return _json(request_error("Send GraphQL requests with POST.", "BAD_REQUEST"), 405)
        return HTMLResponse(get_graphql_ide_html(graphql_ide="graphiql"))

    @app.post("/admin/reload", include_in_schema=False)
    async def reload(request: Request) -> Response:
        """Recompose now (operations use; needs the gateway secret). A failed reload changes nothing."""
        presented = request.headers.get(GATEWAY_SECRET_HEADER, "")
        if not secret or not hmac.compare_digest(presented.encode(), secret.encode()):
            return _json(request_error("Reloading needs the gateway secret.", "forbidden"), 403)
        result = await reloader.reload()
        return _json({"reloaded": result.reloaded, "changed": result.changed, "reason": result.reason,
                      "subgraphs": result.subgraphs}, 200 if result.reloaded else 409)

    add_readiness(app, lambda: reloader.engine)
    add_health_routes(app, checks=dict)  # /healthz and /metrics; /readyz is the one above
    return app


_background: set[asyncio.Task[object]] = set()


def _spawn(work: object) -> None:
    task = asyncio.ensure_future(work)  # type: ignore[arg-type]
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _safe(engine: Engine, payload: Any, headers: dict[str, str], show_plan: bool = False) -> dict[str, Any]:
    try:
        return await engine.execute(payload, headers, show_plan=show_plan)
    except Exception:  # noqa: BLE001 - the process edge: log it, mask it
        log.exception("gateway.internal_error")
        return request_error(INTERNAL_ERROR_MESSAGE, "INTERNAL_SERVER_ERROR")


def _forwarded_headers(
    request: Request, verifier: TokenVerifier | None, secret: str
) -> tuple[dict[str, str], DomainError | None]:
    """Headers for subgraphs, after checking the caller's token here first."""
    headers = {GATEWAY_SECRET_HEADER: secret} if secret else {}
    authorization = request.headers.get("authorization")
    try:
        token = bearer_token(authorization)
        if token is not None:
            if verifier is None:
                raise InvalidToken("Sign-in is not set up on this gateway.")
            verifier.verify(token)
            headers["authorization"] = f"Bearer {token}"
    except DomainError as error:
        return headers, error
    if request_id := current_request_id():
        headers["x-request-id"] = request_id
    if traceparent := current_traceparent():
        headers["traceparent"] = traceparent
    return headers, None


async def _read_limited(request: Request, limit: int) -> bytes | None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(content: Any, outage: bool) -> Response:
    """200, or 503 when there is no data at all because a service's database is down (retry soon)."""
    response = _json(content, 503 if outage else 200)
    if outage:
        response.headers["retry-after"] = RETRY_AFTER_SECONDS
    return response


def _json(content: Any, status: int) -> Response:
    return Response(json.dumps(content, separators=(",", ":")), status_code=status, media_type="application/json")

