"""Planning is bounded: over its budget, or with no way to answer a field, a query gets a clear
QUERY_PLANNING_FAILED error naming the field, never a Python error and never an endless search."""

import inspect
import sys
import time

import pytest
from gateway.engine import Engine
from gateway.execution.fetcher import SubgraphClient
from gateway.limits import Limits
from gateway.planning.operation import normalise
from gateway.planning.planner import Budget, Planner, PlanningError
from gateway.supergraph import compose
from graphql import parse

# Abstract types nested in each other, recursive, over two subgraphs: every level jumps.
NESTED = {
    "shapes": """
        interface Part { id: ID! parts: [Part!]! }
        type Box implements Part @key(fields: "id") { id: ID! parts: [Part!]! label: String }
        type Bag implements Part @key(fields: "id") { id: ID! parts: [Part!]! }
        union Thing = Box | Bag
        type Query { things: [Thing!]! part: Part }
    """,
    "weights": """
        type Box @key(fields: "id") { id: ID! grams: Int }
        type Bag @key(fields: "id") { id: ID! grams: Int }
        type Query { heaviest: Box }
    """,
}


def nested_query(levels: int) -> str:
    inner = "id"
    for _ in range(levels):
        inner = f"parts {{ id ... on Box {{ grams label }} ... on Bag {{ grams }} {inner} }}"
    return f"{{ things {{ ... on Box {{ grams {inner} }} ... on Bag {{ {inner} }} }} }}"


def plan(sdls: dict[str, str], query: str, budget: Budget | None = None) -> list[str]:
    planner = Planner(compose(sdls, {name: f"http://{name}" for name in sdls}), budget)
    return planner.plan(normalise(parse(query), None)).describe()


class TestBudget:
    def test_abstract_types_nested_deeply_plan_within_the_budget(self) -> None:
        started = time.perf_counter()

        outline = plan(NESTED, nested_query(9))

        assert time.perf_counter() - started < 2
        assert outline[0].startswith("[0] shapes: query { things {")
        # Box and Bag at each of the 10 levels under a Box, and at the 9 levels of parts under a Bag
        assert sum(" weights: _entities<" in line for line in outline) == 2 * 10 + 2 * 9 - 1

    def test_too_many_steps_is_a_planning_error_naming_where_it_stopped(self) -> None:
        with pytest.raises(PlanningError) as caught:
            plan(NESTED, nested_query(9), Budget(max_steps=40))

        assert str(caught.value).startswith("The query is too complex to plan: it took more than 40 steps")
        assert "(stopped at " in str(caught.value)

    def test_running_out_of_time_is_a_planning_error(self) -> None:
        with pytest.raises(PlanningError) as caught:
            plan(NESTED, nested_query(9), Budget(max_seconds=0))

        assert "it took more than 0 s" in str(caught.value)

    def test_python_recursion_limits_become_a_planning_error(self) -> None:
        planner = Planner(compose(NESTED, {name: f"http://{name}" for name in NESTED}))
        operation = normalise(parse(nested_query(9)), None)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(len(inspect.stack()) + 40)  # far less than the plan needs
        try:
            with pytest.raises(PlanningError) as caught:
                planner.plan(operation)
        finally:
            sys.setrecursionlimit(limit)

        assert "nests too deeply" in str(caught.value)


class TestUnplannable:
    def test_a_field_no_subgraph_can_reach_is_refused_with_its_name(self) -> None:
        sdls = {
            "a": 'type Thing @key(fields: "id") { id: ID! } type Query { thing: Thing }',
            "b": 'type Thing @key(fields: "id", resolvable: false) { id: ID! } '
                 'type Query { other: Thing }',
            "c": 'type Thing @key(fields: "code") { code: ID! secret: String } type Query { c: Thing }',
        }

        with pytest.raises(PlanningError) as caught:
            plan(sdls, "{ thing { secret } }")

        assert "Thing.secret" in str(caught.value)

    async def test_through_the_engine_it_is_a_graphql_error_with_a_code(self) -> None:
        supergraph = compose(NESTED, {name: f"http://{name}" for name in NESTED})
        client = SubgraphClient.create(supergraph.subgraph_urls, timeout=1)
        try:
            engine = Engine.create(supergraph, client, Limits(max_planning_steps=40, max_depth=50),
                                   introspection=False, suggestions=False)
            result = await engine.execute({"query": nested_query(9)}, {})
        finally:
            await client.close()

        assert "data" not in result
        [error] = result["errors"]
        assert error["extensions"]["code"] == "QUERY_PLANNING_FAILED"
        assert error["message"].startswith("The query is too complex to plan")

    async def test_running_out_of_time_is_not_remembered_but_too_many_steps_is(self) -> None:
        supergraph = compose(NESTED, {name: f"http://{name}" for name in NESTED})
        client = SubgraphClient.create(supergraph.subgraph_urls, timeout=1)
        try:
            slow = Engine.create(supergraph, client, Limits(max_planning_seconds=0, max_depth=50),
                                 introspection=False, suggestions=False).operations
            steps = Engine.create(supergraph, client, Limits(max_planning_steps=40, max_depth=50),
                                  introspection=False, suggestions=False).operations
        finally:
            await client.close()

        # The machine may just have been busy: the next request plans again. Steps do not vary.
        assert slow.get(nested_query(9), None) is not slow.get(nested_query(9), None)
        assert steps.get(nested_query(9), None) is steps.get(nested_query(9), None)
        assert "took more than 0 s" in str(slow.get(nested_query(9), None).errors[0]["message"])
