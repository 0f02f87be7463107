"""The gateway over HTTP: results, identity, forwarded headers, limits, introspection, failures."""

import contextlib
import time
from collections.abc import Callable
from uuid import uuid4

import pytest
from servicekit.testing import Tokens, check_graphiql

from ..subgraphs import SLOW_SECONDS
from .conftest import SECRET, GatewayClient, Served, gateway

CROSSING = '{ member(id: "m1") { name organisation { name } projects { title cheers } badges { name } } }'


class TestServing:
    async def test_a_query_crossing_three_subgraphs(self, production: GatewayClient) -> None:
        assert await production.query(CROSSING) == {"data": {"member": {
            "name": "Ada", "organisation": {"name": "Riverside"},
            "projects": [{"title": "Fewer falls", "cheers": ["Hooray for p1"]}],
            "badges": [{"name": "First PDSA"}, {"name": "Explorer"}],
        }}}

    async def test_a_batch_of_operations_gets_a_list_of_answers(self, production: GatewayClient) -> None:
        response = await production.post([{"query": '{ member(id: "m2") { name } }'}, {"query": "{ projects { id } }"}])

        assert response.json() == [{"data": {"member": {"name": "Bo"}}},
                                   {"data": {"projects": [{"id": "p1"}, {"id": "p2"}]}}]


class TestGraphiQL:
    async def test_in_development_it_loads_nothing_from_a_cdn(self, subgraphs: Served, tokens: Tokens) -> None:
        async with gateway(subgraphs, tokens, environment="development") as client:
            await check_graphiql(client.http, client.url.removesuffix("/graphql"), "/graphql")

    async def test_in_production_there_is_no_graphiql(self, production: GatewayClient) -> None:
        response = await production.http.get(production.url)
        assert response.status_code == 405
        assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}


class TestIdentity:
    async def test_the_token_request_id_and_secret_reach_subgraphs(
        self, production: GatewayClient, tokens: Tokens
    ) -> None:
        token = tokens.mint(uuid4(), uuid4())

        response = await production.post({"query": "{ echoHeaders }"}, token, **{"x-request-id": "req-42"})

        assert response.json() == {"data": {"echoHeaders": [
            f"authorization=Bearer {token}", "x-request-id=req-42",
            f"traceparent={response.headers['traceparent']}", f"x-heroes-gateway-secret={SECRET}",
        ]}}

    async def test_anonymous_requests_are_forwarded_without_identity(self, production: GatewayClient) -> None:
        body = await production.query("{ echoHeaders }")

        assert body["data"]["echoHeaders"][0] == "authorization="

    @pytest.mark.parametrize("kind", ["forged", "expired", "wrong_audience", "garbage"])
    async def test_bad_tokens_are_refused_before_any_subgraph_call(
        self, production: GatewayClient, tokens: Tokens, subgraphs: Served, kind: str
    ) -> None:
        minters: dict[str, Callable[[Tokens], str]] = {
            "forged": forged_token,
            "expired": lambda t: t.mint(uuid4(), ttl_seconds=-120),
            "wrong_audience": lambda t: Tokens(t.keys, t.issuer, "another-app").mint(uuid4()),
            "garbage": lambda t: "not.a.token",
        }
        token = minters[kind](tokens)
        before = sum(len(app.state.hits) for app in subgraphs.apps.values())

        response = await production.post({"query": CROSSING}, token)

        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "invalid_token"
        assert sum(len(app.state.hits) for app in subgraphs.apps.values()) == before


def forged_token(tokens: Tokens) -> str:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa
    from servicekit.tokens import KEY_ID

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = {"sub": str(uuid4()), "iss": tokens.issuer, "aud": tokens.audience, "exp": int(time.time()) + 600,
              "roles": ["network_admin"]}
    return jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": KEY_ID})


class TestLimits:
    async def test_depth(self, production: GatewayClient) -> None:
        deep = '{ member(id: "m1") { projects { team { projects { team { name } } } } } }'

        assert (await production.query(deep))["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"

    async def test_aliases(self, production: GatewayClient) -> None:
        many = '{ a: projects { id } b: projects { id } c: projects { id } d: projects { id } }'

        assert (await production.query(many))["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"

    async def test_cost_counts_list_sizes(self, production: GatewayClient) -> None:
        cheap = await production.query("{ members(first: 2) { name } }")
        costly = await production.query("{ members(first: 90) { name organisation { name } projects { title } } }")

        assert "errors" not in cheap
        assert costly["errors"][0]["extensions"]["code"] == "QUERY_TOO_EXPENSIVE"

    async def test_an_oversize_page_is_refused_before_any_subgraph_call(
        self, production: GatewayClient, subgraphs: Served
    ) -> None:
        before = sum(len(app.state.hits) for app in subgraphs.apps.values())

        response = await production.post({"query": "{ members(first: 1000000) { name } }"})

        assert response.json() == {"errors": [{
            "message": "Query.members gives at most 100 items at a time, but `first` asks for 1000000. "
                       "Ask for 100 or fewer.",
            "extensions": {"code": "PAGE_TOO_LARGE"}}]}
        assert sum(len(app.state.hits) for app in subgraphs.apps.values()) == before

    @pytest.mark.parametrize("levels", [1_000, 5_000])
    async def test_a_body_nested_too_deeply_is_refused_as_a_bad_request(
        self, subgraphs: Served, tokens: Tokens, levels: int
    ) -> None:
        body = b'{"query": "{ __typename }", "variables": {"x": ' + b"[" * levels + b"]" * levels + b"}}"
        async with gateway(subgraphs, tokens) as client:
            response = await client.http.post(client.url, content=body, headers={"content-type": "application/json"})

        assert response.status_code == 400
        assert response.json() == {"errors": [{
            "message": "The request body nests arrays and objects more than 32 levels deep.",
            "extensions": {"code": "BAD_REQUEST"}}]}

    async def test_batches(self, production: GatewayClient) -> None:
        response = await production.post([{"query": "{ projects { id } }"}] * 4)

        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"

    async def test_body_size(self, production: GatewayClient) -> None:
        response = await production.post({"query": "{ projects { id } }", "padding": "x" * 3000})

        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"

    async def test_introspection_and_suggestions_are_off_in_production(self, production: GatewayClient) -> None:
        introspection = await production.query("{ __schema { queryType { name } } }")
        typo = await production.query('{ member(id: "m1") { nme } }')

        assert introspection["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
        assert typo["errors"][0]["message"] == "Cannot query field 'nme' on type 'Member'."

    async def test_introspection_works_in_development(self, subgraphs: Served, tokens: Tokens) -> None:
        async with gateway(subgraphs, tokens, environment="development") as development:
            body = await development.query('{ __schema { queryType { name } } __type(name: "Badge") { name } }')
            typo = await development.query('{ member(id: "m1") { nme } }')

        assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}, "__type": {"name": "Badge"}}}
        assert "Did you mean 'name'?" in typo["errors"][0]["message"]

    async def test_the_query_plan_is_shown_in_development_when_asked_for(
        self, subgraphs: Served, tokens: Tokens, production: GatewayClient
    ) -> None:
        query = {"query": '{ member(id: "m1") { name projects { title } } }'}
        async with gateway(subgraphs, tokens, environment="development") as development:
            shown = (await development.post(query, **{"x-heroes-query-plan": "1"})).json()
            not_asked = (await development.post(query)).json()
        in_production = (await production.post(query, **{"x-heroes-query-plan": "1"})).json()

        plan = shown["extensions"]["queryPlan"]
        assert shown["data"] == {"member": {"name": "Ada", "projects": [{"title": "Fewer falls"}]}}
        assert [(f["id"], f["subgraph"], f["dependsOn"]) for f in plan["fetches"]] == [
            (0, "people", []), (1, "work", [0])]
        assert plan["fetches"][1]["path"] == ["member"]
        assert plan["fetches"][1]["document"].startswith("query($representations: [_Any!]!) { _entities(")
        assert "extensions" not in not_asked
        assert "extensions" not in in_production
        assert in_production["data"] == shown["data"]


class TestFailingSubgraphs:
    async def test_a_slow_subgraph_gives_partial_data_within_the_timeout(
        self, subgraphs: Served, tokens: Tokens
    ) -> None:
        async with gateway(subgraphs, tokens, subgraph_timeout_seconds=0.5) as impatient:
            started = time.monotonic()
            body = await impatient.query('{ member(id: "m1") { name slow } }')
            elapsed = time.monotonic() - started

        assert body["data"] == {"member": {"name": "Ada", "slow": None}}
        assert body["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"
        assert body["errors"][0]["path"] == ["member", "slow"]
        assert elapsed < SLOW_SECONDS

    async def test_a_stopped_subgraph_gives_partial_data_and_an_error(self, subgraphs: Served, tokens: Tokens) -> None:
        from servicekit.testing import serve_app

        from ..subgraphs import schemas, subgraph_app

        urls = dict(subgraphs.urls)
        async with contextlib.AsyncExitStack() as praise_process:
            praise_base = await praise_process.enter_async_context(serve_app(subgraph_app(schemas()["praise"], SECRET)))
            urls["praise"] = f"{praise_base}/graphql"
            served = Served(urls, subgraphs.apps, subgraphs.stack)
            async with gateway(served, tokens, subgraph_timeout_seconds=2) as client:
                before = await client.query('{ projects { title cheers } }')
                await praise_process.aclose()  # the praise subgraph stops mid-test
                started = time.monotonic()
                after = await client.query('{ projects { title cheers } }')
                elapsed = time.monotonic() - started

        assert before["data"]["projects"][0] == {"title": "Fewer falls", "cheers": ["Hooray for p1"]}
        assert after["data"] == {"projects": [None, None]} or after["data"] is None
        assert after["errors"][0]["extensions"] == {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "praise"}
        assert elapsed < 3
