"""While its database is away, a subgraph answers at once that trying again is right."""

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import uuid4

import httpx
import pytest
import strawberry
from fastapi import Request
from pydantic_settings import SettingsConfigDict
from servicekit.app import create_service_app
from servicekit.graphql import RequestContext, subgraph_extensions
from servicekit.settings import ServiceSettings
from servicekit.testing import Tokens, eventually, proxied, serve_app
from sqlalchemy import text
from strawberry.types import Info
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from .conftest import Kit

UNAVAILABLE = {
    "message": "This service cannot reach its database just now. Please try again in a moment.",
    "extensions": {"code": "SERVICE_UNAVAILABLE", "retryable": True},
}
COUNT = "{ widgetCount }"
ADD = 'mutation { addWidget(name: "spanner") }'


class KitSettings(ServiceSettings):
    service_name: ClassVar[str] = "kit"
    model_config = SettingsConfigDict(env_prefix="KIT_", extra="ignore")


@strawberry.type
class Query:
    @strawberry.field
    async def widget_count(self, info: Info[RequestContext, None]) -> int:
        async with info.context.reading() as session:
            return int((await session.execute(text("SELECT count(*) FROM widgets"))).scalar_one())


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def widget_names(self, info: Info[RequestContext, None]) -> AsyncIterator[str]:
        async with info.context.reading() as session:
            names = (await session.execute(text("SELECT name FROM widgets"))).scalars().all()
        for name in names:
            yield str(name)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def add_widget(self, info: Info[RequestContext, None], name: str) -> bool:
        async with info.context.transaction() as session:
            await session.execute(text("INSERT INTO widgets (id, name) VALUES (:id, :name)"),
                                  {"id": uuid4(), "name": name})
        return True


@dataclass
class Subgraph:
    url: str
    http: httpx.AsyncClient

    async def call(self, query: str, token: str | None = None) -> tuple[dict[str, Any], float]:
        """The response body and how long it took, in seconds."""
        started = time.monotonic()
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(f"{self.url}/graphql", json={"query": query}, headers=headers)
        elapsed = time.monotonic() - started
        assert response.status_code == 200, response.text
        return response.json(), elapsed


@asynccontextmanager
async def subgraph_on(database_url: str, kit: Kit, tokens: Tokens | None = None) -> AsyncIterator[Subgraph]:
    schema = strawberry.federation.Schema(query=Query, mutation=Mutation, subscription=Subscription,
                                          extensions=subgraph_extensions())
    if tokens:
        settings = KitSettings(database_url=database_url, kafka_bootstrap=kit.bootstrap, jwks_file=tokens.jwks_file,
                               jwt_issuer=tokens.issuer, jwt_audience=tokens.audience)
    else:
        settings = KitSettings(database_url=database_url, kafka_bootstrap=kit.bootstrap)
    app = create_service_app(settings=settings, schema=schema)

    @app.get("/widgets/count")
    async def widget_count(request: Request) -> dict[str, int]:
        async with request.app.state.sessions() as session:
            return {"count": int((await session.execute(text("SELECT count(*) FROM widgets"))).scalar_one())}

    async with serve_app(app) as url, httpx.AsyncClient(timeout=10) as http:
        yield Subgraph(url, http)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unavailable(body: dict[str, Any]) -> bool:
    assert body["data"] is None, body
    assert [{key: error[key] for key in ("message", "extensions")} for error in body["errors"]] == [UNAVAILABLE]
    return True


class TestDatabaseOutage:
    async def test_a_query_and_a_mutation_say_retry_within_a_second_and_a_retry_succeeds(self, kit: Kit) -> None:
        async with proxied(kit.url) as (proxy, url_via_proxy), subgraph_on(url_via_proxy, kit) as subgraph:
            assert (await subgraph.call(COUNT))[0] == {"data": {"widgetCount": 0}}  # pooled connections exist

            proxy.cut()
            for operation in (COUNT, ADD):
                body, elapsed = await subgraph.call(operation)
                assert unavailable(body)
                assert elapsed < 1.0

            proxy.restore()

            async def added() -> bool:
                body, _ = await subgraph.call(ADD)
                return body == {"data": {"addWidget": True}}

            await eventually(added, timeout=10)
            assert (await subgraph.call(COUNT))[0] == {"data": {"widgetCount": 1}}

    async def test_a_database_that_refuses_connections_is_reported_within_a_second(self, kit: Kit) -> None:
        async with subgraph_on(f"postgresql://postgres@127.0.0.1:{closed_port()}/kit", kit) as subgraph:
            for operation in (COUNT, ADD):
                body, elapsed = await subgraph.call(operation)
                assert unavailable(body)
                assert elapsed < 1.0

    async def test_a_database_that_never_answers_is_reported_within_a_second(self, kit: Kit) -> None:
        held: list[asyncio.StreamWriter] = []

        async def accept_and_say_nothing(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            held.append(writer)

        silent = await asyncio.start_server(accept_and_say_nothing, "127.0.0.1", 0)
        port = silent.sockets[0].getsockname()[1]
        try:
            async with subgraph_on(f"postgresql://postgres@127.0.0.1:{port}/kit", kit) as subgraph:
                for operation in (COUNT, ADD):
                    body, elapsed = await subgraph.call(operation)
                    assert unavailable(body)
                    assert elapsed < 1.0
        finally:
            for writer in held:
                writer.transport.abort()
            silent.close()
            await silent.wait_closed()

    async def test_a_signed_in_caller_is_told_to_retry_although_their_standing_cannot_be_read(
        self, kit: Kit, tokens: Tokens
    ) -> None:
        token = tokens.mint(uuid4(), uuid4())
        async with subgraph_on(f"postgresql://postgres@127.0.0.1:{closed_port()}/kit", kit, tokens) as subgraph:
            for operation in (COUNT, ADD):
                body, elapsed = await subgraph.call(operation, token)
                assert unavailable(body)
                assert elapsed < 1.0

    @pytest.mark.parametrize("signed_in", [True, False], ids=["standing unreadable", "resolver meets outage"])
    async def test_a_subscription_opened_while_the_database_is_away_is_told_to_retry(
        self, kit: Kit, tokens: Tokens, signed_in: bool
    ) -> None:
        headers = {"authorization": f"Bearer {tokens.mint(uuid4(), uuid4())}"} if signed_in else {}
        async with subgraph_on(f"postgresql://postgres@127.0.0.1:{closed_port()}/kit", kit, tokens) as subgraph:
            url = subgraph.url.replace("http://", "ws://") + "/graphql"
            async with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")],
                               additional_headers=headers) as socket_:
                await socket_.send(json.dumps({"type": "connection_init"}))
                assert json.loads(await socket_.recv())["type"] == "connection_ack"
                await socket_.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                    "query": "subscription { widgetNames }"}}))
                answer = json.loads(await asyncio.wait_for(socket_.recv(), 5))

        assert answer["type"] in ("next", "error"), answer
        errors = answer["payload"]["errors"] if answer["type"] == "next" else answer["payload"]
        assert [{key: error[key] for key in ("message", "extensions")} for error in errors] == [UNAVAILABLE]

    async def test_readyz_is_503_and_the_gauge_is_0_while_the_database_is_away(self, kit: Kit) -> None:
        async with subgraph_on(f"postgresql://postgres@127.0.0.1:{closed_port()}/kit", kit) as subgraph:
            ready = await subgraph.http.get(f"{subgraph.url}/readyz")
            scraped = await subgraph.http.get(f"{subgraph.url}/metrics")

        assert ready.status_code == 503
        assert ready.json() == {"status": "not ready", "checks": {"database": False}, "reports": {"kafka": True}}
        assert 'heroes_dependency_up{dependency="database",process="kit-api"} 0.0' in scraped.text

    async def test_a_rest_route_says_503_with_retry_after(self, kit: Kit) -> None:
        async with subgraph_on(f"postgresql://postgres@127.0.0.1:{closed_port()}/kit", kit) as subgraph:
            response = await subgraph.http.get(f"{subgraph.url}/widgets/count")

        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json() == {"error": {"code": "SERVICE_UNAVAILABLE", "retryable": True,
                                             "message": UNAVAILABLE["message"]}}

