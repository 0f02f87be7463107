"""Load an Apollo supergraph SDL file (`@link` + `join__` directives) as written by composition tools.

Understands join v0.1 (with `@join__owner`) to v0.3: `join__Graph`, `join__type`,
`join__field`, `join__implements`, `join__unionMember`, `join__enumValue`, `@inaccessible`,
and the cost specification's `@cost` and `@listSize`.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DirectiveNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    UnionTypeDefinitionNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from gateway.supergraph.api_schema import build_api_schema
from gateway.supergraph.compose import BUILTIN_SCALARS, CompositionError, _arg, _description, parse_field_set
from gateway.supergraph.demand import read_cost, read_list_size
from gateway.supergraph.model import EnumValueDef, FieldDef, FieldSource, Key, Kind, Supergraph, TypeDef

MACHINERY = ("join__", "link__")


def _args(node: DirectiveNode) -> dict[str, Any]:
    return {a.name.value: value_from_ast_untyped(a.value) for a in node.arguments or ()}


def _directives(node: Any, name: str) -> list[dict[str, Any]]:
    return [_args(d) for d in getattr(node, "directives", None) or () if d.name.value == name]


def _has(node: Any, name: str) -> bool:
    return any(d.name.value == name for d in getattr(node, "directives", None) or ())


def load_supergraph_sdl(text: str) -> Supergraph:
    document = parse(text)
    graphs: dict[str, tuple[str, str]] = {}  # enum value -> (subgraph name, url)
    roots = {"query": "Query"}
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == "join__Graph":
            for value in definition.values or ():
                [graph] = _directives(value, "join__graph") or [{"name": value.name.value.lower(), "url": ""}]
                graphs[value.name.value] = (graph["name"], graph["url"])
        elif isinstance(definition, SchemaDefinitionNode):
            roots = {op.operation.value: op.type.name.value for op in definition.operation_types}
    if not graphs:
        raise CompositionError(["the file has no join__Graph enum: it is not a supergraph SDL"])
    types: dict[str, TypeDef] = {}
    for definition in document.definitions:
        name_node = getattr(definition, "name", None)
        if name_node is None or name_node.value.startswith(MACHINERY) or name_node.value in BUILTIN_SCALARS:
            continue
        loaded = _load_type(definition, graphs)
        if loaded is not None:
            types[loaded.name] = loaded
    for scalar in BUILTIN_SCALARS:
        types.setdefault(scalar, TypeDef(name=scalar, kind="scalar"))
    schema, sdl = build_api_schema(types, roots)
    urls = dict(graphs.values())
    return Supergraph(types=types, subgraph_urls=urls, api_schema=schema, root_types=roots, api_sdl=sdl)


KINDS: list[tuple[type, Kind]] = [
    (ObjectTypeDefinitionNode, "object"), (InterfaceTypeDefinitionNode, "interface"),
    (UnionTypeDefinitionNode, "union"), (EnumTypeDefinitionNode, "enum"),
    (InputObjectTypeDefinitionNode, "input"), (ScalarTypeDefinitionNode, "scalar"),
]


def _load_type(node: Any, graphs: dict[str, tuple[str, str]]) -> TypeDef | None:
    kind = next((k for cls, k in KINDS if isinstance(node, cls)), None)
    if kind is None:
        return None
    definition = TypeDef(name=node.name.value, kind=kind, description=_description(node),
                         inaccessible=_has(node, "inaccessible"), cost=read_cost(node.directives))
    owner = [graphs[d["graph"]][0] for d in _directives(node, "join__owner")]
    for join in _directives(node, "join__type"):
        subgraph = graphs[join["graph"]][0]
        definition.subgraphs.add(subgraph)
        if join.get("key"):
            definition.keys.setdefault(subgraph, []).append(
                Key(parse_field_set(join["key"]), join["key"], resolvable=join.get("resolvable", True)))
        if join.get("isInterfaceObject"):
            definition.interface_object_in.add(subgraph)
    if not definition.subgraphs:
        definition.subgraphs = set(owner) or {name for name, _ in graphs.values()}
    for join in _directives(node, "join__implements"):
        definition.implements_by_subgraph.setdefault(graphs[join["graph"]][0], set()).add(join["interface"])
    definition.interfaces = [i.name.value for i in getattr(node, "interfaces", None) or ()]
    if kind == "object" and not _directives(node, "join__implements"):
        for subgraph in definition.subgraphs:
            definition.implements_by_subgraph[subgraph] = set(definition.interfaces)
    if kind == "union":
        _load_union(node, definition, graphs)
    elif kind == "enum":
        for value in node.values or ():
            joined = {graphs[d["graph"]][0] for d in _directives(value, "join__enumValue")}
            definition.values[value.name.value] = EnumValueDef(
                value.name.value, _description(value), joined or set(definition.subgraphs), _has(value, "inaccessible"))
    elif kind == "input":
        for field in node.fields or ():
            definition.input_fields[field.name.value] = _arg(field)
    elif kind in ("object", "interface"):
        for field in node.fields or ():
            definition.fields[field.name.value] = _load_field(field, definition, graphs, owner)
    return definition


def _load_union(node: Any, definition: TypeDef, graphs: dict[str, tuple[str, str]]) -> None:
    definition.members = [t.name.value for t in node.types or ()]
    members = _directives(node, "join__unionMember")
    if members:
        for join in members:
            definition.union_members_by_subgraph.setdefault(graphs[join["graph"]][0], set()).add(join["member"])
    else:
        for subgraph in definition.subgraphs:
            definition.union_members_by_subgraph[subgraph] = set(definition.members)


def _load_field(
    node: FieldDefinitionNode, owner_type: TypeDef, graphs: dict[str, tuple[str, str]], owner: list[str]
) -> FieldDef:
    type_text = print_ast(node.type)
    field = FieldDef(name=node.name.value, type=type_text, description=_description(node),
                     args={a.name.value: _arg(a) for a in node.arguments or ()},
                     inaccessible=_has(node, "inaccessible"), cost=read_cost(node.directives),
                     list_size=read_list_size(node.directives))
    joins = _directives(node, "join__field")
    if not joins:
        shareable = len(owner_type.subgraphs) > 1
        for subgraph in owner or sorted(owner_type.subgraphs):
            field.sources[subgraph] = FieldSource(subgraph=subgraph, type=type_text, shareable=shareable)
        return field
    for join in joins:
        if join.get("graph") is None:
            continue
        subgraph = graphs[join["graph"]][0]
        field.sources[subgraph] = FieldSource(
            subgraph=subgraph,
            type=join.get("type") or type_text,
            external=bool(join.get("external")) or bool(join.get("usedOverridden")),
            shareable=len(joins) > 1,
            requires=parse_field_set(join["requires"]) if join.get("requires") else None,
            provides=parse_field_set(join["provides"]) if join.get("provides") else None,
            override_from=join.get("override"),
        )
    return field
