"""The generators the planner properties rely on: random subgraph sets compose, and the big
seeded network is stable and composes."""

import os

import pytest
from gateway.supergraph import CompositionError, compose
from graphql import validate_schema
from hypothesis import HealthCheck, given, settings

from .generated import generated_network
from .subgraph_schema import subgraph_schema
from .supergraphs import subgraph_sets

pytestmark = pytest.mark.property

SAMPLES = int(os.environ.get("PLANNER_PROPERTY_EXAMPLES", "60"))
LEAST_COMPOSING = 0.8  # the generator is built to compose; far less means it drifted from the rules


def test_most_random_subgraph_sets_compose_and_every_subgraph_is_a_valid_schema() -> None:
    outcomes: list[bool] = []
    invalid_subgraphs: list[str] = []

    @settings(
        max_examples=SAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(sdls=subgraph_sets())
    def sample(sdls: dict[str, str]) -> None:
        for sdl in sdls.values():
            if problems := validate_schema(subgraph_schema(sdl)):
                invalid_subgraphs.append(f"{sdl}\n{problems}")
        try:
            supergraph = compose(sdls, {})
        except CompositionError:
            outcomes.append(False)
            return
        outcomes.append(validate_schema(supergraph.api_schema) == [])

    sample()

    assert invalid_subgraphs == []
    assert sum(outcomes) / len(outcomes) >= LEAST_COMPOSING


def test_the_same_seed_builds_the_same_network_and_another_seed_another() -> None:
    assert generated_network(6, seed=1) == generated_network(6, seed=1)
    assert generated_network(6, seed=1) != generated_network(6, seed=2)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_generated_network_composes_into_a_valid_public_schema(seed: int) -> None:
    sdls = generated_network(12, seed=seed)

    supergraph = compose(sdls, {})

    assert set(sdls) == {f"s{i}" for i in range(12)}
    assert validate_schema(supergraph.api_schema) == []
    assert all(validate_schema(subgraph_schema(sdl)) == [] for sdl in sdls.values())
