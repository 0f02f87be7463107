"""One subgraph's Federation v2 SDL from a network model: the types it needs, as it sees them."""

from __future__ import annotations

import json
import re

from .model import FEDERATION_VERSION, Field, Network, Type

_NAMED = re.compile(r"[A-Za-z_]\w*")


def render_all(network: Network) -> dict[str, str]:
    """Every subgraph's SDL, by subgraph name."""
    return {name: render(network, name) for name in network.subgraphs}


def render(network: Network, subgraph: str) -> str:
    view = _View(network, subgraph)
    present = view.presence()
    blocks = []
    fields = [
        _field_line(f, subgraph, view.query_directives(f))
        for f in network.query.values()
        if subgraph in f.owners
    ]
    if fields:
        blocks.append("type Query {\n" + "\n".join(fields) + "\n}")
    blocks += [view.type_block(t) for t in network.types.values() if t.name in present]
    imports = ", ".join(json.dumps(f"@{name}") for name in sorted(view.used))
    header = (
        f'extend schema @link(url: "https://specs.apollo.dev/federation/{FEDERATION_VERSION}", '
        f"import: [{imports}])"
    )
    return "\n\n".join([header, *blocks]) + "\n"


def _field_line(f: Field, subgraph: str, directives: list[str]) -> str:
    return f"  {f.name}{f.args}: {f.type_for(subgraph)}" + "".join(f" {d}" for d in directives)


def _arg_types(args: str) -> set[str]:
    """Named types an argument list ("(kind: Enum0, first: Int = 10)") refers to."""
    return {
        match.group(0)
        for part in args.strip("()").split(",")
        if ":" in part
        for match in [_NAMED.search(part.split(":", 1)[1].split("=")[0])]
        if match
    }


class _View:
    """What `subgraph` knows of the network."""

    def __init__(self, network: Network, subgraph: str) -> None:
        self.network = network
        self.types = network.types
        self.subgraph = subgraph
        self.present: set[str] = set()
        self.used: set[str] = set()

    # --- which types are there ----------------------------------------------------------------

    def presence(self) -> set[str]:
        """Types that play a part here, and every type they mention, until nothing new appears."""
        s = self.subgraph
        for t in self.types.values():
            if (
                s in t.declared_keys
                or (s == t.home and t.kind == "entity_interface")
                or s in t.object_in
            ):
                self.present.add(t.name)
            if any(s in f.owners or s in f.external_in for f in t.fields.values()):
                self.present.add(t.name)
        for f in self.network.query.values():
            if s in f.owners:
                self.present |= self.mentioned(f)
        while True:
            before = len(self.present)
            for name in list(self.present):
                self.present |= self.mentions(self.types[name])
            if len(self.present) == before:
                return self.present

    def mentioned(self, f: Field) -> set[str]:
        named = f.type_for(self.subgraph).strip("[]!")
        return {n for n in {named, *_arg_types(f.args)} if n in self.types}

    def mentions(self, t: Type) -> set[str]:
        names: set[str] = set()
        for f, _ in self.fields(t):
            names |= self.mentioned(f)
        if t.kind in ("union", "interface"):
            names |= set(t.options_in.get(self.subgraph, []))
        if t.kind == "entity_interface" and self.subgraph == t.home:
            names |= set(t.options)
        return names

    # --- how each type is written -------------------------------------------------------------

    def implemented(self, t: Type) -> list[str]:
        """Interfaces `t` implements here: its entity interface in its home, value interfaces that
        are here and count `t` among their implementations here."""
        names = []
        for name in t.implements:
            interface = self.types[name]
            if interface.kind == "entity_interface":
                if self.subgraph == interface.home:
                    names.append(name)
            elif name in self.present and t.name in interface.options_in.get(self.subgraph, []):
                names.append(name)
        return names

    def declared_keys(self, t: Type) -> list[tuple[int, bool]]:
        return t.declared_keys.get(self.subgraph) or [(0, False)]

    def fields(self, t: Type) -> list[tuple[Field, list[str]]]:
        """The fields `t` has here, each with its directives."""
        if t.kind in ("value", "interface", "input"):
            return [
                (f, ["@inaccessible"] if f.inaccessible else [])
                for f in t.fields.values()
                if self.subgraph not in f.hidden_in
            ]
        if t.kind == "entity_interface" and self.subgraph != t.home:
            return [
                (f, []) for f in t.fields.values() if f.name == "id" or self.subgraph in f.owners
            ]
        if t.kind not in ("entity", "entity_interface"):
            return []
        keys = {name for index, _ in self.declared_keys(t) for name in _top_level(t.keys[index])}
        from_interfaces = {n for i in self.implemented(t) for n in self.types[i].fields}
        result = []
        for f in t.fields.values():
            directives = []
            if f.name in keys:
                pass
            elif self.subgraph in f.owners:
                directives += self.owner_directives(f)
            elif self.subgraph in f.external_in:
                directives.append("@external")
            elif f.name in from_interfaces:
                directives.append("@shareable")
            else:
                continue
            if f.inaccessible:
                directives.append("@inaccessible")
            result.append((f, directives))
        return result

    def owner_directives(self, f: Field) -> list[str]:
        directives = []
        if f.override_from is not None and self.subgraph == f.owners[-1]:
            directives.append(f"@override(from: {json.dumps(f.override_from)})")
        elif f.shareable and f.override_from is None:
            directives.append("@shareable")
        if f.requires is not None:
            directives.append(f"@requires(fields: {json.dumps(f.requires)})")
        if self.subgraph in f.provides:
            directives.append(f"@provides(fields: {json.dumps(f.provides[self.subgraph])})")
        return directives

    def query_directives(self, f: Field) -> list[str]:
        directives = ["@shareable"] if f.shareable else []
        if self.subgraph in f.provides:
            directives.append(f"@provides(fields: {json.dumps(f.provides[self.subgraph])})")
        self.note(directives)
        return directives

    def note(self, directives: list[str]) -> None:
        self.used |= {d[1:].split("(")[0] for d in directives}

    def type_block(self, t: Type) -> str:
        head_directives: list[str] = []
        keyword = "type"
        if t.kind in ("entity", "entity_interface"):
            interface_object = t.kind == "entity_interface" and self.subgraph != t.home
            keyword = (
                "interface" if t.kind == "entity_interface" and not interface_object else "type"
            )
            for index, resolvable in self.declared_keys(t) if t.kind == "entity" else [(0, True)]:
                flag = "" if resolvable else ", resolvable: false"
                head_directives.append(f"@key(fields: {json.dumps(t.keys[index])}{flag})")
            if interface_object:
                head_directives.append("@interfaceObject")
        elif t.kind == "value":
            head_directives.append("@shareable")
        elif t.kind == "interface":
            keyword = "interface"
        elif t.kind == "union":
            members = [m for m in t.options if m in t.options_in[self.subgraph]]
            return f"union {t.name} = {' | '.join(members)}"
        elif t.kind == "enum":
            values = [
                f"  {v}" + (" @inaccessible" if v in t.hidden_values else "") for v in t.values
            ]
            self.note(["@inaccessible"] if t.hidden_values else [])
            return f"enum {t.name} {{\n" + "\n".join(values) + "\n}"
        elif t.kind == "input":
            keyword = "input"
        if t.inaccessible:
            head_directives.append("@inaccessible")
        self.note(head_directives)
        implemented = self.implemented(t)
        implements = f" implements {' & '.join(implemented)}" if implemented else ""
        lines = []
        for f, directives in self.fields(t):
            self.note(directives)
            lines.append(_field_line(f, self.subgraph, directives))
        head = "".join(f" {d}" for d in head_directives)
        return f"{keyword} {t.name}{implements}{head} {{\n" + "\n".join(lines) + "\n}"


def _top_level(field_set: str) -> list[str]:
    """Top-level field names of a field set ("code place { aisle }" -> code, place)."""
    names, depth = [], 0
    for part in re.findall(r"[{}]|[A-Za-z_]\w*", field_set):
        if part == "{":
            depth += 1
        elif part == "}":
            depth -= 1
        elif depth == 0:
            names.append(part)
    return names
