"""The composed supergraph: every type and field, and which subgraphs can resolve each field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graphql import GraphQLSchema, SelectionSetNode

Kind = Literal["object", "interface", "union", "enum", "input", "scalar"]


@dataclass
class FieldSource:
    """One subgraph's definition of a field, with its federation directives."""

    subgraph: str
    type: str  # the field's type as written, e.g. "[Member!]!"
    external: bool = False
    shareable: bool = False
    requires: SelectionSetNode | None = None
    provides: SelectionSetNode | None = None
    override_from: str | None = None
    inaccessible: bool = False


@dataclass(frozen=True)
class ListSize:
    """`@listSize` of the GraphQL cost specification: how long a list field's answer can be.

    `assumed_size` is the most items the field returns (for a sliced field, the largest page);
    a slicing argument (`first`) gives the page's size; `sized_fields` are the child lists that
    page sizes (a connection's `edges`) instead of the field itself.
    """

    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] = ()
    sized_fields: tuple[str, ...] = ()
    require_one_slicing_argument: bool = True

    def merged(self, other: ListSize) -> ListSize:
        """Two subgraphs' views of one field: the larger size, every slicing argument and sized field."""
        sizes = [s for s in (self.assumed_size, other.assumed_size) if s is not None]
        return ListSize(
            assumed_size=max(sizes) if sizes else None,
            slicing_arguments=tuple(dict.fromkeys(self.slicing_arguments + other.slicing_arguments)),
            sized_fields=tuple(dict.fromkeys(self.sized_fields + other.sized_fields)),
            require_one_slicing_argument=self.require_one_slicing_argument and other.require_one_slicing_argument,
        )


@dataclass
class ArgDef:
    name: str
    type: str
    default: str | None = None  # the default value as GraphQL text
    description: str | None = None
    inaccessible: bool = False


@dataclass
class FieldDef:
    name: str
    type: str
    args: dict[str, ArgDef] = field(default_factory=dict)
    description: str | None = None
    sources: dict[str, FieldSource] = field(default_factory=dict)
    inaccessible: bool = False
    cost: int | None = None  # `@cost(weight:)`: what resolving this field once costs
    list_size: ListSize | None = None

    @property
    def named_type(self) -> str:
        return self.type.replace("[", "").replace("]", "").replace("!", "")

    @property
    def is_list(self) -> bool:
        return self.type.startswith("[")

    def resolvable_in(self, subgraph: str) -> bool:
        source = self.sources.get(subgraph)
        return source is not None and not source.external


@dataclass
class Key:
    """An entity key (`@key(fields: ...)`) of one subgraph."""

    fields: SelectionSetNode
    text: str
    resolvable: bool = True


@dataclass
class EnumValueDef:
    name: str
    description: str | None = None
    subgraphs: set[str] = field(default_factory=set)
    inaccessible: bool = False


@dataclass
class TypeDef:
    name: str
    kind: Kind
    description: str | None = None
    fields: dict[str, FieldDef] = field(default_factory=dict)
    input_fields: dict[str, ArgDef] = field(default_factory=dict)
    values: dict[str, EnumValueDef] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)  # union members
    interfaces: list[str] = field(default_factory=list)
    subgraphs: set[str] = field(default_factory=set)
    keys: dict[str, list[Key]] = field(default_factory=dict)  # subgraph -> its keys
    union_members_by_subgraph: dict[str, set[str]] = field(default_factory=dict)
    implements_by_subgraph: dict[str, set[str]] = field(default_factory=dict)
    interface_object_in: set[str] = field(default_factory=set)
    # For an implementation of an entity interface: subgraph -> the interface name that subgraph
    # knows the entity by (it sees the interface as an object, with @interfaceObject).
    represented_as: dict[str, str] = field(default_factory=dict)
    input_field_subgraphs: dict[str, set[str]] = field(default_factory=dict)
    inaccessible: bool = False
    cost: int | None = None  # `@cost(weight:)` on the type: every field returning it costs this

    @property
    def is_entity(self) -> bool:
        return bool(self.keys)

    @property
    def is_composite(self) -> bool:
        return self.kind in ("object", "interface", "union")

    @property
    def is_abstract(self) -> bool:
        return self.kind in ("interface", "union")

    def resolvable_keys(self, subgraph: str) -> list[Key]:
        return [key for key in self.keys.get(subgraph, []) if key.resolvable]


@dataclass
class Supergraph:
    types: dict[str, TypeDef]
    subgraph_urls: dict[str, str]
    api_schema: GraphQLSchema
    root_types: dict[str, str]  # "query" | "mutation" | "subscription" -> type name
    api_sdl: str = ""

    def type(self, name: str) -> TypeDef:
        return self.types[name]

    def possible_types(self, name: str) -> list[str]:
        """Concrete object types a value of type `name` may have."""
        definition = self.types[name]
        if definition.kind == "object":
            return [name]
        if definition.kind == "union":
            return list(definition.members)
        return sorted(t.name for t in self.types.values() if t.kind == "object" and name in t.interfaces)

    def possible_types_in(self, name: str, subgraph: str) -> list[str]:
        """Concrete types a field of type `name` returned by `subgraph` can have there."""
        definition = self.types[name]
        if definition.kind == "object":
            return [name]
        if definition.kind == "union":
            members = definition.union_members_by_subgraph.get(subgraph, set())
            return [m for m in definition.members if m in members]
        return sorted(
            t.name for t in self.types.values()
            if t.kind == "object" and name in t.implements_by_subgraph.get(subgraph, set())
        )

    def field(self, type_name: str, field_name: str) -> FieldDef:
        return self.types[type_name].fields[field_name]
