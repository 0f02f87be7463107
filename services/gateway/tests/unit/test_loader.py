"""The supergraph loader composes from whatever fetches an SDL, waiting for subgraphs that are
still starting."""

import pytest
from gateway.supergraph.loader import SdlUnavailable, load_supergraph, sdl_from_result

PEOPLE = """
type Member @key(fields: "id") { id: ID! name: String! }
type Query { member(id: ID!): Member }
"""
WORK = """
type Member @key(fields: "id") { id: ID! projects: [String!]! }
type Query { projectCount: Int! }
"""
URLS = {"people": "http://people.test/graphql", "work": "http://work.test/graphql"}


class TestLoadSupergraph:
    async def test_waits_for_a_subgraph_that_cannot_give_its_sdl_yet(self) -> None:
        asked: list[str] = []

        async def fetch_sdl(name: str) -> str:
            asked.append(name)
            if name == "work" and asked.count("work") < 3:
                raise SdlUnavailable(name, "starting")
            return {"people": PEOPLE, "work": WORK}[name]

        supergraph = await load_supergraph(fetch_sdl, URLS, wait_seconds=10)

        assert sorted(supergraph.type("Member").fields) == ["id", "name", "projects"]
        assert supergraph.subgraph_urls == URLS
        assert asked.count("work") == 3

    async def test_gives_up_at_the_deadline_with_the_subgraphs_reason(self) -> None:
        async def fetch_sdl(name: str) -> str:
            raise SdlUnavailable(name, "unreachable")

        with pytest.raises(SdlUnavailable, match="unreachable"):
            await load_supergraph(fetch_sdl, URLS, wait_seconds=0)


class TestSdlFromResult:
    def test_reads_the_sdl_of_a_service_query(self) -> None:
        assert sdl_from_result("people", {"data": {"_service": {"sdl": PEOPLE}}}) == PEOPLE

    def test_a_result_without_sdl_says_what_came_instead(self) -> None:
        with pytest.raises(SdlUnavailable, match=r"people: did not return its SDL \(forbidden\)"):
            sdl_from_result("people", {"data": None, "errors": [{"message": "forbidden"}]})
