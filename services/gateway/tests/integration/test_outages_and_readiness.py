"""A subgraph's database down: HTTP 503 when nothing could be answered, 200 with partial data otherwise.
The gateway's /readyz: ready while it has a supergraph and reaches a subgraph, each subgraph's state shown."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from graphql import GraphQLError
from servicekit.testing import Tokens, serve_app

from ..subgraphs import schemas, subgraph_app
from .conftest import SECRET, GatewayClient, Served, gateway

OUTAGE = {"code": "SERVICE_UNAVAILABLE", "retryable": True}


def database_down() -> GraphQLError:
    return GraphQLError("The ledger's database is not answering. Try again in a moment.", extensions=OUTAGE)


@strawberry.federation.type(keys=["id"], name="Member")
class LedgerMember:
    id: strawberry.ID

    @strawberry.field
    def balance(self) -> int | None:
        raise database_down()

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "LedgerMember":
        return cls(id=id)


@strawberry.type
class LedgerQuery:
    @strawberry.field
    def total(self) -> int | None:
        raise database_down()


@pytest.fixture(scope="module")
async def ledger(subgraphs: Served, tokens: Tokens) -> AsyncIterator[GatewayClient]:
    """A gateway over people and a ledger subgraph whose database is down."""
    schema = strawberry.federation.Schema(query=LedgerQuery, types=[LedgerMember])
    async with serve_app(subgraph_app(schema, SECRET)) as base:
        served = Served({"people": subgraphs.urls["people"], "ledger": f"{base}/graphql"}, {}, subgraphs.stack)
        async with gateway(served, tokens) as client:
            yield client


def expected_outage(path: list[Any]) -> dict[str, Any]:
    return {"message": "The ledger's database is not answering. Try again in a moment.", "path": path,
            "extensions": {**OUTAGE, "serviceName": "ledger"}}


class TestDatabaseOutage:
    async def test_nothing_answered_is_a_503_saying_to_retry(self, ledger: GatewayClient) -> None:
        response = await ledger.post({"query": "{ total }"})

        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json() == {"data": {"total": None}, "errors": [expected_outage(["total"])]}

    async def test_partial_data_is_a_200(self, ledger: GatewayClient) -> None:
        beside = await ledger.post({"query": '{ total member(id: "m1") { name } }'})
        below = await ledger.post({"query": '{ member(id: "m1") { name balance } }'})

        assert (beside.status_code, below.status_code) == (200, 200)
        assert beside.json()["data"] == {"total": None, "member": {"name": "Ada"}}
        assert below.json() == {"data": {"member": {"name": "Ada", "balance": None}},
                                "errors": [expected_outage(["member", "balance"])]}


@contextlib.asynccontextmanager
async def own_subgraphs() -> AsyncIterator[tuple[Served, dict[str, contextlib.AsyncExitStack]]]:
    """The test subgraphs served afresh, so a test may stop them."""
    async with contextlib.AsyncExitStack() as stack:
        apps = {name: subgraph_app(schema, SECRET) for name, schema in schemas().items()}
        running = {name: contextlib.AsyncExitStack() for name in apps}
        for stopper in running.values():
            stack.push_async_callback(stopper.aclose)
        urls = {name: f"{await running[name].enter_async_context(serve_app(app))}/graphql"
                for name, app in apps.items()}
        yield Served(urls, apps, stack), running


async def readyz(client: GatewayClient) -> httpx.Response:
    return await client.http.get(client.url.removesuffix("/graphql") + "/readyz")


class TestReadiness:
    async def test_ready_with_each_subgraphs_state(self, subgraphs: Served, tokens: Tokens) -> None:
        subgraphs.apps["praise"].state.checks["kafka"] = False  # e.g. its broker is away
        try:
            async with gateway(subgraphs, tokens) as client:
                response = await readyz(client)
        finally:
            subgraphs.apps["praise"].state.checks["kafka"] = True

        up = {"state": "ready", "checks": {"database": True, "kafka": True}}
        assert response.status_code == 200
        assert response.json() == {
            "status": "ready", "checks": {"supergraph": True, "subgraphs_reachable": True},
            "subgraphs": {"people": up, "work": up,
                          "praise": {"state": "not ready", "checks": {"database": True, "kafka": False}}},
        }

    async def test_one_subgraph_away_keeps_the_gateway_ready(self, tokens: Tokens) -> None:
        async with own_subgraphs() as (served, running), gateway(served, tokens) as client:
            await running["praise"].aclose()
            response = await readyz(client)

        assert response.status_code == 200
        assert response.json()["subgraphs"]["praise"] == {"state": "unreachable"}
        assert response.json()["subgraphs"]["people"]["state"] == "ready"

    async def test_no_subgraph_reachable_is_not_ready(self, tokens: Tokens) -> None:
        async with own_subgraphs() as (served, running), gateway(served, tokens) as client:
            for stopper in running.values():
                await stopper.aclose()
            response = await readyz(client)

        assert response.status_code == 503
        assert response.json() == {
            "status": "not ready", "checks": {"supergraph": True, "subgraphs_reachable": False},
            "subgraphs": {name: {"state": "unreachable"} for name in ("people", "work", "praise")},
        }
