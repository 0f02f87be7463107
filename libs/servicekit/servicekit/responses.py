"""Error responses every service sends: GraphQL-shaped on /graphql, `{"error": ...}` on other routes.

Whatever goes wrong, a caller gets JSON with a code to branch on and a message a
person can read: refusals by the framework (wrong method, unknown path), a
database that cannot be reached (retryable), and unexpected failures (masked).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException

from servicekit.db import DatabaseUnavailable, is_unavailable
from servicekit.errors import DATABASE_UNAVAILABLE_MESSAGE, DomainError, http_status_for
from servicekit.graphql import INTERNAL_ERROR_MESSAGE, SERVICE_UNAVAILABLE

log = logging.getLogger("servicekit.responses")

BAD_REQUEST = "BAD_REQUEST"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
# How long a client should wait before retrying while the database is away.
RETRY_AFTER_SECONDS = "1"

_PLAIN_HTTP_MESSAGES = {
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
}
_HTTP_CODES = {404: "NOT_FOUND"}
_GRAPHQL_METHODS_MESSAGE = "Send GraphQL requests with POST (queries may also use GET)."


def graphql_error_body(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    """`{"errors": [{"message", "extensions": {"code", ...}}]}`: how GraphQL reports a refused request."""
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def error_response(
    request: Request, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A GraphQL-shaped error on the GraphQL endpoint, `{"error": {code, message}}` elsewhere."""
    if is_graphql_path(request.url.path):
        return JSONResponse(graphql_error_body(message, code, **extensions), status_code=status, headers=headers)
    return JSONResponse({"error": {"code": code, "message": message, **extensions}}, status_code=status,
                        headers=headers)


def is_graphql_path(path: str) -> bool:
    return path.rstrip("/") == "/graphql"


def database_unavailable_response(request: Request) -> JSONResponse:
    """Retryable. HTTP 200 on /graphql, as for any GraphQL error (a gateway then passes the code on)."""
    if is_graphql_path(request.url.path):
        body = graphql_error_body(DATABASE_UNAVAILABLE_MESSAGE, SERVICE_UNAVAILABLE, retryable=True)
        return JSONResponse({"data": None, **body}, status_code=200)
    return error_response(request, 503, SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE,
                          headers={"retry-after": RETRY_AFTER_SECONDS}, retryable=True)


def add_error_handlers(app: FastAPI) -> None:
    """Answer every failure outside GraphQL execution as JSON with a code; never plain text."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return error_response(request, http_status_for(error), error.code, error.message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        fallback = BAD_REQUEST if error.status_code < 500 else INTERNAL_SERVER_ERROR
        code = _HTTP_CODES.get(error.status_code, fallback)
        message = _PLAIN_HTTP_MESSAGES.get(error.status_code, str(error.detail))
        if error.status_code == 405 and is_graphql_path(request.url.path):
            message = _GRAPHQL_METHODS_MESSAGE
        return error_response(request, error.status_code, code, message, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, _: RequestValidationError) -> JSONResponse:
        return error_response(request, 422, BAD_REQUEST, "Part of this request is not in the expected form.")

    # The database is reached while building a request's context (the caller's standing) as well as
    # inside resolvers and REST routes; each way it fails when the server is away is answered alike.
    @app.exception_handler(DatabaseUnavailable)
    @app.exception_handler(sa_exc.TimeoutError)
    async def database_away(request: Request, error: Exception) -> JSONResponse:
        log.warning("database.unavailable", extra={"path": request.url.path, "reason": repr(error.__cause__ or error)})
        return database_unavailable_response(request)

    @app.exception_handler(sa_exc.DBAPIError)
    async def database_error(request: Request, error: sa_exc.DBAPIError) -> JSONResponse:
        if is_unavailable(error):
            log.warning("database.unavailable", extra={"path": request.url.path, "reason": repr(error)})
            return database_unavailable_response(request)
        log.error("request.failed", exc_info=error)
        return error_response(request, 500, INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, _: Exception) -> JSONResponse:
        # Starlette logs the error itself after this answer is sent.
        return error_response(request, 500, INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE)
