"""Write a composed supergraph as an Apollo supergraph SDL file (`@link` + `join__` v0.3)."""

from __future__ import annotations

import json
import re

from graphql import print_ast

from gateway.supergraph.demand import print_cost, print_list_size
from gateway.supergraph.model import ArgDef, FieldDef, Supergraph, TypeDef

JOIN_HEADER = '''schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY){cost_link}
{{
{roots}
}}

{cost_directives}directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet

scalar link__Import

enum link__Purpose {{
  SECURITY
  EXECUTION
}}
'''  # noqa: E501 - the directive definitions as Apollo prints them, one per line

# Written only when a subgraph gave @cost or @listSize, so other files stay as they were.
COST_LINK = '\n  @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"])'
COST_DIRECTIVES = (
    "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION"
    " | OBJECT | SCALAR\n\n"
    "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
    "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION\n\n"
)

BUILTIN = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def graph_enum_name(subgraph: str) -> str:
    """join__Graph value for a subgraph name: upper case, other characters as underscores."""
    return re.sub(r"[^A-Za-z0-9_]", "_", subgraph).upper()


def print_supergraph(sg: Supergraph) -> str:
    graphs = {name: graph_enum_name(name) for name in sorted(sg.subgraph_urls)}
    roots = "\n".join(f"  {op}: {name}" for op, name in sg.root_types.items())
    costed = _uses_cost(sg)
    blocks = [JOIN_HEADER.format(roots=roots, cost_link=COST_LINK if costed else "",
                                 cost_directives=COST_DIRECTIVES if costed else "").rstrip()]
    graph_values = "\n".join(
        f'  {graphs[name]} @join__graph(name: {json.dumps(name)}, url: {json.dumps(sg.subgraph_urls[name])})'
        for name in graphs
    )
    blocks.append(f"enum join__Graph {{\n{graph_values}\n}}")
    for definition in sorted(sg.types.values(), key=lambda t: t.name):
        if definition.name in BUILTIN:
            continue
        blocks.append(_type(definition, graphs))
    return "\n\n".join(blocks) + "\n"


def _uses_cost(sg: Supergraph) -> bool:
    return any(t.cost is not None or any(f.cost is not None or f.list_size is not None for f in t.fields.values())
               for t in sg.types.values())


def _desc(text: str | None, indent: str = "") -> str:
    return f"{indent}{json.dumps(text)}\n" if text else ""


def _inaccessible(flag: bool) -> str:
    return " @inaccessible" if flag else ""


def _type_directives(definition: TypeDef, graphs: dict[str, str]) -> list[str]:
    directives = []
    for subgraph in sorted(definition.subgraphs):
        keys = definition.keys.get(subgraph, [])
        object_like = definition.kind in ("object", "interface")
        interface_object = ", isInterfaceObject: true" if subgraph in definition.interface_object_in else ""
        if keys:
            for key in keys:
                resolvable = "" if key.resolvable else ", resolvable: false"
                directives.append(f"@join__type(graph: {graphs[subgraph]}, key: {json.dumps(key.text)}"
                                  f"{resolvable}{interface_object})")
        else:
            directives.append(f"@join__type(graph: {graphs[subgraph]}{interface_object if object_like else ''})")
        for interface in sorted(definition.implements_by_subgraph.get(subgraph, set())):
            directives.append(f"@join__implements(graph: {graphs[subgraph]}, interface: {json.dumps(interface)})")
        for member in sorted(definition.union_members_by_subgraph.get(subgraph, set())):
            directives.append(f"@join__unionMember(graph: {graphs[subgraph]}, member: {json.dumps(member)})")
    return directives


def _type(definition: TypeDef, graphs: dict[str, str]) -> str:
    head = _desc(definition.description)
    directives = ("\n  ".join(_type_directives(definition, graphs)) + _inaccessible(definition.inaccessible)
                  + print_cost(definition.cost))
    if definition.kind in ("object", "interface"):
        keyword = "type" if definition.kind == "object" else "interface"
        implements = f" implements {' & '.join(definition.interfaces)}" if definition.interfaces else ""
        fields = "\n".join(_field(field, definition, graphs) for field in definition.fields.values())
        return f"{head}{keyword} {definition.name}{implements}\n  {directives}\n{{\n{fields}\n}}"
    if definition.kind == "union":
        return f"{head}union {definition.name}\n  {directives}\n = {' | '.join(definition.members)}"
    if definition.kind == "enum":
        values = "\n".join(
            f"{_desc(v.description, '  ')}  {v.name}"
            + "".join(f" @join__enumValue(graph: {graphs[s]})" for s in sorted(v.subgraphs))
            + _inaccessible(v.inaccessible)
            for v in definition.values.values()
        )
        return f"{head}enum {definition.name}\n  {directives}\n{{\n{values}\n}}"
    if definition.kind == "input":
        fields = "\n".join(f"{_desc(a.description, '  ')}  {a.name}: {a.type}"
                           + (f" = {a.default}" if a.default is not None else "") + _inaccessible(a.inaccessible)
                           for a in definition.input_fields.values())
        return f"{head}input {definition.name}\n  {directives}\n{{\n{fields}\n}}"
    return f"{head}scalar {definition.name}\n  {directives}"


def _args(args: dict[str, ArgDef]) -> str:
    if not args:
        return ""
    parts = []
    for arg in args.values():
        default = f" = {arg.default}" if arg.default is not None else ""
        description = f"{json.dumps(arg.description)} " if arg.description else ""
        parts.append(f"{description}{arg.name}: {arg.type}{default}{_inaccessible(arg.inaccessible)}")
    return "(" + ", ".join(parts) + ")"


def _field(field: FieldDef, owner: TypeDef, graphs: dict[str, str]) -> str:
    joins = []
    for subgraph, source in sorted(field.sources.items()):
        parts = [f"graph: {graphs[subgraph]}"]
        if source.requires is not None:
            parts.append(f"requires: {json.dumps(_field_set(source.requires))}")
        if source.provides is not None:
            parts.append(f"provides: {json.dumps(_field_set(source.provides))}")
        if source.type != field.type:
            parts.append(f"type: {json.dumps(source.type)}")
        if source.external:
            parts.append("external: true")
        if source.override_from:
            parts.append(f"override: {json.dumps(source.override_from)}")
        joins.append(f"@join__field({', '.join(parts)})")
    directives = (" " + " ".join(joins)) if joins else ""
    return f"{_desc(field.description, '  ')}  {field.name}{_args(field.args)}: {field.type}{directives}" \
           f"{_inaccessible(field.inaccessible)}{print_cost(field.cost)}{print_list_size(field.list_size)}"


def _field_set(selection_set: object) -> str:
    text = print_ast(selection_set)  # type: ignore[arg-type]
    return " ".join(text.strip()[1:-1].split())
