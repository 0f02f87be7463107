"""Planner properties over random supergraphs and queries: it plans or says why not, in time, and
sends each subgraph a document that subgraph's own schema accepts."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from types import FrameType
from typing import Any

import pytest
from gateway.planning.operation import normalise
from gateway.planning.plan import QueryPlan
from gateway.planning.planner import Planner, PlanningError
from gateway.supergraph import CompositionError, Supergraph, compose
from graphql import GraphQLSchema, parse, validate_schema
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from ..querygen import GeneratedQuery, queries, validation_errors
from .generated import generated_network
from .subgraph_schema import subgraph_schema
from .supergraphs import subgraph_sets

pytestmark = pytest.mark.property

EXAMPLES = int(os.environ.get("PLANNER_PROPERTY_EXAMPLES", "100"))
PLAN_SECONDS = 3.0  # planning one operation slower than this fails (the planner budgets itself 2 s)
HARD_STOP_SECONDS = 30  # a planner that hangs is interrupted here, and the run goes on
PROPERTY = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BIG_NETWORK_EXAMPLES = max(5, EXAMPLES // 6)


class PlanningHung(Exception):
    """The planner was still running at the hard stop."""


class Case:
    """A composed set of subgraphs and a query over its public schema. Not a dataclass: hypothesis
    prints a failing case with this `__repr__`, the SDL and query as they would be written."""

    def __init__(self, sdls: dict[str, str], supergraph: Supergraph, query: GeneratedQuery) -> None:
        self.sdls = sdls
        self.supergraph = supergraph
        self.query = query

    def __repr__(self) -> str:
        subgraphs = "\n".join(
            f"# --- subgraph {name}\n{sdl}" for name, sdl in sorted(self.sdls.items())
        )
        return (
            f"\n{subgraphs}\n# --- query\n{self.query.text}\n# variables: {self.query.variables}\n"
        )


def urls(sdls: dict[str, str]) -> dict[str, str]:
    return {name: f"http://{name}.test/graphql" for name in sdls}


@st.composite
def cases(draw: Callable[[st.SearchStrategy[Any]], Any]) -> Case:
    sdls = draw(subgraph_sets())
    try:
        supergraph = compose(sdls, urls(sdls))
    except CompositionError:
        reject()  # the generator builds sets that compose almost always (test_generators.py)
    return Case(sdls, supergraph, draw(queries(supergraph.api_schema)))


@contextmanager
def hard_stop(seconds: float) -> Iterator[None]:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise PlanningHung(f"planning was still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def plan(planner: Planner, query: str) -> tuple[QueryPlan | None, float]:
    """The plan with its documents (None on PlanningError) and the seconds it took. Any other
    exception propagates: that is a planner bug."""
    started = time.perf_counter()
    with hard_stop(HARD_STOP_SECONDS):
        try:
            planned = planner.plan(normalise(parse(query), None))
            planned.documents()
        except PlanningError:
            planned = None
    return planned, time.perf_counter() - started


def invalid_documents(planned: QueryPlan, schemas: Callable[[str], GraphQLSchema]) -> list[str]:
    problems = []
    for subgraph, document in planned.documents():
        errors = validation_errors(schemas(subgraph), document)
        problems += [f"{subgraph} <- {document}\n    {error.message}" for error in errors]
    return problems


class TestRandomSupergraphs:
    @PROPERTY
    @given(case=cases())
    def test_planning_gives_a_plan_or_a_planning_error_in_time(self, case: Case) -> None:
        with hard_stop(HARD_STOP_SECONDS):
            planner = Planner(case.supergraph)

        _, seconds = plan(planner, case.query.text)

        assert seconds < PLAN_SECONDS

    @PROPERTY
    @given(case=cases())
    def test_every_fetch_is_valid_against_the_schema_of_the_subgraph_it_is_sent_to(
        self, case: Case
    ) -> None:
        try:
            planned, _ = plan(Planner(case.supergraph), case.query.text)
        except Exception:  # a crash is the test above's finding: here only plans are checked
            return
        if planned is None:
            return

        problems = invalid_documents(planned, cache(lambda name: subgraph_schema(case.sdls[name])))

        assert not problems, "\n".join(problems)

    @PROPERTY
    @given(case=cases())
    def test_generated_queries_are_valid(self, case: Case) -> None:
        assert validation_errors(case.supergraph.api_schema, case.query.text) == []


@cache
def big_network() -> tuple[dict[str, str], Supergraph, Planner]:
    sdls = generated_network(50, seed=0)
    supergraph = compose(sdls, urls(sdls))
    return sdls, supergraph, Planner(supergraph)


@cache
def big_network_subgraph(name: str) -> GraphQLSchema:
    return subgraph_schema(big_network()[0][name])


class TestAFiftySubgraphNetwork:
    def test_it_composes_into_a_valid_public_schema(self) -> None:
        sdls, supergraph, _ = big_network()

        assert len(sdls) == 50
        assert len([t for t in supergraph.types.values() if t.kind != "scalar"]) > 200
        assert validate_schema(supergraph.api_schema) == []

    @settings(PROPERTY, max_examples=BIG_NETWORK_EXAMPLES)
    @given(data=st.data())
    def test_random_queries_plan_in_time(self, data: st.DataObject) -> None:
        _, supergraph, planner = big_network()
        query = data.draw(queries(supergraph.api_schema), label="query")

        _, seconds = plan(planner, query.text)

        assert seconds < PLAN_SECONDS

    @settings(PROPERTY, max_examples=BIG_NETWORK_EXAMPLES)
    @given(data=st.data())
    def test_every_fetch_is_valid_against_the_schema_of_the_subgraph_it_is_sent_to(
        self, data: st.DataObject
    ) -> None:
        _, supergraph, planner = big_network()
        query = data.draw(queries(supergraph.api_schema), label="query")
        try:
            planned, _ = plan(planner, query.text)
        except Exception:  # a crash is the test above's finding: here only plans are checked
            return
        if planned is None:
            return

        problems = invalid_documents(planned, big_network_subgraph)

        assert not problems, "\n".join(problems)
