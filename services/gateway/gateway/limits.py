"""Request limits checked before any subgraph is called: depth, aliases, cost, body size, batch size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, InlineFragmentNode, IntValueNode, SelectionNode, VariableNode

from gateway.supergraph.model import Supergraph

# Under a paginated field (one taking `first`), these connection lists are the page itself.
PAGE_LISTS = frozenset({"edges", "nodes"})


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 30
    max_cost: int = 5_000
    max_body_bytes: int = 64 * 1024
    max_batch: int = 10
    default_list_size: int = 10
    max_planning_steps: int = 100_000  # steps the query planner may take for one operation
    max_planning_seconds: float = 2.0  # and how long (plans are cached: this is paid once per query text)


def cost(
    sg: Supergraph, parent: str, selections: tuple[SelectionNode, ...], variables: dict[str, Any], limits: Limits,
    *, paginated: bool = False,
) -> int:
    """Fields the operation may resolve: each field counts 1, times the sizes of the lists above it.

    A list's size is its `first` argument when given, else `default_list_size`; the
    `edges`/`nodes` list of a paginated field is that same page and is not counted twice.
    """
    total = 0
    for selection in selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else parent
            total += cost(sg, condition, tuple(selection.selection_set.selections), variables, limits,
                          paginated=paginated)
            continue
        assert isinstance(selection, FieldNode)
        name = selection.name.value
        if name.startswith("__"):
            continue
        definition = sg.types[parent].fields.get(name)
        if definition is None:
            continue
        first = _first(selection, variables)
        size = 1
        if definition.is_list:
            size = 1 if paginated and name in PAGE_LISTS else (first or limits.default_list_size)
        children = tuple(selection.selection_set.selections) if selection.selection_set else ()
        below = cost(sg, definition.named_type, children, variables, limits, paginated=first is not None) if children else 0
        total += size * (1 + below)
    return total


def _first(node: FieldNode, variables: dict[str, Any]) -> int | None:
    for argument in node.arguments or ():
        if argument.name.value in ("first", "last", "limit"):
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                found = variables.get(value.name.value)
                return int(found) if isinstance(found, int) else None
    return None
