"""Requests a subgraph cannot run are refused as JSON with a code: never plain text, never a 500."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx
import pytest
import strawberry
import websockets
from pydantic_settings import SettingsConfigDict
from servicekit.app import create_service_app
from servicekit.graphql import subgraph_extensions
from servicekit.settings import ServiceSettings
from servicekit.testing import serve_app
from strawberry.scalars import JSON

from .conftest import Kit

TOO_DEEP = {
    "errors": [{
        "message": "The request is nested too deeply. JSON may nest at most 64 levels.",
        "extensions": {"code": "BAD_REQUEST"},
    }]
}


class KitSettings(ServiceSettings):
    service_name: ClassVar[str] = "kit"
    model_config = SettingsConfigDict(env_prefix="KIT_", extra="ignore")


@strawberry.type
class Query:
    @strawberry.field
    def echo(self, value: JSON | None = None) -> JSON | None:
        return value


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self) -> bool:
        return True


@dataclass
class Subgraph:
    url: str
    http: httpx.AsyncClient

    @property
    def graphql(self) -> str:
        return f"{self.url}/graphql"


@pytest.fixture
async def subgraph(kit: Kit) -> AsyncIterator[Subgraph]:
    schema = strawberry.federation.Schema(query=Query, mutation=Mutation, extensions=subgraph_extensions())
    settings = KitSettings(database_url=kit.url, kafka_bootstrap=kit.bootstrap, environment="production")
    async with serve_app(create_service_app(settings=settings, schema=schema)) as url, \
            httpx.AsyncClient(timeout=10) as http:
        yield Subgraph(url, http)


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def bad_request(message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}


class TestDeeplyNestedJson:
    @pytest.mark.parametrize("levels", [1_000, 5_000])
    async def test_a_deep_variable_is_refused_with_400_and_a_code(self, subgraph: Subgraph, levels: int) -> None:
        body = '{"query": "query($v: JSON) { echo(value: $v) }", "variables": {"v": ' + nested(levels) + "}}"

        response = await subgraph.http.post(subgraph.graphql, content=body,
                                            headers={"content-type": "application/json"})

        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"
        assert response.json() == TOO_DEEP
        assert response.headers["x-request-id"]  # refused inside the request context, so still traced

    async def test_a_deep_variable_in_a_get_request_is_refused_alike(self, subgraph: Subgraph) -> None:
        response = await subgraph.http.get(subgraph.graphql, params={
            "query": "query($v: JSON) { echo(value: $v) }", "variables": '{"v": ' + nested(1_000) + "}",
        })

        assert response.status_code == 400
        assert response.json() == TOO_DEEP

    async def test_any_other_route_refuses_a_deep_body_too(self, subgraph: Subgraph) -> None:
        response = await subgraph.http.post(f"{subgraph.url}/readyz", content=nested(5_000))

        assert response.status_code == 400
        assert response.json() == TOO_DEEP

    async def test_nesting_within_the_limit_is_served(self, subgraph: Subgraph) -> None:
        value = json.loads(nested(60))

        response = await subgraph.http.post(subgraph.graphql, json={
            "query": "query($v: JSON) { echo(value: $v) }", "variables": {"v": value},
        })

        assert response.status_code == 200
        assert response.json() == {"data": {"echo": value}}

    async def test_the_limit_is_a_setting(self, kit: Kit) -> None:
        schema = strawberry.federation.Schema(query=Query, extensions=subgraph_extensions())
        settings = KitSettings(database_url=kit.url, kafka_bootstrap=kit.bootstrap, max_json_depth=8)
        async with serve_app(create_service_app(settings=settings, schema=schema)) as url, \
                httpx.AsyncClient(timeout=10) as http:
            query = "query($v: JSON) { echo(value: $v) }"
            # The body itself and its variables are two levels; six more make eight.
            within = await http.post(f"{url}/graphql", json={"query": query, "variables": {"v": [[[[[[]]]]]]}})
            beyond = await http.post(f"{url}/graphql", json={"query": query, "variables": {"v": [[[[[[[]]]]]]]}})

        assert within.json() == {"data": {"echo": [[[[[[]]]]]]}}
        assert beyond.status_code == 400
        assert beyond.json() == bad_request("The request is nested too deeply. JSON may nest at most 8 levels.")

    async def test_a_deep_websocket_message_closes_the_socket_as_invalid(self, subgraph: Subgraph) -> None:
        async with websockets.connect(subgraph.graphql.replace("http", "ws", 1),
                                      subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
            await socket.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await socket.recv()) == {"type": "connection_ack"}

            await socket.send('{"type": "subscribe", "id": "1", "payload": {"query": "{ echo }", '
                              '"variables": {"v": ' + nested(5_000) + "}}}")

            with pytest.raises(websockets.ConnectionClosedError) as closed:
                await socket.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4400


class TestEveryRefusalHasACode:
    async def test_a_syntax_error_is_graphql_parse_failed(self, subgraph: Subgraph) -> None:
        response = await subgraph.http.post(subgraph.graphql, json={"query": "{ echo "})

        assert response.status_code == 200
        [error] = response.json()["errors"]
        assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}
        assert error["message"] == "Syntax Error: Expected Name, found <EOF>."

    async def test_an_invalid_query_is_graphql_validation_failed(self, subgraph: Subgraph) -> None:
        response = await subgraph.http.post(subgraph.graphql, json={"query": "{ nothingHere }"})

        assert response.status_code == 200
        assert response.json()["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}

    @pytest.mark.parametrize(
        ("request_args", "status", "message"),
        [
            ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400,
             "The request body is not valid JSON."),
            ({"content": b"{ echo }", "headers": {"content-type": "text/plain"}}, 400,
             "Send GraphQL requests as JSON, with the content type application/json."),
            ({"json": [{"query": "{ echo }"}, {"query": "{ echo }"}]}, 400,
             "Send one GraphQL operation per request; batches are not accepted."),
            ({"json": "{ echo }"}, 400,
             "A GraphQL request, and its variables and extensions, must each be a JSON object."),
            ({"json": {"variables": {}}}, 400, "The request has no GraphQL query."),
            ({"json": {"query": "{ echo }", "variables": [1]}}, 400,
             "The GraphQL operation's `variables` must be an object or null, if provided."),
        ],
        ids=["bad-json", "wrong-content-type", "batch", "not-an-object", "no-query", "variables-not-an-object"],
    )
    async def test_a_post_that_cannot_be_run_is_a_coded_400(
        self, subgraph: Subgraph, request_args: dict[str, Any], status: int, message: str
    ) -> None:
        response = await subgraph.http.post(subgraph.graphql, **request_args)

        assert response.status_code == status
        assert response.json() == bad_request(message)

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({}, "Send a GraphQL query with POST, or with GET and a `query` parameter."),
            ({"query": "mutation { touch }"}, "Send mutations with POST."),
            ({"query": "{ echo }", "variables": "{nope"}, "The request body is not valid JSON."),
        ],
        ids=["no-query", "mutation", "bad-variables"],
    )
    async def test_a_get_that_cannot_be_run_is_a_coded_400(
        self, subgraph: Subgraph, params: dict[str, str], message: str
    ) -> None:
        response = await subgraph.http.get(subgraph.graphql, params=params)

        assert response.status_code == 400
        assert response.json() == bad_request(message)

    async def test_a_query_by_get_is_still_served(self, subgraph: Subgraph) -> None:
        response = await subgraph.http.get(subgraph.graphql, params={"query": "{ echo }"})

        assert response.json() == {"data": {"echo": None}}

    async def test_another_method_is_a_coded_405(self, subgraph: Subgraph) -> None:
        response = await subgraph.http.put(subgraph.graphql, json={"query": "{ echo }"})

        assert response.status_code == 405
        assert response.json() == bad_request("Send GraphQL requests with POST (queries may also use GET).")

    async def test_an_unknown_address_is_a_coded_404(self, subgraph: Subgraph) -> None:
        response = await subgraph.http.get(f"{subgraph.url}/nowhere")

        assert response.status_code == 404
        assert response.json() == {"error": {"code": "NOT_FOUND", "message": "There is nothing at this address."}}
