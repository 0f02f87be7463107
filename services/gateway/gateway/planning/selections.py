"""Helpers over the client's selections: flattening, fragments per type, printing arguments."""

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
from gateway.supergraph.model import Supergraph

Wrappers = tuple[tuple[DirectiveNode, ...], ...]


def flatten_root(selections: tuple[SelectionNode, ...], wrappers: Wrappers) -> list[tuple[FieldNode, Wrappers]]:
    """Root fields with the @skip/@include of the fragments around them."""
    flat = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            flat.append((selection, wrappers))
        elif isinstance(selection, InlineFragmentNode):
            inner = wrappers + ((tuple(selection.directives),) if selection.directives else ())
            flat += flatten_root(tuple(selection.selection_set.selections), inner)
    return flat


def wrap(node: FieldNode, wrappers: Wrappers) -> SelectionNode:
    wrapped: SelectionNode = node
    for directives in reversed(wrappers):
        wrapped = InlineFragmentNode(type_condition=None, directives=directives,
                                     selection_set=SelectionSetNode(selections=(wrapped,)))
    return wrapped


def applies(sg: Supergraph, condition: str | None, concrete: str) -> bool:
    """Does a fragment on `condition` apply to an object of type `concrete` (as the client sees it)?"""
    if condition is None or condition == concrete:
        return True
    definition = sg.types.get(condition)
    if definition is None:
        return False
    if definition.kind == "union":
        return concrete in definition.members
    if definition.kind == "interface":
        concrete_type = sg.types.get(concrete)
        return concrete_type is not None and condition in concrete_type.interfaces
    return False


def for_type(sg: Supergraph, concrete: str, selections: tuple[SelectionNode, ...]) -> tuple[SelectionNode, ...]:
    """The selections of an abstract position that apply to one concrete type."""
    result: list[SelectionNode] = []
    for selection in selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            if applies(sg, condition, concrete):
                result.append(InlineFragmentNode(type_condition=None, directives=selection.directives,
                                                 selection_set=selection.selection_set))
        else:
            result.append(selection)
    return tuple(result)


def fields_for(sg: Supergraph, concrete: str, selections: tuple[SelectionNode, ...]) -> list[FieldNode]:
    """Fields at one level that apply to `concrete`, through (nested) fragments."""
    fields: list[FieldNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            if applies(sg, condition, concrete):
                fields += fields_for(sg, concrete, tuple(selection.selection_set.selections))
    return fields


def fields_of(selections: tuple[SelectionNode, ...]) -> list[FieldNode]:
    """Fields at one level, looking through every inline fragment."""
    fields: list[FieldNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            fields += fields_of(tuple(selection.selection_set.selections))
    return fields


def response_keys(selections: tuple[SelectionNode, ...]) -> tuple[str, ...]:
    """Response keys at one level (through inline fragments), in order, once each."""
    return tuple(dict.fromkeys(response_key(f) for f in fields_of(selections) if f.name.value != "__typename"))


def children(node: FieldNode) -> tuple[SelectionNode, ...]:
    return tuple(node.selection_set.selections) if node.selection_set else ()


def with_children(node: FieldNode, selections: tuple[SelectionNode, ...]) -> FieldNode:
    return FieldNode(alias=node.alias, name=node.name, arguments=node.arguments, directives=node.directives,
                     selection_set=SelectionSetNode(selections=selections))


def arguments_text(node: FieldNode) -> str:
    if not node.arguments:
        return ""
    return "(" + ", ".join(print_ast(a) for a in node.arguments) + ")"


def directives_text(directives: tuple[DirectiveNode, ...] | None) -> str:
    kept = [d for d in directives or () if d.name.value in ("skip", "include")]
    return "".join(" " + print_ast(d) for d in kept)


def variables_of(node: FieldNode | InlineFragmentNode, *, with_directives: bool) -> set[str]:
    found: set[str] = set()
    for argument in getattr(node, "arguments", None) or ():
        found |= variables_in(argument.value)
    if with_directives:
        for directive in node.directives or ():
            if directive.name.value in ("skip", "include"):
                for argument in directive.arguments or ():
                    found |= variables_in(argument.value)
    return found


def variables_in(value: ValueNode) -> set[str]:
    if isinstance(value, VariableNode):
        return {value.name.value}
    if isinstance(value, ListValueNode):
        return set().union(*(variables_in(v) for v in value.values)) if value.values else set()
    if isinstance(value, ObjectValueNode):
        return set().union(*(variables_in(f.value) for f in value.fields)) if value.fields else set()
    return set()
