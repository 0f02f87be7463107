"""Shapes merged subgraph data into exactly the response the client's operation asks for.

Walks the client's selections over the public schema: keeps only asked-for fields, in
order, under their aliases; applies @skip/@include; and propagates nulls from
non-null fields up to the nearest nullable parent, as GraphQL execution would.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    is_abstract_type,
    is_leaf_type,
)
from graphql.utilities import value_from_ast_untyped

from gateway.execution.executor import ABSENT
from gateway.planning.operation import response_key

ResponsePath = list[str | int]


class _Null(Exception):
    """A non-null position got null: the nearest nullable parent becomes null instead."""

    def __init__(self, path: ResponsePath) -> None:
        super().__init__(path)
        self.path = path


class Shaper:
    def __init__(self, schema: GraphQLSchema, variables: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        self.schema = schema
        self.variables = variables
        self.errors = errors
        self._error_paths = {tuple(e.get("path") or ()) for e in errors}

    def shape_root(self, root_type: GraphQLObjectType, selections: tuple[SelectionNode, ...], data: dict[str, Any]
                   ) -> dict[str, Any] | None:
        try:
            return self._object(root_type, selections, data, [])
        except _Null:
            return None

    def _object(self, type_: GraphQLObjectType, selections: tuple[SelectionNode, ...], data: dict[str, Any],
                path: ResponsePath) -> dict[str, Any]:
        grouped: dict[str, list[FieldNode]] = {}
        for node in self._collect(type_, selections):
            grouped.setdefault(response_key(node), []).append(node)
        result: dict[str, Any] = {}
        quiet = bool(data.get(ABSENT))  # a person one may not see is no server fault: null, no error
        for key, nodes in grouped.items():
            node = nodes[0] if len(nodes) == 1 else _merged(nodes)
            if node.name.value == "__typename":
                result[key] = type_.name
                continue
            if node.name.value in ("__schema", "__type"):
                result[key] = data.get(key)  # answered and shaped by graphql-core already
                continue
            field = type_.fields[node.name.value]
            result[key] = self._complete(field.type, node, data.get(key), [*path, key],
                                         f"{type_.name}.{node.name.value}", quiet)
        return result

    def _complete(self, type_: GraphQLOutputType, node: FieldNode, value: Any, path: ResponsePath, where: str,
                  quiet: bool = False) -> Any:
        if isinstance(type_, GraphQLNonNull):
            completed = self._complete(type_.of_type, node, value, path, where, quiet)
            if completed is None:
                if not quiet:
                    self._note_null(path)
                raise _Null(path)
            return completed
        if value is None:
            return None
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                return None
            items = []
            for index, item in enumerate(value):
                try:
                    items.append(self._complete(type_.of_type, node, item, [*path, index], where, quiet))
                except _Null:
                    if isinstance(type_.of_type, GraphQLNonNull):
                        raise
                    items.append(None)
            return items
        if is_leaf_type(type_):
            return self._leaf(type_, value, path, where)
        if not isinstance(value, dict):
            return None
        runtime = type_
        if is_abstract_type(type_):
            runtime = self.schema.get_type(str(value.get("__typename", "")))  # type: ignore[assignment]
            # An @interfaceObject subgraph answers with the interface's own name when only the
            # interface's fields were asked for: those fields are all there is to show.
            if not isinstance(runtime, GraphQLObjectType) and runtime is not type_:
                return None
        selections = tuple(node.selection_set.selections) if node.selection_set else ()
        try:
            return self._object(runtime, selections, value, path)  # type: ignore[arg-type]
        except _Null:
            return None  # a non-null child was null; a non-null parent passes it further up

    def _leaf(self, type_: GraphQLOutputType, value: Any, path: ResponsePath, where: str) -> Any:
        """A leaf value as the public schema allows it: an enum value that is unknown or hidden
        (@inaccessible) here, or an object where a scalar belongs, becomes null with an error."""
        if isinstance(type_, GraphQLEnumType):
            if isinstance(value, str) and value in type_.values:
                return value
        elif not isinstance(value, dict | list):
            return value
        shown = json.dumps(value)[:40] if isinstance(value, str) else "a value of the wrong kind"
        self.errors.append({
            "message": f"A service returned {shown} for {where}, which this API does not allow there.",
            "path": list(path),
            "extensions": {"code": "INVALID_RESPONSE_VALUE"},
        })
        self._error_paths.add(tuple(path))
        return None

    def _collect(self, type_: GraphQLObjectType, selections: tuple[SelectionNode, ...]) -> list[FieldNode]:
        fields: list[FieldNode] = []
        for selection in selections:
            if not self._included(selection.directives):
                continue
            if isinstance(selection, FieldNode):
                fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                if condition is None or self._applies(condition, type_):
                    fields += self._collect(type_, tuple(selection.selection_set.selections))
        return fields

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        if condition == type_.name:
            return True
        target = self.schema.get_type(condition)
        return target is not None and is_abstract_type(target) and self.schema.is_sub_type(target, type_)

    def _included(self, directives: tuple[DirectiveNode, ...] | None) -> bool:
        for directive in directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
            value = bool(value_from_ast_untyped(argument.value, self.variables)) if argument else False
            if (name == "skip" and value) or (name == "include" and not value):
                return False
        return True

    def _note_null(self, path: ResponsePath) -> None:
        """Explain a null in a non-null position unless a subgraph error already covers it."""
        for length in range(len(path), 0, -1):
            if tuple(path[:length]) in self._error_paths:
                return
        self.errors.append({
            "message": "A service returned no value for a field that must have one.",
            "path": list(path),
            "extensions": {"code": "INCOMPLETE_RESPONSE"},
        })
        self._error_paths.add(tuple(path))


def _merged(nodes: list[FieldNode]) -> FieldNode:
    """Several selections of one response key act as one field with all their sub-selections."""
    selections = tuple(s for node in nodes if node.selection_set for s in node.selection_set.selections)
    first = nodes[0]
    return FieldNode(alias=first.alias, name=first.name, arguments=first.arguments, directives=(),
                     selection_set=SelectionSetNode(selections=selections) if selections else None)
