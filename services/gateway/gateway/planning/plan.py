"""A query plan: a DAG of subgraph fetches, each waiting for every fetch whose data it needs.

A root fetch asks a subgraph for root fields. An entity fetch reads the objects at `path` in
the merged data (`@` walks a list, `|A,B` keeps only objects of those types), builds a
representation of each from `representation`, sends them to `_entities`, and merges the
answers back into the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# A path into the merged response: response keys, "@" where a list is walked, "|T1,T2" to keep
# only objects whose __typename is one of those types.
Path = tuple[str, ...]


@dataclass(frozen=True)
class KeyPart:
    """One field of a representation: its name, where it sits in the merged data, and its sub-fields.

    A part with `type_condition` is an inline fragment: its children apply only to objects of
    those types. `required` parts (key fields) must be present and not null, or the object is
    not sent; other parts (`@requires` fields) must be present but may be null.
    """

    name: str
    response_key: str
    children: tuple[KeyPart, ...] = ()
    type_condition: frozenset[str] | None = None
    required: bool = True


@dataclass(frozen=True)
class Rename:
    """A conflict alias to undo in a subgraph's answer: at `path`, key `alias` becomes `key`."""

    path: tuple[str, ...]
    alias: str
    key: str


@dataclass
class Fetch:
    id: int
    subgraph: str
    selection: str  # the selection set text sent to the subgraph
    variables: tuple[str, ...]  # client variables the selection uses
    depends_on: tuple[int, ...] = ()
    path: Path = ()
    entity_type: str | None = None  # set for `_entities` fetches: the type the path's objects have
    accepts: frozenset[str] = frozenset()  # __typename values of the objects this fetch applies to
    represent_as: str | None = None  # the type name the target subgraph knows (an @interfaceObject)
    representation: tuple[KeyPart, ...] = ()
    renames: tuple[Rename, ...] = ()
    root_keys: tuple[str, ...] = ()  # root fetches: response keys they answer (for error paths)
    field_keys: tuple[str, ...] = ()  # entity fetches: response keys of the fields they add
    resolves_type: bool = False  # the answer says which concrete type an interface object really is
    level: int = 0  # 0 for fetches needing nothing; else one more than the deepest fetch it waits for

    @property
    def is_entity_fetch(self) -> bool:
        return self.entity_type is not None

    def document(self, operation_kind: str, variable_types: dict[str, str]) -> str:
        used = [variable_types[v] for v in self.variables]
        if self.is_entity_fetch:
            definitions = ", ".join(["$representations: [_Any!]!", *used])
            return (f"query({definitions}) {{ _entities(representations: $representations) "
                    f"{{ ... on {self.represent_as or self.entity_type} {{ {self.selection} }} }} }}")
        arguments = f"({', '.join(used)})" if used else ""
        return f"{operation_kind}{arguments} {{ {self.selection} }}"


@dataclass
class QueryPlan:
    operation_kind: str  # "query" | "mutation" | "subscription"
    operation_name: str | None
    fetches: list[Fetch]  # in dependency order: a fetch comes after every fetch it waits for
    variable_types: dict[str, str]  # variable name -> "$name: Type = default" text
    introspection_keys: tuple[str, ...] = ()  # root response keys answered by the gateway itself
    levels: list[list[Fetch]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.levels:
            by_level: dict[int, list[Fetch]] = {}
            for fetch in self.fetches:
                by_level.setdefault(fetch.level, []).append(fetch)
            self.levels = [by_level[level] for level in sorted(by_level)]

    @property
    def roots(self) -> list[Fetch]:
        return [f for f in self.fetches if not f.is_entity_fetch]

    def fetch_count(self) -> int:
        return len(self.fetches)

    def after(self, done: set[int]) -> list[Fetch]:
        """Every fetch except those in `done` (what is left once a root's data came another way)."""
        return [f for f in self.fetches if f.id not in done]

    def documents(self) -> list[tuple[str, str]]:
        """(subgraph, GraphQL document) of every fetch, each on its own as a subgraph would receive it."""
        return [(f.subgraph, f.document(self.operation_kind, self.variable_types)) for f in self.fetches]

    def describe(self) -> list[str]:
        """A readable outline, one line per fetch (tests and debugging)."""
        lines = []
        for fetch in self.fetches:
            waits = f" after {','.join(map(str, fetch.depends_on))}" if fetch.depends_on else ""
            if fetch.is_entity_fetch:
                known_as = fetch.represent_as or fetch.entity_type
                target = f"_entities<{known_as}> at {'.'.join(fetch.path) or '(root)'}"
            else:
                target = self.operation_kind
            lines.append(f"[{fetch.id}] {fetch.subgraph}: {target}{waits} {{ {fetch.selection} }}")
        return lines

    def as_json(self) -> dict[str, Any]:
        """The plan as shown to developers (a response extension in development)."""
        return {
            "kind": self.operation_kind,
            "fetches": [{
                "id": f.id,
                "subgraph": f.subgraph,
                "dependsOn": list(f.depends_on),
                **({"path": list(f.path), "entityType": f.represent_as or f.entity_type} if f.is_entity_fetch else {}),
                "document": f.document(self.operation_kind, self.variable_types),
            } for f in self.fetches],
        }
