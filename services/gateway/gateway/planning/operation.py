"""A client operation made plannable: one operation chosen, named fragments inlined, sizes measured."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableDefinitionNode,
)

MAX_EXPANDED_SELECTIONS = 20_000


class OperationProblem(Exception):
    """The request cannot be planned as sent (no such operation, too big once expanded)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Operation:
    kind: str  # "query" | "mutation" | "subscription"
    name: str | None
    selections: tuple[SelectionNode, ...]  # fragments inlined: only fields and inline fragments
    variable_definitions: dict[str, VariableDefinitionNode]


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        for operation in operations:
            if operation.name and operation.name.value == operation_name:
                return operation
        raise OperationProblem(f'There is no operation named "{operation_name}" in the request.', "BAD_REQUEST")
    if len(operations) != 1:
        raise OperationProblem("The request has several operations; say which one with operationName.", "BAD_REQUEST")
    return operations[0]


def normalise(document: DocumentNode, operation_name: str | None) -> Operation:
    """The chosen operation with every named fragment spread replaced by an inline fragment."""
    chosen = select_operation(document, operation_name)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counter = [0]
    selections = _inline(chosen.selection_set, fragments, counter)
    return Operation(
        kind=chosen.operation.value,
        name=chosen.name.value if chosen.name else None,
        selections=selections,
        variable_definitions={v.variable.name.value: v for v in chosen.variable_definitions or ()},
    )


def _inline(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode], counter: list[int]
) -> tuple[SelectionNode, ...]:
    if selection_set is None:
        return ()
    result: list[SelectionNode] = []
    for selection in selection_set.selections:
        counter[0] += 1
        if counter[0] > MAX_EXPANDED_SELECTIONS:
            raise OperationProblem("The query is too large once its fragments are expanded.", "QUERY_TOO_COMPLEX")
        if isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            result.append(InlineFragmentNode(
                type_condition=fragment.type_condition,
                directives=selection.directives,
                selection_set=SelectionSetNode(selections=_inline(fragment.selection_set, fragments, counter)),
            ))
        elif isinstance(selection, InlineFragmentNode):
            result.append(InlineFragmentNode(
                type_condition=selection.type_condition,
                directives=selection.directives,
                selection_set=SelectionSetNode(selections=_inline(selection.selection_set, fragments, counter)),
            ))
        else:
            assert isinstance(selection, FieldNode)
            result.append(FieldNode(
                alias=selection.alias, name=selection.name, arguments=selection.arguments,
                directives=selection.directives,
                selection_set=SelectionSetNode(selections=_inline(selection.selection_set, fragments, counter))
                if selection.selection_set else None,
            ))
    return tuple(result)


def response_key(field: FieldNode) -> str:
    return field.alias.value if field.alias else field.name.value


def depth(selections: tuple[SelectionNode, ...], *, skip_introspection: bool = True) -> int:
    """How deeply fields nest (a flat query is 1)."""
    deepest = 0
    for selection in selections:
        if isinstance(selection, InlineFragmentNode):
            inner = depth(tuple(selection.selection_set.selections), skip_introspection=skip_introspection)
            deepest = max(deepest, inner)
        elif isinstance(selection, FieldNode):
            if skip_introspection and selection.name.value.startswith("__"):
                continue
            children = tuple(selection.selection_set.selections) if selection.selection_set else ()
            deepest = max(deepest, 1 + depth(children, skip_introspection=skip_introspection))
    return deepest


def count_aliases(selections: tuple[SelectionNode, ...]) -> int:
    total = 0
    for selection in selections:
        if isinstance(selection, FieldNode):
            total += 1 if selection.alias else 0
            if selection.selection_set:
                total += count_aliases(tuple(selection.selection_set.selections))
        elif isinstance(selection, InlineFragmentNode):
            total += count_aliases(tuple(selection.selection_set.selections))
    return total


def uses_introspection(selections: tuple[SelectionNode, ...]) -> bool:
    """True when `__schema` or `__type` is asked for anywhere (`__typename` is fine)."""
    for selection in selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in ("__schema", "__type"):
                return True
            if selection.selection_set and uses_introspection(tuple(selection.selection_set.selections)):
                return True
        elif isinstance(selection, InlineFragmentNode) and uses_introspection(
            tuple(selection.selection_set.selections)
        ):
            return True
    return False
