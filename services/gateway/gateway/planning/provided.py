"""What a subgraph @provides below a field: {type: {field: what is provided below it}}."""

from __future__ import annotations

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from gateway.supergraph.model import Supergraph

Provided = dict[str, dict[str, "Provided | None"]]


def is_provided(provided: Provided | None, parent: str, name: str) -> bool:
    return provided is not None and name in provided.get(parent, {})


def provided_from(sg: Supergraph, type_name: str, selection_set: SelectionSetNode) -> Provided:
    result: Provided = {}
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode) and selection.type_condition is not None:
            result = merge_provided(result, provided_from(sg, selection.type_condition.name.value,
                                                            selection.selection_set)) or {}
        elif isinstance(selection, FieldNode):
            below = None
            if selection.selection_set is not None:
                below = provided_from(sg, sg.field(type_name, selection.name.value).named_type,
                                       selection.selection_set)
            for concrete in [*sg.possible_types(type_name), type_name]:
                result.setdefault(concrete, {})[selection.name.value] = below
    return result


def merge_provided(first: Provided | None, second: Provided | None) -> Provided | None:
    if first is None:
        return second
    if second is None:
        return first
    merged: Provided = {name: dict(fields) for name, fields in first.items()}
    for name, fields in second.items():
        target = merged.setdefault(name, {})
        for field_name, below in fields.items():
            target[field_name] = merge_provided(target.get(field_name), below)
    return merged
