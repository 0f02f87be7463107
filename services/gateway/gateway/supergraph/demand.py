"""`@cost` and `@listSize` (the GraphQL cost specification, Federation v2.9) read from SDL directives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import DirectiveNode, value_from_ast_untyped

from gateway.supergraph.model import ListSize

COST = "cost"
LIST_SIZE = "listSize"


def _named(nodes: Iterable[DirectiveNode] | None, name: str) -> list[dict[str, Any]]:
    return [
        {a.name.value: value_from_ast_untyped(a.value) for a in node.arguments or ()}
        for node in nodes or ()
        if node.name.value.removeprefix("federation__") == name
    ]


def read_cost(nodes: Iterable[DirectiveNode] | None) -> int | None:
    """The `@cost(weight:)` among these directives, if any (the largest if repeated)."""
    weights = [int(args["weight"]) for args in _named(nodes, COST) if isinstance(args.get("weight"), int | float)]
    return max(weights) if weights else None


def read_list_size(nodes: Iterable[DirectiveNode] | None) -> ListSize | None:
    found = _named(nodes, LIST_SIZE)
    if not found:
        return None
    args = found[0]
    assumed = args.get("assumedSize")
    return ListSize(
        assumed_size=int(assumed) if isinstance(assumed, int | float) else None,
        slicing_arguments=tuple(str(a) for a in args.get("slicingArguments") or ()),
        sized_fields=tuple(str(f) for f in args.get("sizedFields") or ()),
        require_one_slicing_argument=args.get("requireOneSlicingArgument") is not False,
    )


def merge_cost(a: int | None, b: int | None) -> int | None:
    """Two subgraphs' weights for one field or type: the larger counts."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


def merge_list_size(a: ListSize | None, b: ListSize | None) -> ListSize | None:
    if a is None or b is None:
        return a if b is None else b
    return a.merged(b)


def print_cost(weight: int | None) -> str:
    return f" @cost(weight: {weight})" if weight is not None else ""


def print_list_size(size: ListSize | None) -> str:
    if size is None:
        return ""
    parts = []
    if size.assumed_size is not None:
        parts.append(f"assumedSize: {size.assumed_size}")
    if size.slicing_arguments:
        parts.append("slicingArguments: [" + ", ".join(f'"{a}"' for a in size.slicing_arguments) + "]")
    if size.sized_fields:
        parts.append("sizedFields: [" + ", ".join(f'"{f}"' for f in size.sized_fields) + "]")
    parts.append(f"requireOneSlicingArgument: {'true' if size.require_one_slicing_argument else 'false'}")
    return f" @listSize({', '.join(parts)})"
