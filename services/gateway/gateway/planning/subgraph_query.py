"""The selection one fetch sends to its subgraph, built up while planning and printed once.

Fields carry their type as *that subgraph* declares it, so that before printing, sibling
fields that could not be merged in the subgraph's own schema (`id: ID!` on one type and
`id: ID` on another, under one response name) are told apart with an alias. Each such
alias is recorded as a rename that the executor undoes on the subgraph's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from gateway.planning.plan import Rename

CONFLICT_ALIAS_PREFIX = "_gw_c"


@dataclass
class QueryField:
    name: str
    alias: str | None
    arguments: str  # printed, e.g. '(limit: 3)', or ""
    directives: str  # printed, e.g. ' @include(if: $x)', or ""
    type_text: str  # the field's type in the subgraph this selection goes to
    leaf: bool
    children: QuerySet | None = None

    @property
    def response_key(self) -> str:
        return self.alias or self.name


@dataclass
class QueryFragment:
    type_condition: str | None
    directives: str
    children: QuerySet


@dataclass
class QuerySet:
    items: dict[tuple[str, ...], QueryField | QueryFragment] = field(default_factory=dict)

    def add_field(self, name: str, alias: str | None, arguments: str, directives: str, type_text: str,
                  leaf: bool) -> QueryField:
        """The field with this response key, name, arguments and directives (added once)."""
        key = ("f", alias or name, name, arguments, directives)
        existing = self.items.get(key)
        if isinstance(existing, QueryField):
            return existing
        created = QueryField(name, alias if alias != name else None, arguments, directives, type_text, leaf,
                             None if leaf else QuerySet())
        self.items[key] = created
        return created

    def add_typename(self, alias: str | None = None, directives: str = "") -> None:
        self.add_field("__typename", alias, "", directives, "String!", leaf=True)

    def fragment(self, type_condition: str | None, directives: str = "") -> QuerySet:
        key = ("...", type_condition or "", directives)
        existing = self.items.get(key)
        if isinstance(existing, QueryFragment):
            return existing.children
        created = QueryFragment(type_condition, directives, QuerySet())
        self.items[key] = created
        return created.children

    def has_typename(self) -> bool:
        return ("f", "__typename", "__typename", "", "") in self.items

    def __bool__(self) -> bool:
        return bool(self.items)

    def print(self) -> str:
        parts: list[str] = []
        for item in self.items.values():
            if isinstance(item, QueryField):
                text = f"{item.alias}: {item.name}" if item.alias else item.name
                text += item.arguments + item.directives
                if item.children is not None:
                    text += " { " + (item.children.print() or "__typename") + " }"
                parts.append(text)
            else:
                head = f"... on {item.type_condition}" if item.type_condition else "..."
                parts.append(f"{head}{item.directives} {{ {item.children.print() or '__typename'} }}")
        return " ".join(parts)


def resolve_conflicts(root: QuerySet) -> list[Rename]:
    """Alias fields that share a response name but not a response shape; returns the renames."""
    renames: list[Rename] = []
    _resolve([root], (), renames, count())
    return renames


def _resolve(sets: list[QuerySet], path: tuple[str, ...], renames: list[Rename], numbers: count[int]) -> None:
    groups: dict[str, list[QueryField]] = {}
    for query_set in sets:
        for query_field in _fields_through_fragments(query_set):
            groups.setdefault(query_field.response_key, []).append(query_field)
    for key, fields in groups.items():
        if key == "__typename":
            continue
        kept: list[QueryField] = []
        shapes: dict[str, list[QueryField]] = {}
        for query_field in fields:
            shapes.setdefault(_shape(query_field), []).append(query_field)
        first_shape = _shape(fields[0])
        for shape, members in shapes.items():
            if shape == first_shape:
                kept = members
                continue
            alias = f"{CONFLICT_ALIAS_PREFIX}{next(numbers)}_{key}"
            for query_field in members:
                query_field.alias = alias
            renames.append(Rename(path, alias, key))
            _resolve_children(members, (*path, alias), renames, numbers)
        _resolve_children(kept, (*path, key), renames, numbers)


def _resolve_children(fields: list[QueryField], path: tuple[str, ...], renames: list[Rename],
                      numbers: count[int]) -> None:
    children = [f.children for f in fields if f.children is not None]
    if children:
        _resolve(children, path, renames, numbers)


def _fields_through_fragments(query_set: QuerySet) -> list[QueryField]:
    found: list[QueryField] = []
    for item in query_set.items.values():
        if isinstance(item, QueryField):
            found.append(item)
        else:
            found += _fields_through_fragments(item.children)
    return found


def _shape(query_field: QueryField) -> str:
    """What GraphQL's SameResponseShape compares: list and non-null wrappers, and leaf type names."""
    if query_field.leaf:
        return query_field.type_text
    named = query_field.type_text.replace("[", "").replace("]", "").replace("!", "")
    return query_field.type_text.replace(named, "_")
