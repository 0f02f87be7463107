"""Reloading the supergraph: a new subgraph by configuration only, failures that keep the old graph,
and requests in flight that finish on the graph they started with."""

import asyncio
from pathlib import Path

import httpx
from servicekit.graphql import GATEWAY_SECRET_HEADER
from servicekit.testing import Tokens, eventually

from .conftest import SECRET, Served, gateway


def write(path: Path, subgraphs: Served, names: list[str], extra: str = "") -> None:
    path.write_text("# subgraphs of the test gateway\n" + "\n".join(
        f"{name}={subgraphs.urls[name]}" for name in names) + extra + "\n")


async def reload(client: httpx.AsyncClient, url: str, secret: str = SECRET) -> httpx.Response:
    return await client.post(url.replace("/graphql", "/admin/reload"), headers={GATEWAY_SECRET_HEADER: secret})


class TestReload:
    async def test_a_subgraph_added_to_the_file_is_served_after_a_reload(
        self, subgraphs: Served, tokens: Tokens, tmp_path: Path
    ) -> None:
        listing = tmp_path / "subgraphs.txt"
        write(listing, subgraphs, ["people", "work"])
        async with gateway(subgraphs, tokens, subgraphs="", subgraphs_file=str(listing)) as client:
            before = await client.query('{ member(id: "m1") { name badges { name } } }')
            write(listing, subgraphs, ["people", "work", "praise"])
            answer = await reload(client.http, client.url)
            after = await client.query('{ member(id: "m1") { name badges { name } } }')

        assert before["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert answer.status_code == 200
        assert answer.json() == {"reloaded": True, "changed": True, "reason": "",
                                 "subgraphs": ["people", "praise", "work"]}
        assert after == {"data": {"member": {"name": "Ada", "badges": [{"name": "First PDSA"}, {"name": "Explorer"}]}}}

    async def test_a_failed_reload_keeps_the_running_supergraph_and_says_why(
        self, subgraphs: Served, tokens: Tokens, tmp_path: Path
    ) -> None:
        listing = tmp_path / "subgraphs.txt"
        write(listing, subgraphs, ["people", "work"])
        async with gateway(subgraphs, tokens, subgraphs="", subgraphs_file=str(listing)) as client:
            write(listing, subgraphs, ["people", "work"], extra="\nghost=http://127.0.0.1:9/graphql")
            answer = await reload(client.http, client.url)
            still = await client.query('{ member(id: "m1") { name projects { title } } }')
            refused = await reload(client.http, client.url, secret="wrong")

        assert answer.status_code == 409
        assert answer.json()["reloaded"] is False
        assert "kept the running supergraph" in answer.json()["reason"]
        assert "ghost" in answer.json()["reason"]
        assert still == {"data": {"member": {"name": "Ada", "projects": [{"title": "Fewer falls"}]}}}
        assert refused.status_code == 403

    async def test_requests_in_flight_finish_across_a_reload(
        self, subgraphs: Served, tokens: Tokens, tmp_path: Path
    ) -> None:
        listing = tmp_path / "subgraphs.txt"
        write(listing, subgraphs, ["people", "work", "praise"])
        praise_hits = subgraphs.apps["praise"].state.hits
        async with gateway(subgraphs, tokens, subgraphs="", subgraphs_file=str(listing)) as client:
            before = len(praise_hits)
            slow = asyncio.create_task(client.query('{ member(id: "m2") { name slow } }'))

            async def reached_praise() -> bool:
                return len(praise_hits) > before  # the slow field is now being answered upstream

            await eventually(reached_praise)
            write(listing, subgraphs, ["people", "praise"])
            answer = await reload(client.http, client.url)
            finished = await slow
            without_work = await client.query("{ projects { id } }")

        assert answer.json()["changed"] is True
        assert finished == {"data": {"member": {"name": "Bo", "slow": "finally"}}}
        assert without_work["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


class TestPolling:
    async def test_the_gateway_recomposes_on_an_interval(
        self, subgraphs: Served, tokens: Tokens, tmp_path: Path
    ) -> None:
        listing = tmp_path / "subgraphs.txt"
        write(listing, subgraphs, ["people", "work"])
        async with gateway(subgraphs, tokens, subgraphs="", subgraphs_file=str(listing),
                           reload_interval_seconds=0.3) as client:
            write(listing, subgraphs, ["people", "work", "praise"])

            async def badges_served() -> bool:
                body = await client.query('{ member(id: "m3") { name badges { name } } }')
                return body == {"data": {"member": {"name": "Cy", "badges": []}}}

            assert await eventually(badges_served, timeout=10)
