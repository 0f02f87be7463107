"""Planner and executor over the fixed test supergraph: plan shapes and exact merged results."""

from collections.abc import Iterator
from typing import Any

import pytest
from gateway.engine import Engine
from gateway.limits import Limits
from gateway.supergraph import compose
from prometheus_client import REGISTRY

from ..subgraphs import PROJECTS, InProcessSubgraphs


class Gateway:
    def __init__(self, broken: set[str] | None = None) -> None:
        self.subgraphs = InProcessSubgraphs(broken)
        self.supergraph = compose(self.subgraphs.sdls(), self.subgraphs.urls)
        self.engine = Engine.create(self.supergraph, self.subgraphs, Limits(), introspection=True,  # type: ignore[arg-type]
                                    suggestions=False)

    async def run(self, query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> dict[str, Any]:
        return await self.engine.execute({"query": query, "variables": variables, "operationName": name}, {})

    def plan(self, query: str, name: str | None = None) -> list[str]:
        prepared = self.engine.operations.get(query, name)
        assert not prepared.errors, prepared.errors
        assert prepared.plan is not None
        return prepared.plan.describe()

    @property
    def called(self) -> list[str]:
        return [subgraph for subgraph, _ in self.subgraphs.calls]


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    titles = {key: project["title"] for key, project in PROJECTS.items()}
    yield Gateway()
    for key, title in titles.items():  # the mutation tests rename projects
        PROJECTS[key]["title"] = title


class TestRootFields:
    async def test_a_root_field_goes_to_its_owner_only(self, gateway: Gateway) -> None:
        query = '{ member(id: "m1") { name } }'

        assert gateway.plan(query) == ['[0] people: query { member(id: "m1") { name } }']
        assert await gateway.run(query) == {"data": {"member": {"name": "Ada"}}}
        assert gateway.called == ["people"]

    async def test_independent_root_fields_are_fetched_in_parallel_one_fetch_per_subgraph(
        self, gateway: Gateway
    ) -> None:
        query = '{ a: member(id: "m1") { name } projects { title } b: member(id: "m2") { name } }'

        plan = gateway.plan(query)
        result = await gateway.run(query)

        assert [line.split(":")[0] for line in plan] == ["[0] people", "[1] work"]
        assert result == {"data": {"a": {"name": "Ada"}, "projects": [{"title": "Fewer falls"},
                                   {"title": "Faster discharge"}], "b": {"name": "Bo"}}}
        assert sorted(gateway.called) == ["people", "work"]


class TestEntityJumps:
    async def test_a_field_of_another_subgraph_is_fetched_through_entities_with_the_key(self, gateway: Gateway) -> None:
        query = '{ member(id: "m1") { name projects { title } } }'

        assert gateway.plan(query) == [
            '[0] people: query { member(id: "m1") { name __typename id } }',
            "[1] work: _entities<Member> at member after 0 { projects { title } }",
        ]
        assert await gateway.run(query) == {
            "data": {"member": {"name": "Ada", "projects": [{"title": "Fewer falls"}]}}}

    async def test_nested_jumps_cross_all_three_subgraphs(self, gateway: Gateway) -> None:
        query = '{ member(id: "m2") { projects { title team { name badges { name } } } } }'

        result = await gateway.run(query)

        assert result == {"data": {"member": {"projects": [
            {"title": "Fewer falls", "team": [{"name": "Ada", "badges": [{"name": "First PDSA"}, {"name": "Explorer"}]},
                                              {"name": "Bo", "badges": [{"name": "Explorer"}]}]},
            {"title": "Faster discharge", "team": [{"name": "Bo", "badges": [{"name": "Explorer"}]},
                                                   {"name": "Cy", "badges": []}]},
        ]}}}
        assert gateway.called == ["people", "work", "people", "praise"]

    async def test_one_entities_request_per_subgraph_per_step_with_duplicates_removed(self, gateway: Gateway) -> None:
        query = "{ projects { team { name } lead { id } } a: projects { team { badges { name } } } }"

        result = await gateway.run(query)

        assert gateway.called.count("people") == 1
        assert gateway.called.count("praise") == 1
        people_query = next(q for s, q in gateway.subgraphs.calls if s == "people")
        assert people_query.count("_entities") == 1  # both team lists share one batch
        assert [m["name"] for p in result["data"]["projects"] for m in p["team"]] == ["Ada", "Bo", "Bo", "Cy"]

    async def test_requires_fields_are_fetched_first_and_sent_in_the_representation(self, gateway: Gateway) -> None:
        query = '{ projects { team { greeting } } }'

        plan = gateway.plan(query)
        result = await gateway.run(query)

        assert plan[1] == "[1] people: _entities<Member> at projects.@.team.@ after 0 { name }"
        assert plan[2] == "[2] praise: _entities<Member> at projects.@.team.@ after 0,1 { greeting }"
        greetings = [{"greeting": "Well done, Ada!"}, {"greeting": "Well done, Bo!"}]
        assert result["data"]["projects"][0]["team"] == greetings

    async def test_provided_fields_need_no_extra_fetch(self, gateway: Gateway) -> None:
        query = "{ projects { lead { name } } }"

        assert gateway.plan(query) == ["[0] work: query { projects { lead { name } } }"]
        assert await gateway.run(query) == {"data": {"projects": [{"lead": {"name": "Ada"}}, {"lead": {"name": "Bo"}}]}}
        assert gateway.called == ["work"]


class TestSelections:
    async def test_fragments_aliases_and_typename(self, gateway: Gateway) -> None:
        query = """
        query Q { who: member(id: "m3") { ...Basics __typename org: organisation { title: name } } }
        fragment Basics on Member { id nickname: name }
        """

        assert await gateway.run(query, name="Q") == {"data": {"who": {
            "id": "m3", "nickname": "Cy", "__typename": "Member", "org": {"title": "Riverside"}}}}

    async def test_inline_fragments_on_an_interface(self, gateway: Gateway) -> None:
        query = ('{ a: node(id: "m1") { id ... on Member { name projects { title } } } '
                 'b: node(id: "o2") { __typename ... on Organisation { name } } }')

        assert await gateway.run(query) == {"data": {
            "a": {"id": "m1", "name": "Ada", "projects": [{"title": "Fewer falls"}]},
            "b": {"__typename": "Organisation", "name": "Northvale"},
        }}

    async def test_inline_fragments_on_a_union_with_a_jump_inside(self, gateway: Gateway) -> None:
        query = ('{ search(text: "o") { __typename ... on Member { name badges { name } } '
                 '... on Organisation { name } } }')

        assert await gateway.run(query) == {"data": {"search": [
            {"__typename": "Member", "name": "Bo", "badges": [{"name": "Explorer"}]},
            {"__typename": "Organisation", "name": "Northvale"},
        ]}}

    async def test_variables_and_skip_include(self, gateway: Gateway) -> None:
        query = """query($id: ID!, $withProjects: Boolean!, $noName: Boolean!) {
          member(id: $id) { name @skip(if: $noName) projects @include(if: $withProjects) { title } } }"""

        shown = await gateway.run(query, {"id": "m1", "withProjects": True, "noName": False})
        hidden = await gateway.run(query, {"id": "m1", "withProjects": False, "noName": True})

        assert shown == {"data": {"member": {"name": "Ada", "projects": [{"title": "Fewer falls"}]}}}
        assert hidden == {"data": {"member": {}}}


    async def test_a_conditional_fragment_with_fields_of_two_subgraphs(self, gateway: Gateway) -> None:
        query = """query($with: Boolean!) {
          member(id: "m1") { id ... @include(if: $with) { name projects { title } } } }"""

        shown = await gateway.run(query, {"with": True})
        hidden = await gateway.run(query, {"with": False})

        assert shown == {"data": {"member": {"id": "m1", "name": "Ada", "projects": [{"title": "Fewer falls"}]}}}
        assert hidden == {"data": {"member": {"id": "m1"}}}


class TestMutations:
    async def test_mutations_run_in_order_and_their_results_can_cross_subgraphs(self, gateway: Gateway) -> None:
        query = """mutation { first: renameProject(id: "p2", title: "One") { title }
                              second: renameProject(id: "p2", title: "Two") { title lead { name badges { name } } } }"""

        result = await gateway.run(query)

        assert result == {"data": {"first": {"title": "One"}, "second": {"title": "Two", "lead": {
            "name": "Bo", "badges": [{"name": "Explorer"}]}}}}


class TestErrors:
    async def test_a_field_error_keeps_its_path_and_other_fields_survive(self, gateway: Gateway) -> None:
        result = await gateway.run('{ member(id: "m1") { name failing } }')

        assert result["data"] == {"member": {"name": "Ada", "failing": None}}
        assert result["errors"][0]["path"] == ["member", "failing"]
        assert "m1" in result["errors"][0]["message"]

    async def test_entity_errors_are_mapped_to_client_paths(self, gateway: Gateway) -> None:
        result = await gateway.run("{ projects { team { failing } } }")

        assert result["data"]["projects"][1]["team"] == [{"failing": None}, {"failing": None}]
        assert {tuple(e["path"]) for e in result["errors"]} >= {("projects", 0, "team", 0, "failing"),
                                                                ("projects", 1, "team", 1, "failing")}

    async def test_a_subgraph_that_is_down_gives_partial_data_and_errors(self) -> None:
        gateway = Gateway(broken={"praise"})

        result = await gateway.run('{ member(id: "m1") { name badges { name } } }')

        assert result["data"] == {"member": None}  # badges is non-null, so member becomes null
        codes = [e["extensions"]["code"] for e in result["errors"]]
        assert codes == ["SUBGRAPH_UNAVAILABLE"]
        assert result["errors"][0]["path"] == ["member", "badges"]

    async def test_subgraph_errors_are_counted_by_subgraph_and_code_for_alerts(self) -> None:
        def counted(subgraph: str, code: str) -> float:
            return REGISTRY.get_sample_value(
                "heroes_gateway_subgraph_errors_total", {"subgraph": subgraph, "code": code}) or 0.0

        before = counted("people", "SUBGRAPH_ERROR"), counted("praise", "SUBGRAPH_UNAVAILABLE")
        gateway = Gateway(broken={"praise"})

        await gateway.run('{ member(id: "m1") { failing } }')
        await gateway.run('{ member(id: "m1") { name badges { name } } }')

        assert (counted("people", "SUBGRAPH_ERROR"), counted("praise", "SUBGRAPH_UNAVAILABLE")) == (
            before[0] + 1, before[1] + 1)

    async def test_a_root_subgraph_down_nulls_only_its_fields(self) -> None:
        gateway = Gateway(broken={"work"})

        result = await gateway.run('{ member(id: "m1") { name } project(id: "p1") { title } }')

        assert result["data"] == {"member": {"name": "Ada"}, "project": None}
        assert result["errors"][0]["path"] == ["project"]
