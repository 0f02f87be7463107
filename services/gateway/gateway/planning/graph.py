"""The query graph: where each field of each type can be fetched, and how to move between subgraphs.

Built once per supergraph. Nodes are (subgraph, type) pairs. Edges are:

- field edges: fields a subgraph resolves itself (`@external` ones are not edges; an
  `@override`n source counts as external; `@inaccessible` fields are edges, since keys and
  requirements may use them), with the field's type *as that subgraph declares it* and any
  `@requires` precondition or `@provides` it carries;
- key edges: entering a subgraph at an entity type with one of its resolvable keys, including
  entering an `@interfaceObject` subgraph from any implementation (the representation is then
  sent under the interface's name) and leaving it again for a subgraph that defines the
  interface, which answers with the concrete type (`__typename` resolution);
- type edges: the concrete types a subgraph may return at an abstract position, as *that*
  subgraph declares its unions and interfaces.

`@provides` is path-dependent, so it is not an edge here: the planner carries what is provided
below a field as it walks the query.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import FieldNode, SelectionSetNode

from gateway.supergraph.model import FieldSource, Key, Supergraph, TypeDef


@dataclass(frozen=True)
class FieldEdge:
    """A field a subgraph resolves on a type (the type as that subgraph knows it)."""

    subgraph: str
    parent: str
    name: str
    type_text: str  # as the subgraph declares it, e.g. "[Book!]"
    named_type: str
    requires: SelectionSetNode | None
    provides: SelectionSetNode | None


@dataclass(frozen=True, eq=False)
class KeyEdge:
    """Entering `subgraph` at an object of `type_name` with `key`, sent as `__typename: represent_as`."""

    subgraph: str
    type_name: str
    key: Key
    represent_as: str
    resolves_type: bool = False  # the subgraph answers with the concrete type (interface-object exit)


def named(type_text: str) -> str:
    return type_text.replace("[", "").replace("]", "").replace("!", "")


class QueryGraph:
    def __init__(self, supergraph: Supergraph) -> None:
        self.sg = supergraph
        self._fields: dict[tuple[str, str, str], FieldEdge] = {}
        self._declared: dict[tuple[str, str, str], FieldSource] = {}
        self._owners: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self._entries: dict[str, tuple[KeyEdge, ...]] = {}
        self._runtime: dict[tuple[str, str], tuple[str, ...]] = {}
        self._interface_objects: dict[str, frozenset[str]] = {}
        self._build()

    # --- lookups ---------------------------------------------------------------------------------

    def field(self, subgraph: str, type_name: str, name: str) -> FieldEdge | None:
        """The field edge when `subgraph` resolves `type_name.name` itself (not external)."""
        return self._fields.get((subgraph, type_name, name))

    def declared(self, subgraph: str, type_name: str, name: str) -> FieldSource | None:
        """The subgraph's declaration of the field, external or not (for @provides)."""
        return self._declared.get((subgraph, type_name, name))

    def owners(self, type_name: str, name: str) -> tuple[tuple[str, str], ...]:
        """(subgraph, the type it knows the object as) for every subgraph resolving the field."""
        return self._owners.get((type_name, name), ())

    def entries(self, type_name: str, subgraph: str | None = None) -> tuple[KeyEdge, ...]:
        """Key edges into subgraphs for an object of `type_name`."""
        edges = self._entries.get(type_name, ())
        return edges if subgraph is None else tuple(e for e in edges if e.subgraph == subgraph)

    def runtime_types(self, subgraph: str, type_name: str) -> tuple[str, ...]:
        """Concrete types `subgraph` may return where it declares `type_name`."""
        found = self._runtime.get((subgraph, type_name))
        if found is not None:
            return found
        definition = self.sg.types[type_name]
        if definition.kind == "object":
            return (type_name,)
        if definition.kind == "union":
            members = definition.union_members_by_subgraph.get(subgraph, set())
            result = tuple(m for m in definition.members if m in members)
        elif subgraph in definition.interface_object_in:
            result = ()
        else:
            result = tuple(sorted(
                t.name for t in self.sg.types.values()
                if t.kind == "object" and type_name in t.implements_by_subgraph.get(subgraph, set())))
        self._runtime[(subgraph, type_name)] = result
        return result

    def is_interface_object(self, subgraph: str, type_name: str) -> bool:
        return subgraph in self._interface_objects.get(type_name, frozenset())

    def knows(self, subgraph: str, type_name: str) -> bool:
        definition = self.sg.types.get(type_name)
        return definition is not None and (subgraph in definition.subgraphs or not definition.subgraphs)

    def is_leaf(self, type_name: str) -> bool:
        return not self.sg.types[type_name].is_composite

    def type(self, name: str) -> TypeDef:
        return self.sg.types[name]

    # --- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        types = self.sg.types
        for definition in types.values():
            if definition.interface_object_in:
                self._interface_objects[definition.name] = frozenset(definition.interface_object_in)
        for definition in types.values():
            if definition.kind not in ("object", "interface"):
                continue
            borrowed = self._borrowed_subgraphs(definition)
            for field in definition.fields.values():
                owners: list[tuple[str, str]] = []
                for source in field.sources.values():
                    if source.subgraph in borrowed:
                        continue  # an interface object's field: reached under the interface's name below
                    self._declared[(source.subgraph, definition.name, field.name)] = source
                    if source.external and field.name not in self._own_key_fields(definition, source.subgraph):
                        continue
                    self._fields[(source.subgraph, definition.name, field.name)] = FieldEdge(
                        source.subgraph, definition.name, field.name, source.type, named(source.type),
                        source.requires, source.provides)
                    owners.append((source.subgraph, definition.name))
                owners += self._via_interface_objects(definition, field.name)
                self._owners[(definition.name, field.name)] = tuple(sorted(set(owners)))
        for definition in types.values():
            if definition.kind in ("object", "interface"):
                self._entries[definition.name] = tuple(self._key_edges(definition))

    @staticmethod
    def _own_key_fields(definition: TypeDef, subgraph: str) -> set[str]:
        """Fields of the subgraph's own keys: it can always give them, even where it marks them
        @external (the Federation 1 `extend type` style), since it references the entity by them."""
        names: set[str] = set()
        for key in definition.keys.get(subgraph, []):
            names |= key_field_names(key.fields)
        return names

    def _borrowed_subgraphs(self, definition: TypeDef) -> set[str]:
        """Subgraphs that know an implementation only through an @interfaceObject of its interface."""
        if definition.kind != "object":
            return set()
        borrowed: set[str] = set()
        for interface in definition.interfaces:
            borrowed |= self._interface_objects.get(interface, frozenset())
        return borrowed

    def _via_interface_objects(self, definition: TypeDef, name: str) -> list[tuple[str, str]]:
        if definition.kind != "object":
            return []
        found = []
        for interface in definition.interfaces:
            for subgraph in self._interface_objects.get(interface, frozenset()):
                source = self.sg.types[interface].fields.get(name)
                if source is not None and subgraph in source.sources and not source.sources[subgraph].external:
                    found.append((subgraph, interface))  # (subgraph, the type it knows the object as)
        return found

    def _key_edges(self, definition: TypeDef) -> list[KeyEdge]:
        edges: list[KeyEdge] = []
        borrowed = self._borrowed_subgraphs(definition)
        for subgraph in sorted(definition.keys):
            if subgraph in borrowed:
                continue
            for key in definition.resolvable_keys(subgraph):
                edges.append(KeyEdge(subgraph, definition.name, key, definition.name,
                                     resolves_type=definition.kind == "interface"
                                     and subgraph not in definition.interface_object_in))
        for interface in definition.interfaces if definition.kind == "object" else ():
            for subgraph in sorted(self._interface_objects.get(interface, frozenset())):
                for key in self.sg.types[interface].resolvable_keys(subgraph):
                    edges.append(KeyEdge(subgraph, definition.name, key, interface))
        return edges


def key_field_names(fields: SelectionSetNode) -> set[str]:
    return {s.name.value for s in fields.selections if isinstance(s, FieldNode)}
