"""Builds a network model: the entity model first, then types and fields spread over subgraphs."""

from __future__ import annotations

from typing import TypeVar

from .directives import FederationDirectives
from .model import Choices, Field, Network, Sizes, Type

T = TypeVar("T")


def build_network(choices: Choices, sizes: Sizes) -> Network:
    return _Builder(choices, sizes).build()


class _Builder(FederationDirectives):
    def build(self) -> Network:
        self.subgraphs = [f"s{i}" for i in range(self.count(self.sizes.subgraphs))]
        for _ in range(self.count(self.sizes.enums)):
            self.add_enum()
        for _ in range(self.count(self.sizes.inputs)):
            self.add_input()
        for _ in range(self.count(self.sizes.interfaces)):
            self.add_interface()
        for _ in range(self.count(self.sizes.values)):
            self.add_value()
        for _ in range(max(1, self.count(self.sizes.entities))):
            self.add_entity()
        for _ in range(self.count(self.sizes.unions)):
            self.add_union()
        for _ in range(self.count(self.sizes.entity_interfaces)):
            self.add_entity_interface()
        self.choose_options()
        for _ in range(self.count(self.sizes.relations)):
            self.add_relation()
        for _ in range(self.count(self.sizes.root_fields)):
            self.add_root_field()
        self.give_every_subgraph_a_part()
        for _ in range(self.count(self.sizes.overrides)):
            self.add_override()
        for _ in range(self.count(self.sizes.requires)):
            self.add_requires()
        for _ in range(self.count(self.sizes.provides)):
            self.add_provides()
        self.vary_types()
        for _ in range(self.count(self.sizes.inaccessible)):
            self.add_inaccessible()
        return Network(self.subgraphs, self.types, self.query)

    def arguments(self) -> str:
        """Arguments for a field: none mostly; scalars, enums, lists and inputs, some required."""
        if not self.c.chance(30):
            return ""
        options = ["first: Int = 10", "after: String", "ids: [ID!]", "exact: Boolean!"]
        options += [f"kind{t.name[4:]}: {t.name}" for t in self.of_kind("enum")]
        options += [f"filter{t.name[5:]}: {t.name}" for t in self.of_kind("input")]
        options += [f"where{t.name[5:]}: {t.name}!" for t in self.of_kind("input")]
        chosen = self.some(options, 30, at_least=1)
        return "(" + ", ".join(chosen) + ")"

    def scalar_fields(self, owner: Type, owners: list[str]) -> None:
        for _ in range(self.count(self.sizes.fields)):
            name = self.field_name(self.taken(owner))
            args = "(unit: String!)" if self.c.chance(10) else ""
            owner.fields[name] = Field(name, self.leaf_type(), args, owners=list(owners))

    # --- types --------------------------------------------------------------------------------

    def add_enum(self) -> None:
        enum = self.new_type("Enum", "enum")
        enum.values = ["ALPHA", "BETA", "GAMMA", "DELTA"][: self.c.integer(1, 4)]

    def add_input(self) -> None:
        definition = self.new_type("Input", "input")
        for _ in range(self.c.integer(1, 3)):
            name = self.field_name(definition.fields)
            definition.fields[name] = Field(name, self.leaf_type())
        if self.c.chance(30):
            definition.fields["and"] = Field("and", f"[{definition.name}!]")  # inputs may recurse

    def add_interface(self) -> None:
        interface = self.new_type("Iface", "interface")
        self.scalar_fields(interface, [])
        for f in interface.fields.values():
            f.args = ""

    def with_interfaces(self, definition: Type) -> None:
        """Implement some value interfaces: their fields come first, resolved where the type is."""
        for interface in self.some(self.of_kind("interface"), 30):
            clash = any(
                name in definition.fields
                and (definition.fields[name].type, definition.fields[name].args) != (f.type, f.args)
                for name, f in interface.fields.items()
            )
            if not clash:
                self.implement(definition, interface)

    def implement(self, definition: Type, interface: Type) -> None:
        definition.implements.append(interface.name)
        interface.options.append(definition.name)
        for f in interface.fields.values():
            if f.name not in definition.fields:
                definition.fields[f.name] = Field(
                    f.name,
                    f.type,
                    owners=[definition.home] if definition.home else [],
                    shareable=True,
                    special=True,
                )

    def add_value(self) -> None:
        value = self.new_type("Val", "value")
        self.with_interfaces(value)
        self.scalar_fields(value, [])

    def add_entity(self) -> None:
        entity = self.new_type("Ent", "entity")
        entity.home = self.c.choice(self.subgraphs)
        self.add_keys(entity)
        entity.declared_keys[entity.home] = [(i, True) for i in range(len(entity.keys))]
        others = [s for s in self.subgraphs if s != entity.home]
        for subgraph in self.some(others, self.percent_for(self.sizes.extenders, others))[
            : self.sizes.extenders
        ]:
            keys = self.some(range(len(entity.keys)), 50, at_least=1)
            entity.declared_keys[subgraph] = [(i, True) for i in sorted(keys)]
        self.with_interfaces(entity)
        for _ in range(self.count(self.sizes.fields)):
            owners = [self.c.choice(entity.resolvers)]
            if len(entity.resolvers) > 1 and self.c.chance(30):
                owners = sorted(set(owners) | {self.c.choice(entity.resolvers)})
            name = self.field_name(self.taken(entity))
            args = "(unit: String!)" if self.c.chance(10) else ""
            entity.fields[name] = Field(
                name, self.leaf_type(), args, owners=owners, shareable=len(owners) > 1
            )

    def add_keys(self, entity: Type) -> None:
        kinds = ["id", "compound", "nested", "upc"]
        values = [
            v
            for v in self.of_kind("value")
            if any(f.type in ("Int!", "String!", "ID!") and not f.args for f in v.fields.values())
        ]
        primary = self.c.choice(kinds[:3] if values else kinds[:2])
        chosen = [primary]
        if self.c.chance(35):
            chosen.append(
                self.c.choice([k for k in kinds if k != primary and (k != "nested" or values)])
            )
        for kind in chosen:
            if kind == "id":
                self.key_field(entity, "id", "ID!")
                entity.keys.append("id")
            elif kind == "upc":
                self.key_field(entity, "upc", "String!")
                entity.keys.append("upc")
            elif kind == "compound":
                self.key_field(entity, "sku", "String!")
                self.key_field(entity, "region", "Int!")
                entity.keys.append("sku region")
            else:
                value = self.c.choice(values)
                part = self.c.choice(
                    [
                        f
                        for f in value.fields.values()
                        if f.type in ("Int!", "String!", "ID!") and not f.args
                    ]
                )
                self.key_field(entity, "code", "String!")
                self.key_field(entity, "place", f"{value.name}!")
                entity.keys.append(f"code place {{ {part.name} }}")

    def key_field(self, entity: Type, name: str, type_: str) -> None:
        entity.fields.setdefault(name, Field(name, type_, owners=[entity.home], special=True))
        entity.key_fields.add(name)

    def add_union(self) -> None:
        candidates = [t.name for t in self.targets() if t.kind in ("entity", "value")]
        if not candidates:
            return
        union = self.new_type("Union", "union")
        union.options = self.some(candidates, 50, at_least=min(2, len(candidates)))

    def add_entity_interface(self) -> None:
        """`@key` on an interface in its home; elsewhere it is an @interfaceObject adding fields."""
        interface = self.new_type("Node", "entity_interface")
        interface.home = self.c.choice(self.subgraphs)
        interface.keys = ["id"]
        interface.key_fields = {"id"}
        interface.fields["id"] = Field("id", "ID!", owners=[interface.home], special=True)
        self.scalar_fields(interface, [interface.home])
        others = [s for s in self.subgraphs if s != interface.home]
        interface.object_in = set(
            self.some(others, self.percent_for(2, others), at_least=1 if others else 0)[:2]
        )
        for subgraph in sorted(interface.object_in):
            name = self.field_name(interface.fields)
            interface.fields[name] = Field(name, self.leaf_type(), owners=[subgraph])
        for letter in "AB"[: self.c.integer(1, 2)]:
            implementation = self.types[f"{interface.name}{letter}"] = Type(
                f"{interface.name}{letter}",
                "entity",
                home=interface.home,
                keys=["id"],
                key_fields={"id"},
                implements=[interface.name],
                declared_keys={interface.home: [(0, True)]},
            )
            interface.options.append(implementation.name)
            for f in interface.fields.values():
                if interface.home in f.owners:
                    implementation.fields[f.name] = Field(
                        f.name, f.type, f.args, owners=[interface.home], special=True
                    )
            for _ in range(self.c.integer(0, 2)):
                # Unlike the interface's fields: @interfaceObject fields reach every implementation.
                name = self.field_name(set(implementation.fields) | set(interface.fields))
                implementation.fields[name] = Field(name, self.leaf_type(), owners=[interface.home])

    def choose_options(self) -> None:
        """Each subgraph's own members of each union and implementations of each interface. One
        of them is everywhere: a field resolved by several subgraphs must share a runtime type."""
        for interface in self.of_kind("interface"):
            if not interface.options:
                value = self.new_type("Val", "value")
                self.implement(value, interface)
                self.scalar_fields(value, [])
        for definition in self.of_kind("union", "interface"):
            core = definition.core = self.c.choice(definition.options)
            for subgraph in self.subgraphs:
                others = self.some(
                    [o for o in definition.options if o != core], self.sizes.option_percent
                )
                definition.options_in[subgraph] = [
                    o for o in definition.options if o == core or o in others
                ]

    # --- fields between types -----------------------------------------------------------------

    def add_relation(self) -> None:
        """A field returning a composite type (itself too) on an entity, value type or interface."""
        parents = [t for t in self.targets() if t.kind != "union"]
        targets = self.targets()
        if not parents:
            return
        parent = self.c.choice(parents)
        # Abstract types are favoured: planners get them wrong most often.
        abstract = [t for t in targets if t.kind in ("interface", "union", "entity_interface")]
        target = self.c.choice(abstract if abstract and self.c.chance(50) else targets)
        if parent.kind in ("value", "interface") and not self.c.chance(
            self.sizes.value_link_percent
        ):
            target = self.c.choice([t for t in targets if t.kind == "entity"])
        name = self.field_name(self.taken(parent))
        type_ = self.wrapped(target.name)
        args = self.arguments()
        if parent.kind == "entity":
            owners = [self.c.choice(parent.resolvers)]
            if len(parent.resolvers) > 1 and self.c.chance(25):
                owners = sorted(set(owners) | {self.c.choice(parent.resolvers)})
            parent.fields[name] = Field(name, type_, args, owners=owners, shareable=len(owners) > 1)
        elif parent.kind == "value":
            parent.fields[name] = Field(name, type_, args)
        elif parent.kind == "interface":
            parent.fields[name] = Field(name, type_, args)
            for option in parent.options:
                implementation = self.types[option]
                implementation.fields[name] = Field(
                    name,
                    type_,
                    args,
                    owners=[implementation.home] if implementation.home else [],
                    shareable=True,
                    special=True,
                )
        else:
            owner = self.c.choice([parent.home, *sorted(parent.object_in)])
            parent.fields[name] = Field(name, type_, args, owners=[owner])
            if owner == parent.home:
                for option in parent.options:
                    self.types[option].fields[name] = Field(
                        name, type_, args, owners=[owner], special=True
                    )

    def add_root_field(self, subgraph: str | None = None) -> None:
        target = self.c.choice(self.targets())
        owners = [subgraph or self.c.choice(self.subgraphs)]
        if subgraph is None and self.c.chance(20):
            owners = sorted(set(owners) | {self.c.choice(self.subgraphs)})
        if target.kind == "entity_interface" and self.c.chance(50):
            owners = [self.c.choice([target.home, *sorted(target.object_in)])]
        name = (
            self.field_name(self.query)
            if self.c.chance(30)
            else f"{target.name[0].lower()}{target.name[1:]}"
        )
        while name in self.query:
            name += "x"
        single = target.kind in ("entity", "entity_interface") and self.c.chance(50)
        type_ = target.name if single else self.wrapped(target.name)
        args = "(id: ID!)" if single and "id" in target.key_fields else self.arguments()
        self.query[name] = Field(name, type_, args, owners=owners, shareable=len(owners) > 1)

    def give_every_subgraph_a_part(self) -> None:
        """A subgraph with nothing to do gets a field on some entity, or a root field."""
        for subgraph in self.subgraphs:
            busy = any(
                subgraph in t.declared_keys or subgraph in t.object_in or subgraph == t.home
                for t in self.types.values()
            )
            busy = busy or any(subgraph in f.owners for f in self.query.values())
            if busy:
                continue
            entities = [t for t in self.targets() if t.kind == "entity"]
            if entities and self.c.chance(70):
                entity = self.c.choice(entities)
                entity.declared_keys[subgraph] = [(0, True)]
                name = self.field_name(self.taken(entity))
                entity.fields[name] = Field(name, self.leaf_type(), owners=[subgraph])
            else:
                self.add_root_field(subgraph)
