"""One subgraph's own GraphQL schema, from its Federation v2 SDL, as the subgraph serves it.

The SDL a subgraph publishes leaves out most of the federation machinery. The schema it really
answers with has it: the `_Any` and field-set scalars, the directive definitions it uses,
`_Service { sdl }`, the `_Entity` union of its types with a resolvable `@key`, and
`Query._entities` / `Query._service`. Documents the gateway sends a subgraph must validate
against this schema, whatever the supergraph around it looks like.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import (
    BooleanValueNode,
    DefinitionNode,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ObjectValueNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_schema,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

_ON_EVERYTHING = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)

# Federation v2 directive definitions by their federation name; "{name}" is the name used here.
FEDERATION_DIRECTIVES = {
    "key": "directive @{name}(fields: {fieldset}!, resolvable: Boolean = true) repeatable on "
    "OBJECT | INTERFACE",
    "requires": "directive @{name}(fields: {fieldset}!) on FIELD_DEFINITION",
    "provides": "directive @{name}(fields: {fieldset}!) on FIELD_DEFINITION",
    "external": "directive @{name}(reason: String) on OBJECT | FIELD_DEFINITION",
    "shareable": "directive @{name} repeatable on OBJECT | FIELD_DEFINITION",
    "override": "directive @{name}(from: String!, label: String) on FIELD_DEFINITION",
    "inaccessible": f"directive @{{name}} on {_ON_EVERYTHING}",
    "tag": f"directive @{{name}}(name: String!) repeatable on {_ON_EVERYTHING} | SCHEMA",
    "interfaceObject": "directive @{name} on OBJECT",
    "extends": "directive @{name} on OBJECT | INTERFACE",
    "composeDirective": "directive @{name}(name: String!) repeatable on SCHEMA",
    "authenticated": "directive @{name} on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "requiresScopes": "directive @{name}(scopes: [[federation__Scope!]!]!) on "
    "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "policy": "directive @{name}(policies: [[federation__Policy!]!]!) on "
    "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    "context": "directive @{name}(name: String!) repeatable on INTERFACE | OBJECT | UNION",
    "fromContext": "directive @{name}(field: federation__ContextFieldValue) on ARGUMENT_DEFINITION",
    "cost": "directive @{name}(weight: Int!) on "
    "ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
    "listSize": "directive @{name}(assumedSize: Int, slicingArguments: [String!], "
    "sizedFields: [String!], "
    "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
}
LINK_PRELUDE = """
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])
  repeatable on SCHEMA
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
"""
_EXTRA_SCALARS = {
    "requiresScopes": "federation__Scope",
    "policy": "federation__Policy",
    "fromContext": "federation__ContextFieldValue",
}
_DEFINITION_OF: dict[type[TypeExtensionNode], type[TypeDefinitionNode]] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}


@lru_cache(maxsize=256)
def subgraph_schema(sdl: str) -> GraphQLSchema:
    """The schema a subgraph with this SDL serves (raises what graphql-core raises for bad SDL).
    Cached: hypothesis meets the same subgraph many times while it shrinks an example."""
    return build_schema(subgraph_sdl(sdl))


def subgraph_sdl(sdl: str) -> str:
    document = parse(sdl)
    names, version_2 = _federation_names(document)
    field_set = (
        "FieldSet" if version_2 else "_FieldSet"
    )  # Federation 1 SDL (no @link) says _FieldSet
    defined = {d.name.value for d in document.definitions if isinstance(d, TypeDefinitionNode)}
    directives_defined = {
        d.name.value for d in document.definitions if isinstance(d, DirectiveDefinitionNode)
    }
    kept: list[DefinitionNode] = []
    query_type = "Query"
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            operations = tuple(definition.operation_types or ())
            for operation in operations:
                if operation.operation.value == "query":
                    query_type = operation.type.name.value
            # `@link` and the other schema directives go: the prelude defines what they mean.
            if operations:
                kept.append(SchemaDefinitionNode(directives=(), operation_types=operations))
        elif isinstance(definition, TypeExtensionNode) and definition.name.value not in defined:
            # `extend type X` with no `type X` (Federation 1 style) is the definition of X here.
            kept.append(_as_definition(definition))
            defined.add(definition.name.value)
        else:
            kept.append(definition)
    used = _directives_used(document)
    prelude = [
        FEDERATION_DIRECTIVES[names.get(name, name)].format(name=name, fieldset=field_set)
        for name in sorted(used)
        if name not in directives_defined and names.get(name, name) in FEDERATION_DIRECTIVES
    ]
    prelude += _scalars({names.get(name, name) for name in used}, field_set, defined)
    if "link" not in directives_defined:
        prelude.append(LINK_PRELUDE)
    if "_Service" not in defined:
        prelude.append("type _Service { sdl: String }")
    entities = _entities(document, names)
    if entities and "_Entity" not in defined:
        prelude.append(f"union _Entity = {' | '.join(entities)}")
    prelude.append(_query_additions(document, query_type, defined, bool(entities)))
    return print_ast(DocumentNode(definitions=tuple(kept))) + "\n" + "\n".join(prelude) + "\n"


def _federation_names(document: DocumentNode) -> tuple[dict[str, str], bool]:
    """Directive name used here -> federation name (imports, renamed or not, and `federation__x`),
    and whether the SDL links the Federation 2 spec at all."""
    names: dict[str, str] = {}
    version_2 = False
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value != "link":
                continue
            arguments = {a.name.value: a.value for a in directive.arguments or ()}
            url = arguments.get("url")
            if (
                not isinstance(url, StringValueNode)
                or "specs.apollo.dev/federation/" not in url.value
            ):
                continue
            version_2 = True
            imported = arguments.get("import")
            for item in imported.values if isinstance(imported, ListValueNode) else ():
                if isinstance(item, StringValueNode):
                    names[item.value.lstrip("@")] = item.value.lstrip("@")
                elif isinstance(item, ObjectValueNode):
                    fields = {f.name.value: f.value for f in item.fields}
                    name, alias = fields.get("name"), fields.get("as", fields.get("name"))
                    if isinstance(name, StringValueNode) and isinstance(alias, StringValueNode):
                        names[alias.value.lstrip("@")] = name.value.lstrip("@")
    for federation_name in FEDERATION_DIRECTIVES:
        names.setdefault(f"federation__{federation_name}", federation_name)
    return names, version_2


def _directives_used(document: DocumentNode) -> set[str]:
    used: set[str] = set()

    class Collect(Visitor):
        def enter_directive(self, node: DirectiveNode, *_: object) -> None:
            used.add(node.name.value)

    visit(document, Collect())
    return used - {"link"}


def _scalars(federation_directives: set[str], field_set: str, defined: set[str]) -> list[str]:
    wanted = {"_Any", field_set}
    wanted |= {
        scalar for directive, scalar in _EXTRA_SCALARS.items() if directive in federation_directives
    }
    return [f"scalar {name}" for name in sorted(wanted - defined)]


def _entities(document: DocumentNode, names: dict[str, str]) -> list[str]:
    """Object types (and @interfaceObject types) with at least one resolvable @key, in SDL order."""
    entities: list[str] = []
    for definition in document.definitions:
        if not isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            continue
        for directive in definition.directives or ():
            if names.get(directive.name.value, directive.name.value) != "key":
                continue
            resolvable = next(
                (a.value for a in directive.arguments or () if a.name.value == "resolvable"), None
            )
            if (
                not (isinstance(resolvable, BooleanValueNode) and not resolvable.value)
                and definition.name.value not in entities
            ):
                entities.append(definition.name.value)
    return entities


def _query_additions(
    document: DocumentNode, query_type: str, defined: set[str], has_entities: bool
) -> str:
    existing = {
        f.name.value
        for d in document.definitions
        if isinstance(d, ObjectTypeDefinitionNode | ObjectTypeExtensionNode)
        and d.name.value == query_type
        for f in d.fields or ()
    }
    fields = []
    if has_entities and "_entities" not in existing:
        fields.append("_entities(representations: [_Any!]!): [_Entity]!")
    if "_service" not in existing:
        fields.append("_service: _Service!")
    if not fields:
        return ""
    keyword = "extend type" if query_type in defined else "type"
    return f"{keyword} {query_type} {{ {' '.join(fields)} }}"


def _as_definition(extension: TypeExtensionNode) -> TypeDefinitionNode:
    definition_type = _DEFINITION_OF[type(extension)]
    keys = [k for k in definition_type.keys if k != "description" and hasattr(extension, k)]
    return definition_type(**{k: getattr(extension, k) for k in keys}, description=None)
