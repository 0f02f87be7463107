"""The subgraph's /graphql route: strawberry's router, refusing bad requests as coded GraphQL errors.

strawberry answers a request it cannot run (JSON it cannot read, a wrong content
type, a batch, a GET without a query) in plain text with no code, and a body
that is JSON but not an object with a 500. Here each gets a GraphQL-shaped JSON
error with `extensions.code` BAD_REQUEST, in plain English.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET

from servicekit import graphiql
from servicekit.jsondepth import DEFAULT_MAX_JSON_DEPTH, json_too_deep, too_deep_message
from servicekit.responses import BAD_REQUEST, graphql_error_body

NOT_JSON_MESSAGE = "The request body is not valid JSON."
NOT_AN_OBJECT_MESSAGE = "A GraphQL request, and its variables and extensions, must each be a JSON object."
NO_QUERY_MESSAGE = "Send a GraphQL query with POST, or with GET and a `query` parameter."

# strawberry's own refusals, in the words we use everywhere else.
_PLAIN_REASONS = {
    "Unsupported content type": "Send GraphQL requests as JSON, with the content type application/json.",
    "Batching is not enabled": "Send one GraphQL operation per request; batches are not accepted.",
    "No GraphQL query found in the request": "The request has no GraphQL query.",
    "mutations are not allowed when using GET": "Send mutations with POST.",
}


class JsonTooDeep(json.JSONDecodeError):
    """JSON nested past the limit; a decode error, so WebSocket handlers refuse it like bad JSON."""

    def __init__(self, max_depth: int, document: str) -> None:
        super().__init__(too_deep_message(max_depth), document, 0)


class SubgraphRouter(GraphQLRouter[Any, Any]):
    def __init__(self, *args: Any, max_json_depth: int = DEFAULT_MAX_JSON_DEPTH, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_json_depth = max_json_depth

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        except HTTPException as error:
            if self.is_websocket_request(request):
                raise
            status, message = error.status_code, _PLAIN_REASONS.get(error.reason, error.reason)
            if status == 404:  # a GET without a query, where no GraphQL IDE is served
                status, message = 400, NO_QUERY_MESSAGE
            return JSONResponse(graphql_error_body(message, BAD_REQUEST), status_code=status)

    @property
    def graphql_ide_html(self) -> str:
        """Strawberry's GraphiQL, with its scripts served by this service (see servicekit.graphiql)."""
        return graphiql.page()

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = self.decode_json(data)
        except JsonTooDeep as error:
            raise HTTPException(400, error.msg) from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise HTTPException(400, NOT_JSON_MESSAGE) from error
        if not isinstance(value, dict | list):
            raise HTTPException(400, NOT_AN_OBJECT_MESSAGE)
        return value

    def decode_json(self, data: str | bytes) -> object:
        # Request bodies (bytes) were measured by JsonDepthLimit before routing; JSON that arrives
        # as text (GET parameters, WebSocket messages) is measured here.
        if isinstance(data, str) and json_too_deep(data, self.max_json_depth):
            raise JsonTooDeep(self.max_json_depth, data)
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes | str:
        """orjson: several times faster than json.dumps on every answer; anything it cannot encode
        (never seen in a GraphQL result, whose scalars are already serialised) falls back to json."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data, separators=(",", ":"))
