"""Hypothesis strategy for random sets of Federation v2 subgraphs that stress the planner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from hypothesis import strategies as st

from .network import Network, Sizes, build_network, render_all

T = TypeVar("T")


class DrawnChoices:
    """Choices drawn by hypothesis, so failing networks shrink to small ones."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return int(self.draw(st.integers(min_value=low, max_value=high)))

    def chance(self, percent: int) -> bool:
        # Drawn as a number that shrinks to 0, i.e. to "no": minimal examples lack the feature.
        return bool(self.draw(st.integers(min_value=0, max_value=99)) >= 100 - percent)

    def choice(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))  # type: ignore[no-any-return]


def networks(sizes: Sizes | None = None) -> st.SearchStrategy[Network]:
    @st.composite
    def build(draw: Callable[[st.SearchStrategy[Any]], Any]) -> Network:
        return build_network(DrawnChoices(draw), sizes or Sizes())

    return build()


def subgraph_sets(sizes: Sizes | None = None) -> st.SearchStrategy[dict[str, str]]:
    """Subgraph name -> Federation v2 SDL, for 2 to 6 subgraphs (by default)."""
    return networks(sizes).map(render_all)
