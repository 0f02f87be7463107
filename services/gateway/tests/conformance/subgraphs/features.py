"""Conformance subgraph sets added for planner v2, one group per Federation v2 feature.

FEATURE_GROUPS: group name -> subgraph names that compose together.
FEATURE_SUBGRAPHS: subgraph name -> a function returning its schema.
"""

from collections.abc import Callable
from typing import Any

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {}
FEATURE_SUBGRAPHS: dict[str, Callable[[], Any]] = {}
