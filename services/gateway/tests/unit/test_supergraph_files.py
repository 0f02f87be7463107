"""Supergraph SDL files: what `gateway compose --print` writes loads back to identical plans,
and files in the older join v0.1 form (with @join__owner) run too."""

from pathlib import Path

import pytest
from gateway.engine import Engine
from gateway.limits import Limits
from gateway.supergraph import compose
from gateway.supergraph.join_load import load_supergraph_sdl
from gateway.supergraph.join_print import print_supergraph
from gateway.supergraph.model import Supergraph

from ..subgraphs import InProcessSubgraphs

QUERIES = [
    '{ member(id: "m1") { name projects { title cheers } badges { name holder { name } } } }',
    "{ projects { lead { name } team { greeting organisation { name } } } }",
    '{ search(text: "o") { ... on Member { name badges { name } } ... on Organisation { name } } }',
    '{ node(id: "m2") { id ... on Member { projects { title } } } topBadges { holder { projects { id } } } }',
    'mutation { renameProject(id: "p1", title: "Fewer falls") { title lead { badges { name } } } }',
]


def plans(supergraph: Supergraph) -> list[list[str]]:
    engine = Engine.create(supergraph, InProcessSubgraphs(), Limits(), introspection=True,  # type: ignore[arg-type]
                           suggestions=False)
    described = []
    for query in QUERIES:
        prepared = engine.operations.get(query, None)
        assert not prepared.errors, prepared.errors
        assert prepared.plan is not None
        described.append(prepared.plan.describe())
    return described


class TestRoundTrip:
    def test_a_printed_supergraph_loads_back_to_the_same_schema_and_plans(self) -> None:
        subgraphs = InProcessSubgraphs()
        composed = compose(subgraphs.sdls(), subgraphs.urls)

        loaded = load_supergraph_sdl(print_supergraph(composed))

        assert loaded.api_sdl == composed.api_sdl
        assert loaded.subgraph_urls == composed.subgraph_urls
        assert plans(loaded) == plans(composed)

    def test_printing_what_was_loaded_changes_nothing(self) -> None:
        subgraphs = InProcessSubgraphs()
        printed = print_supergraph(compose(subgraphs.sdls(), subgraphs.urls))

        assert print_supergraph(load_supergraph_sdl(printed)) == printed


class TestOlderFiles:
    async def test_a_join_v0_1_file_with_owners_runs_queries(self) -> None:
        supergraph = load_supergraph_sdl((Path(__file__).parents[1] / "data" / "fed1-supergraph.graphql").read_text())
        subgraphs = InProcessSubgraphs()
        engine = Engine.create(supergraph, subgraphs, Limits(), introspection=False, suggestions=False)  # type: ignore[arg-type]

        result = await engine.execute({"query": '{ member(id: "m1") { name greeting projects { title cheers } } }'}, {})

        assert result == {"data": {"member": {"name": "Ada", "greeting": "Well done, Ada!",
                                              "projects": [{"title": "Fewer falls", "cheers": ["Hooray for p1"]}]}}}
        called = [s for s, _ in subgraphs.calls]
        # people first; then work (projects) and praise (greeting, needing people's name) together;
        # then praise again for cheers of the projects work returned.
        assert called[0] == "people"
        assert sorted(called[1:3]) == ["praise", "work"]
        assert called[3:] == ["praise"]

    def test_a_file_without_join_graphs_is_refused(self) -> None:
        from gateway.supergraph import CompositionError

        with pytest.raises(CompositionError, match="not a supergraph"):
            load_supergraph_sdl("type Query { a: Int }")
