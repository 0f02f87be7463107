"""Fetches while they are being planned, and where the planner stands inside one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from graphql import SelectionNode

from gateway.planning.plan import Fetch, KeyPart, Path
from gateway.planning.provided import Provided
from gateway.planning.subgraph_query import QuerySet, resolve_conflicts


@dataclass(eq=False)
class FetchBuild:
    id: int
    subgraph: str
    depends_on: frozenset[int] = frozenset()
    path: Path = ()
    entity_type: str | None = None
    accepts: frozenset[str] = frozenset()
    represent_as: str | None = None
    resolves_type: bool = False
    query: QuerySet = field(default_factory=QuerySet)
    representation: list[KeyPart] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)
    root_keys: list[str] = field(default_factory=list)
    field_keys: list[str] = field(default_factory=list)

    def add_parts(self, parts: list[KeyPart]) -> None:
        self.representation = merge_parts(self.representation, parts)

    def finish(self, level: int) -> Fetch:
        renames = resolve_conflicts(self.query)
        return Fetch(
            id=self.id, subgraph=self.subgraph, selection=self.query.print(), variables=tuple(sorted(self.variables)),
            depends_on=tuple(sorted(self.depends_on)), path=self.path, entity_type=self.entity_type,
            accepts=self.accepts, represent_as=self.represent_as if self.represent_as != self.entity_type else None,
            representation=tuple(self.representation),
            renames=tuple(sorted(renames, key=lambda r: -len(r.path))),
            root_keys=tuple(dict.fromkeys(self.root_keys)), field_keys=tuple(dict.fromkeys(self.field_keys)),
            resolves_type=self.resolves_type, level=level,
        )


def merge_parts(known: list[KeyPart], parts: list[KeyPart]) -> list[KeyPart]:
    """Representation parts of two requirements on one fetch: a field both need is read once,
    with everything either needs below it."""
    merged = list(known)
    for part in parts:
        same = next((i for i, k in enumerate(merged) if (k.response_key, k.type_condition)
                     == (part.response_key, part.type_condition)), None)
        if same is None:
            merged.append(part)
        elif part.children:
            existing = merged[same]
            merged[same] = replace(existing, children=tuple(merge_parts(list(existing.children),
                                                                        list(part.children))),
                                   required=existing.required and part.required)
    return merged


@dataclass(frozen=True)
class Position:
    """Where planning stands: inside `fetch`, adding to `query`, at an object of `type` found at `path`.

    `type` is the type as the fetch's subgraph knows it (an @interfaceObject subgraph knows an
    interface as an object). `shadow` holds the client's selections on this object, so that the
    fields the planner adds for keys and requirements never take a response name the client uses
    for something else. `internal` is set while planning keys and requirements.
    """

    fetch: FetchBuild
    query: QuerySet
    type: str
    path: Path
    provided: Provided | None
    shadow: tuple[SelectionNode, ...]
    internal: bool = False

    @property
    def subgraph(self) -> str:
        return self.fetch.subgraph

    def inside(self, query: QuerySet, type_name: str, path: Path, shadow: tuple[SelectionNode, ...]) -> Position:
        return replace(self, query=query, type=type_name, path=path, shadow=shadow)


def levels(fetches: list[FetchBuild]) -> dict[int, int]:
    """Each fetch's level: 0 when it needs nothing, else one more than the deepest fetch it waits for."""
    found: dict[int, int] = {}
    for fetch in sorted(fetches, key=lambda f: f.id):  # a fetch only ever waits for earlier ones
        found[fetch.id] = 1 + max((found[d] for d in fetch.depends_on if d in found), default=-1)
    return found


def batched_levels(fetches: list[FetchBuild]) -> dict[int, int]:
    """Levels that keep the plan as short as it can be, but put a fetch later than it could run
    when that lets it share a level, and so one request, with other fetches to its subgraph."""
    earliest = levels(fetches)
    depth = max(earliest.values(), default=0)
    height: dict[int, int] = {}  # the longest chain of fetches that wait on this one
    for fetch in sorted(fetches, key=lambda f: -f.id):
        height.setdefault(fetch.id, 0)
        for dependency in fetch.depends_on:
            height[dependency] = max(height.get(dependency, 0), height[fetch.id] + 1)
    chosen: dict[int, int] = {}
    placed: dict[tuple[int, str], int] = {}
    for fetch in sorted(fetches, key=lambda f: f.id):
        low = 1 + max((chosen[d] for d in fetch.depends_on if d in chosen), default=-1)
        high = max(low, depth - height[fetch.id])
        level = max(range(low, high + 1), key=lambda at: (placed.get((at, fetch.subgraph), 0), -at))
        chosen[fetch.id] = level
        placed[(level, fetch.subgraph)] = placed.get((level, fetch.subgraph), 0) + 1
    return chosen
