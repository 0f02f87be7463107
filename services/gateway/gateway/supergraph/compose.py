"""Composition: merge subgraph SDLs (Federation v2) into one supergraph, or say exactly why not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    SelectionSetNode,
    StringValueNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    parse,
    print_ast,
    validate_schema,
)

from gateway.supergraph.api_schema import build_api_schema
from gateway.supergraph.demand import merge_cost, merge_list_size, read_cost, read_list_size
from gateway.supergraph.model import (
    ArgDef,
    EnumValueDef,
    FieldDef,
    FieldSource,
    Key,
    Kind,
    Supergraph,
    TypeDef,
)

# Types and fields that belong to the federation machinery, not to the public API.
FEDERATION_TYPES = frozenset({
    "_Service", "_Entity", "_Any", "_FieldSet", "FieldSet", "link__Import", "link__Purpose", "federation__Scope",
    "federation__Policy", "federation__FieldSet", "federation__ContextFieldValue", "Query._entities",
})
FEDERATION_ROOT_FIELDS = frozenset({"_entities", "_service"})
BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


class CompositionError(Exception):
    """The subgraphs cannot be composed; `problems` names subgraphs and types."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the supergraph cannot be composed:\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass
class _Directives:
    names: dict[str, list[DirectiveNode]]

    @classmethod
    def of(cls, nodes: Iterable[DirectiveNode] | None) -> _Directives:
        names: dict[str, list[DirectiveNode]] = {}
        for node in nodes or ():
            name = node.name.value.removeprefix("federation__")
            names.setdefault(name, []).append(node)
        return cls(names)

    def has(self, name: str) -> bool:
        return name in self.names

    def all(self, name: str) -> list[DirectiveNode]:
        return self.names.get(name, [])

    def argument(self, name: str, argument: str) -> object | None:
        for node in self.all(name):
            for arg in node.arguments or ():
                if arg.name.value == argument:
                    value = arg.value
                    if isinstance(value, StringValueNode | BooleanValueNode):
                        return value.value
                    return print_ast(value)
        return None


def parse_field_set(text: str) -> SelectionSetNode:
    """A federation field set ("id organisation { id }") as a selection set."""
    operation = parse("{ " + text + " }").definitions[0]
    return operation.selection_set  # type: ignore[attr-defined, no-any-return]


def _description(node: object) -> str | None:
    description = getattr(node, "description", None)
    return description.value if description is not None else None


class Composer:
    """Accumulates subgraphs, then checks the rules and builds the supergraph."""

    def __init__(self) -> None:
        self.types: dict[str, TypeDef] = {}
        self.problems: list[str] = []
        self.root_names: dict[str, dict[str, str]] = {}

    def add(self, subgraph: str, sdl: str) -> None:
        try:
            document = parse(sdl)
        except Exception as error:
            self.problems.append(f"subgraph {subgraph}: its SDL does not parse: {error}")
            return
        roots = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
        for definition in document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                for operation in definition.operation_types or ():
                    roots[operation.operation.value] = operation.type.name.value
        renamed = {name: standard for standard, name in
                   zip(("Query", "Mutation", "Subscription"), roots.values(), strict=True) if name != standard}
        self.root_names[subgraph] = renamed
        for definition in document.definitions:
            self._add_definition(subgraph, definition, renamed)

    def _type(self, subgraph: str, name: str, kind: Kind, node: object) -> TypeDef | None:
        existing = self.types.get(name)
        if existing is None:
            existing = self.types[name] = TypeDef(name=name, kind=kind, description=_description(node))
        elif existing.kind != kind:
            self.problems.append(
                f"type {name} is {existing.kind} in {', '.join(sorted(existing.subgraphs))} but {kind} in {subgraph}"
            )
            return None
        existing.description = existing.description or _description(node)
        existing.subgraphs.add(subgraph)
        existing.cost = merge_cost(existing.cost, read_cost(getattr(node, "directives", None)))
        return existing

    def _add_definition(self, subgraph: str, node: object, renamed: dict[str, str]) -> None:
        name_node = getattr(node, "name", None)
        if name_node is None:
            return
        name = renamed.get(name_node.value, name_node.value)
        if name in FEDERATION_TYPES or name in BUILTIN_SCALARS:
            return
        directives = _Directives.of(getattr(node, "directives", None))
        if isinstance(node, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            # An @interfaceObject is this subgraph's view of an interface defined elsewhere.
            kind: Kind = "interface" if directives.has("interfaceObject") else "object"
            self._add_object(subgraph, name, kind, node, directives)
        elif isinstance(node, InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode):
            self._add_object(subgraph, name, "interface", node, directives)
        elif isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode):
            definition = self._type(subgraph, name, "union", node)
            if definition is not None:
                members = [t.name.value for t in node.types or ()]
                definition.members += [m for m in members if m not in definition.members]
                definition.union_members_by_subgraph.setdefault(subgraph, set()).update(members)
                definition.inaccessible |= directives.has("inaccessible")
        elif isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            definition = self._type(subgraph, name, "enum", node)
            if definition is not None:
                definition.inaccessible |= directives.has("inaccessible")
                for value in node.values or ():
                    entry = definition.values.setdefault(value.name.value, EnumValueDef(value.name.value))
                    entry.description = entry.description or _description(value)
                    entry.subgraphs.add(subgraph)
                    entry.inaccessible |= _Directives.of(value.directives).has("inaccessible")
        elif isinstance(node, InputObjectTypeDefinitionNode | InputObjectTypeExtensionNode):
            definition = self._type(subgraph, name, "input", node)
            if definition is not None:
                for input_field in node.fields or ():
                    self._add_input_field(subgraph, definition, input_field)
        elif isinstance(node, ScalarTypeDefinitionNode):
            self._type(subgraph, name, "scalar", node)

    def _add_input_field(self, subgraph: str, definition: TypeDef, node: InputValueDefinitionNode) -> None:
        arg = _arg(node)
        definition.input_field_subgraphs.setdefault(arg.name, set()).add(subgraph)
        existing = definition.input_fields.get(arg.name)
        if existing is None:
            definition.input_fields[arg.name] = arg
        elif existing.type != arg.type:
            self.problems.append(
                f"input field {definition.name}.{arg.name} has type {existing.type} elsewhere "
                f"but {arg.type} in {subgraph}"
            )

    def _add_object(self, subgraph: str, name: str, kind: Kind, node: object, directives: _Directives) -> None:
        definition = self._type(subgraph, name, kind, node)
        if definition is None:
            return
        definition.inaccessible |= directives.has("inaccessible")
        if directives.has("interfaceObject"):
            definition.interface_object_in.add(subgraph)
        for key in directives.all("key"):
            args = {a.name.value: a.value for a in key.arguments or ()}
            text = args["fields"].value  # type: ignore[attr-defined]
            resolvable = args.get("resolvable")
            definition.keys.setdefault(subgraph, []).append(
                Key(parse_field_set(text), text, resolvable=resolvable is None or resolvable.value)  # type: ignore[attr-defined]
            )
        interfaces = [i.name.value for i in getattr(node, "interfaces", None) or ()]
        definition.interfaces += [i for i in interfaces if i not in definition.interfaces]
        definition.implements_by_subgraph.setdefault(subgraph, set()).update(interfaces)
        type_shareable = directives.has("shareable")
        for field_node in getattr(node, "fields", None) or ():
            if name == "Query" and field_node.name.value in FEDERATION_ROOT_FIELDS:
                continue
            self._add_field(subgraph, definition, field_node, type_shareable)

    def _add_field(self, subgraph: str, definition: TypeDef, node: FieldDefinitionNode, type_shareable: bool) -> None:
        directives = _Directives.of(node.directives)
        type_text = print_ast(node.type)
        field = definition.fields.get(node.name.value)
        if field is None:
            field = definition.fields[node.name.value] = FieldDef(
                name=node.name.value, type=type_text, description=_description(node),
                args={a.name.value: _arg(a) for a in node.arguments or ()},
            )
        field.description = field.description or _description(node)
        field.cost = merge_cost(field.cost, read_cost(node.directives))
        field.list_size = merge_list_size(field.list_size, read_list_size(node.directives))
        requires = directives.argument("requires", "fields")
        provides = directives.argument("provides", "fields")
        source = FieldSource(
            subgraph=subgraph,
            type=type_text,
            external=directives.has("external"),
            shareable=type_shareable or directives.has("shareable"),
            requires=parse_field_set(str(requires)) if requires else None,
            provides=parse_field_set(str(provides)) if provides else None,
            override_from=str(directives.argument("override", "from")) if directives.has("override") else None,
            inaccessible=directives.has("inaccessible"),
        )
        field.inaccessible |= source.inaccessible
        for arg_node in node.arguments or ():
            if _Directives.of(arg_node.directives).has("fromContext"):
                self.problems.append(
                    f"field {definition.name}.{node.name.value} in {subgraph} takes argument {arg_node.name.value} "
                    "@fromContext, which this gateway does not support yet: pass the value as a field "
                    "of the entity (@requires) instead")
                continue
            if arg_node.name.value not in field.args:
                field.args[arg_node.name.value] = _arg(arg_node)
        field.sources[subgraph] = source

    def build(self, subgraph_urls: dict[str, str]) -> Supergraph:
        from gateway.supergraph.rules import check_rules

        for scalar in BUILTIN_SCALARS:
            self.types.setdefault(scalar, TypeDef(name=scalar, kind="scalar"))
        _spread_interface_objects(self.types)
        self.problems += check_rules(self.types)
        if self.problems:
            raise CompositionError(self.problems)
        roots = {"query": "Query"}
        if "Mutation" in self.types:
            roots["mutation"] = "Mutation"
        if "Subscription" in self.types:
            roots["subscription"] = "Subscription"
        try:
            schema, sdl = build_api_schema(self.types, roots)
        except (TypeError, ValueError) as error:  # graphql-core reports an invalid schema this way
            raise CompositionError([f"the composed schema is not valid: {error}"]) from error
        invalid = validate_schema(schema)  # e.g. an @inaccessible field an interface still shows
        if invalid:
            raise CompositionError([f"the public schema would not be valid: {e.message}" for e in invalid])
        return Supergraph(types=self.types, subgraph_urls=dict(subgraph_urls), api_schema=schema, root_types=roots,
                          api_sdl=sdl)


def _spread_interface_objects(types: dict[str, TypeDef]) -> None:
    """Fields an @interfaceObject subgraph adds to an interface belong to every implementation too,
    fetched from that subgraph by the interface's key under the interface's name."""
    for interface in types.values():
        if interface.kind != "interface" or not interface.interface_object_in:
            continue
        for implementation in types.values():
            if implementation.kind != "object" or interface.name not in implementation.interfaces:
                continue
            for subgraph in interface.interface_object_in:
                implementation.subgraphs.add(subgraph)
                implementation.represented_as[subgraph] = interface.name
                implementation.keys.setdefault(subgraph, list(interface.keys.get(subgraph, [])))
                for name, field in interface.fields.items():
                    source = field.sources.get(subgraph)
                    if source is None:
                        continue
                    target = implementation.fields.setdefault(name, FieldDef(
                        name=name, type=field.type, args=dict(field.args), description=field.description,
                        cost=field.cost, list_size=field.list_size))
                    target.sources.setdefault(subgraph, source)


def _arg(node: InputValueDefinitionNode) -> ArgDef:
    return ArgDef(
        name=node.name.value,
        type=print_ast(node.type),
        default=print_ast(node.default_value) if node.default_value is not None else None,
        description=_description(node),
        inaccessible=_Directives.of(node.directives).has("inaccessible"),
    )


def compose(sdls: dict[str, str], urls: dict[str, str]) -> Supergraph:
    """Compose subgraph SDLs (name -> SDL) into a supergraph; raises CompositionError."""
    composer = Composer()
    for name in sorted(sdls):
        composer.add(name, sdls[name])
    return composer.build(urls)
