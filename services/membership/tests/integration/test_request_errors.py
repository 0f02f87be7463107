"""The membership subgraph refuses what it cannot run with a code, and says "try again" while its database is away."""

import time
from typing import Any

import httpx
import pytest
from membership.api import create_app
from membership.settings import Settings
from servicekit.testing import GATEWAY_TEST_SECRET, GraphQLClient, eventually, proxied, serve_app

from ..conftest import REGISTER, Network

ORGANISATIONS = "{ organisations(first: 1) { edges { node { id } } } }"
UNAVAILABLE = {
    "message": "This service cannot reach its database just now. Please try again in a moment.",
    "extensions": {"code": "SERVICE_UNAVAILABLE", "retryable": True},
}


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


class TestRefusals:
    @pytest.mark.parametrize("levels", [1_000, 5_000])
    async def test_deeply_nested_json_is_a_400_with_a_code(self, api: GraphQLClient, levels: int) -> None:
        body = '{"query": "{ organisations { edges { cursor } } }", "variables": {"v": ' + nested(levels) + "}}"

        response = await api.http.post(api.url, content=body, headers={"content-type": "application/json"})

        assert response.status_code == 400
        assert response.json() == {"errors": [{
            "message": "The request is nested too deeply. JSON may nest at most 64 levels.",
            "extensions": {"code": "BAD_REQUEST"},
        }]}

    async def test_a_syntax_error_is_graphql_parse_failed(self, api: GraphQLClient) -> None:
        assert await api.error_code("{ organisations { ") == "GRAPHQL_PARSE_FAILED"


class TestDatabaseOutage:
    async def test_a_query_and_a_mutation_say_retry_within_a_second(self, settings: Settings, network: Network) -> None:
        register = {"input": {"name": "Outage Trust", "kind": "COUNCIL", "region": "Test"}}
        async with proxied(settings.dsn) as (proxy, url_via_proxy):
            app = create_app(settings.model_copy(update={"database_url": url_via_proxy}))
            async with serve_app(app) as base, httpx.AsyncClient(timeout=10) as http:
                api = GraphQLClient(f"{base}/graphql", http, GATEWAY_TEST_SECRET)
                await api.data(ORGANISATIONS)  # connected once, so the pool holds connections to lose

                proxy.cut()
                # Anonymous: the resolver meets the outage. Signed in: looking up the caller does.
                for query, variables, token in ((ORGANISATIONS, None, None), (REGISTER, register, network.admin)):
                    started = time.monotonic()
                    body = await api(query, variables, token=token)
                    assert time.monotonic() - started < 1.0
                    assert body["data"] is None
                    assert [_message_and_extensions(error) for error in body["errors"]] == [UNAVAILABLE]

                proxy.restore()

                async def registered() -> dict[str, Any]:
                    return await api.data(REGISTER, register, token=network.admin)

                assert await eventually(registered)


def _message_and_extensions(error: dict[str, Any]) -> dict[str, Any]:
    return {"message": error["message"], "extensions": error["extensions"]}
