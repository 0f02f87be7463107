"""The federation directives of a network model: @override, @requires, @provides, @inaccessible,
and the output types subgraphs may disagree on."""

from __future__ import annotations

from .base import BuilderBase
from .model import SCALARS, Field, Type


class FederationDirectives(BuilderBase):
    """Steps of the builder that decorate fields already placed (see builder._Builder)."""

    def plain_fields(self, entity: Type, *, not_in: str | None = None) -> list[Field]:
        """Fields of an entity free for @requires, @provides or @override: one plain definition."""
        return [
            f
            for f in entity.fields.values()
            if not f.special
            and f.name not in entity.key_fields
            and f.owners
            and not f.inaccessible
            and (not_in is None or not_in not in f.owners)
        ]

    def add_override(self) -> None:
        candidates = [
            (entity, f)
            for entity in self.of_kind("entity")
            for f in self.plain_fields(entity)
            if len(f.owners) == 1 and len(entity.resolvers) > 1
        ]
        if not candidates:
            return
        entity, moved = self.c.choice(candidates)
        new_owner = self.c.choice([s for s in entity.resolvers if s != moved.owners[0]])
        moved.override_from = moved.owners[0]
        moved.owners.append(new_owner)
        moved.special = True

    def add_requires(self) -> None:
        """A field that needs others first: plain fields, arguments, nested selections, inline
        fragments, other entities' keys, or a field that itself requires."""
        candidates = []
        for entity in self.of_kind("entity"):
            for subgraph in entity.resolvers:
                inputs = [
                    f for f in self.plain_fields(entity, not_in=subgraph) if len(f.owners) == 1
                ]
                inputs += [
                    f for f in entity.fields.values() if f.requires and subgraph not in f.owners
                ]
                candidates += [(entity, subgraph, f) for f in inputs if self.selectable(f)]
        if not candidates:
            return
        entity, subgraph, needed = self.c.choice(candidates)
        selection = self.selection_of(needed, subgraph)
        needed.external_in.add(subgraph)
        needed.special = True
        name = self.field_name(self.taken(entity))
        entities = [t.name for t in self.targets() if t.kind == "entity"]
        type_ = self.c.choice(entities) if self.c.chance(25) else self.leaf_type()
        entity.fields[name] = Field(
            name, type_, owners=[subgraph], requires=selection, special=True
        )

    def selectable(self, needed: Field) -> bool:
        if needed.args not in ("", "(unit: String!)"):
            return False
        target = self.types.get(needed.named_type)
        if target is None or target.kind != "value":
            return target is None or target.kind in ("enum", "entity", "union", "interface")
        return any(f.named_type in SCALARS and not f.args for f in target.fields.values())

    def selection_of(self, needed: Field, subgraph: str) -> str:
        """How a @requires or @provides in `subgraph` selects `needed` (a selectable field), making
        the type an inline fragment names a member or implementation there and where `needed` is
        resolved."""
        arguments = '(unit: "kg")' if needed.args else ""
        target = self.types.get(needed.named_type)
        if target is None or target.kind == "enum":
            return needed.name + arguments
        if target.kind == "value":
            names = [
                f.name for f in target.fields.values() if f.named_type in SCALARS and not f.args
            ]
            return f"{needed.name}{arguments} {{ {' '.join(names[:2])} }}"
        if target.kind == "entity":
            key = (target.declared_keys.get(subgraph) or [(0, False)])[0][0]
            return f"{needed.name}{arguments} {{ {target.keys[key]} }}"
        members = [self.types[m] for m in target.options if self.types[m].kind == "value"]
        leaves = [
            (m, f)
            for m in members
            for f in m.fields.values()
            if f.named_type in SCALARS and not f.args
        ]
        if not leaves:
            return f"{needed.name}{arguments} {{ __typename }}"
        member, leaf = self.c.choice(leaves)
        for where in {subgraph, *needed.owners}:  # where it is needed and where it is resolved
            if member.name not in target.options_in[where]:
                target.options_in[where].append(member.name)
        return f"{needed.name}{arguments} {{ __typename ... on {member.name} {{ {leaf.name} }} }}"

    def add_provides(self) -> None:
        """A field returning an entity that also brings some of that entity's fields along."""
        candidates = []
        for parent in [*self.of_kind("entity"), None]:
            fields = self.query if parent is None else parent.fields
            for g in fields.values():
                if len(g.owners) != 1 or g.requires or g.provides:
                    continue
                target = self.types.get(g.named_type)
                if target is None or target.kind not in ("entity", "union", "interface"):
                    continue
                members = (
                    [target]
                    if target.kind == "entity"
                    else [self.types[m] for m in target.options if self.types[m].kind == "entity"]
                )
                for member in members:
                    candidates += [
                        (g, target, member, x)
                        for x in self.plain_fields(member, not_in=g.owners[0])
                        if not x.args and self.selectable(x)
                    ]
        if not candidates:
            return
        g, target, member, provided = self.c.choice(candidates)
        subgraph = g.owners[0]
        provided.external_in.add(subgraph)
        provided.shareable = provided.special = True
        selection = self.selection_of(provided, subgraph)
        nested = self.types.get(provided.named_type)
        if nested is not None and nested.kind == "entity" and self.c.chance(50):
            inner = [
                f
                for f in self.plain_fields(nested, not_in=subgraph)
                if not f.args and self.selectable(f)
            ]
            if inner:
                deeper = self.c.choice(inner)
                deeper.external_in.add(subgraph)
                deeper.shareable = deeper.special = True
                selection = f"{provided.name} {{ {self.selection_of(deeper, subgraph)} }}"
        if target.kind in ("union", "interface"):
            if member.name not in target.options_in[subgraph]:
                target.options_in[subgraph].append(member.name)
            selection = f"... on {member.name} {{ {selection} }}"
        g.provides[subgraph] = selection

    def vary_types(self) -> None:
        """Federation v2 lets subgraphs disagree on a shared field's output type (one non-null where
        another is nullable, or a member where another returns the union or interface), and an
        interface may lack a field in some subgraphs while its implementations there have it."""
        for parent in [*self.of_kind("entity", "value"), None]:
            fields = self.query if parent is None else parent.fields
            for f in fields.values():
                where = (
                    self.subgraphs if parent is not None and parent.kind == "value" else f.owners
                )
                if len(where) < 2 or f.special or f.external_in or not self.c.chance(30):
                    continue
                narrower = self.narrower(f.type)
                if narrower != f.type:
                    varied = self.some(where, 50, at_least=1)
                    # One subgraph keeps the general type.
                    f.type_in = dict.fromkeys(varied[: len(where) - 1], narrower)
        for interface in self.of_kind("interface"):
            for f in list(interface.fields.values())[1:]:
                if self.c.chance(30):
                    f.hidden_in = set(self.some(self.subgraphs, 50, at_least=1))

    def narrower(self, type_: str) -> str:
        named = type_.strip("[]!")
        target = self.types.get(named)
        if target is not None and target.kind in ("union", "interface") and self.c.chance(50):
            return type_.replace(named, target.core)
        if not type_.endswith("!"):
            return type_ + "!"
        if type_.startswith("[") and not type_.endswith("!]!"):
            return type_.replace("]", "!]")
        return type_

    def add_inaccessible(self) -> None:
        what = self.c.choice(["field", "enum value", "type", "key field"])
        if what == "enum value":
            enums = [e for e in self.of_kind("enum") if len(e.values) - len(e.hidden_values) > 1]
            if enums:
                enum = self.c.choice(enums)
                enum.hidden_values.add(
                    self.c.choice([v for v in enum.values if v not in enum.hidden_values])
                )
        elif what == "type":
            entities = self.of_kind("entity")
            secret = self.new_type("Secret", "value")
            secret.inaccessible = True
            secret.fields["code"] = Field("code", "String")
            entity = self.c.choice(entities)
            name = self.field_name(self.taken(entity))
            entity.fields[name] = Field(
                name,
                secret.name,
                owners=[self.c.choice(entity.resolvers)],
                inaccessible=True,
                special=True,
            )
        else:
            candidates = []
            for t in self.of_kind("entity", "value"):
                visible = [f for f in t.fields.values() if not f.inaccessible]
                if what == "key field" and not t.implements:
                    candidates += [
                        f for f in visible if f.name in t.key_fields and len(visible) > 1
                    ]
                else:
                    candidates += [
                        f
                        for f in visible
                        if not f.special and f.name not in t.key_fields and len(visible) > 1
                    ]
            if candidates:
                hidden = self.c.choice(candidates)
                hidden.inaccessible = True
                hidden.special = True
