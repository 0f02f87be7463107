"""Selection helpers of the planner: flattening, fragments per type, response keys, printing."""

from __future__ import annotations

from graphql import (
    DirectiveNode,
    FieldNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    SelectionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    print_ast,
)

from gateway.planning.operation import response_key
from gateway.planning.plan import KeyPart
from gateway.supergraph.model import Supergraph


def flatten_root(
    selections: tuple[SelectionNode, ...], wrappers: tuple[tuple[DirectiveNode, ...], ...]
) -> list[tuple[FieldNode, tuple[tuple[DirectiveNode, ...], ...]]]:
    flat = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            flat.append((selection, wrappers))
        elif isinstance(selection, InlineFragmentNode):
            inner = wrappers + ((tuple(selection.directives),) if selection.directives else ())
            flat += flatten_root(tuple(selection.selection_set.selections), inner)
    return flat


def wrap(node: FieldNode, wrappers: tuple[tuple[DirectiveNode, ...], ...]) -> SelectionNode:
    wrapped: SelectionNode = node
    for directives in reversed(wrappers):
        wrapped = InlineFragmentNode(type_condition=None, directives=directives,
                                     selection_set=SelectionSetNode(selections=(wrapped,)))
    return wrapped


def for_type(sg: Supergraph, concrete: str, selections: tuple[SelectionNode, ...]) -> tuple[SelectionNode, ...]:
    """The selections of an abstract position that apply to one concrete type."""
    result: list[SelectionNode] = []
    for selection in selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            if condition is None or condition == concrete or concrete in sg.possible_types(condition):
                result.append(InlineFragmentNode(type_condition=None, directives=selection.directives,
                                                 selection_set=selection.selection_set))
        else:
            result.append(selection)
    return tuple(result)


def fields_of(selections: tuple[SelectionNode, ...]) -> list[FieldNode]:
    """Fields at one level, looking through inline fragments."""
    fields: list[FieldNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            fields += fields_of(tuple(selection.selection_set.selections))
    return fields


def response_keys(selections: tuple[SelectionNode, ...]) -> dict[str, str]:
    """Response key -> field name at one level (through inline fragments)."""
    keys: dict[str, str] = {}
    for selection in selections:
        if isinstance(selection, FieldNode):
            keys[response_key(selection)] = selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            keys.update(response_keys(tuple(selection.selection_set.selections)))
    return keys


def keys_of(sg: Supergraph, parent: str, subgraph: str) -> set[str]:
    names: set[str] = set()
    for key in sg.type(parent).keys.get(subgraph, []):
        names |= {s.name.value for s in key.fields.selections if isinstance(s, FieldNode)}
    return names


def alias(node: FieldNode) -> str:
    return f"{node.alias.value}: " if node.alias else ""


def arguments(node: FieldNode, variables: set[str]) -> str:
    if not node.arguments:
        return ""
    for argument in node.arguments:
        variables |= variables_in(argument.value)
    return "(" + ", ".join(print_ast(a) for a in node.arguments) + ")"


def directives(directives: tuple[DirectiveNode, ...] | None, variables: set[str]) -> str:
    kept = [d for d in directives or () if d.name.value in ("skip", "include")]
    for directive in kept:
        for argument in directive.arguments or ():
            variables |= variables_in(argument.value)
    return "".join(" " + print_ast(d) for d in kept)


def variables_in(value: ValueNode) -> set[str]:
    if isinstance(value, VariableNode):
        return {value.name.value}
    if isinstance(value, ListValueNode):
        return set().union(*(variables_in(v) for v in value.values)) if value.values else set()
    if isinstance(value, ObjectValueNode):
        return set().union(*(variables_in(f.value) for f in value.fields)) if value.fields else set()
    return set()


def dedupe(parts: list[KeyPart]) -> list[KeyPart]:
    seen: dict[str, KeyPart] = {}
    for part in parts:
        seen.setdefault(part.name, part)
    return list(seen.values())
