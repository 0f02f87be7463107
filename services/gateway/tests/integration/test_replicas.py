"""A subgraph given several copies: requests go round them in turn, and a copy that cannot be
reached is passed over (nothing was sent to it, so even a mutation may go to another)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from devstack.kafka import free_port
from fastapi import FastAPI
from gateway.execution.fetcher import SubgraphClient, SubgraphUnavailable
from servicekit.testing import serve_app

pytestmark = pytest.mark.asyncio(loop_scope="session")


def copy_named(name: str) -> FastAPI:
    app = FastAPI()

    @app.post("/graphql")
    async def answer() -> dict[str, object]:
        return {"data": {"copy": name}}

    return app


@pytest.fixture
async def copies() -> AsyncIterator[tuple[str, str]]:
    async with serve_app(copy_named("a")) as a, serve_app(copy_named("b")) as b:
        yield f"{a}/graphql", f"{b}/graphql"


async def ask(client: SubgraphClient, *, mutation: bool = False) -> str:
    body = await client.fetch("projects", "{ copy }", {}, {}, retry_on_reset=not mutation)
    return str(body["data"]["copy"])


async def test_requests_go_round_the_copies_in_turn(copies: tuple[str, str]) -> None:
    client = SubgraphClient.create({"projects": "|".join(copies)}, timeout=5)
    try:
        answered = [await ask(client) for _ in range(6)]
    finally:
        await client.close()

    assert answered == ["a", "b", "a", "b", "a", "b"]
    assert client.urls == {"projects": copies[0]}  # composition and readiness use the first


async def test_a_copy_that_cannot_be_reached_is_passed_over_even_for_a_mutation(copies: tuple[str, str]) -> None:
    gone = f"http://127.0.0.1:{free_port()}/graphql"
    client = SubgraphClient.create({"projects": f"{gone}|{copies[1]}"}, timeout=5)
    try:
        answered = [await ask(client, mutation=True) for _ in range(4)]
    finally:
        await client.close()

    assert answered == ["b", "b", "b", "b"]


async def test_when_no_copy_can_be_reached_the_subgraph_is_unavailable() -> None:
    client = SubgraphClient.create(
        {"projects": f"http://127.0.0.1:{free_port()}/graphql|http://127.0.0.1:{free_port()}/graphql"}, timeout=5)
    try:
        with pytest.raises(SubgraphUnavailable, match="unreachable"):
            await ask(client)
    finally:
        await client.close()
