"""Runs a query plan level by level: each fetch after every fetch it waits for, merged in place.

A level holds the fetches whose inputs are all in; its root fetches run side by side, and
all its `_entities` fetches to one subgraph go in a single request (one aliased `_entities`
field per fetch, representations de-duplicated). Conflict aliases the planner gave a fetch
are undone on the subgraph's answer before it is merged.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson
from prometheus_client import Counter

from gateway.execution.fetcher import SubgraphClient, SubgraphUnavailable
from gateway.planning.plan import Fetch, KeyPart, Path, QueryPlan, Rename

ResponsePath = list[str | int]
# Marks an object a subgraph answered `null` for in `_entities`: it does not exist for this caller
# (hidden by consent or visibility, erased, unknown), so its missing fields are no fault to report.
ABSENT = "_gw_absent"

SUBGRAPH_ERRORS = Counter(
    "heroes_gateway_subgraph_errors_total",
    "Errors subgraphs answered with, by extensions.code (SUBGRAPH_ERROR when they gave none), "
    "and SUBGRAPH_UNAVAILABLE once for each request a subgraph could not answer at all.",
    ["subgraph", "code"],
)
# A code of any other shape counts as OTHER, so a subgraph cannot make labels without end.
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")


@dataclass
class _Batch:
    fetch: Fetch
    representations: list[dict[str, Any]] = field(default_factory=list)
    targets: list[list[tuple[dict[str, Any], ResponsePath]]] = field(default_factory=list)


class Executor:
    def __init__(self, client: SubgraphClient, plan: QueryPlan, variables: dict[str, Any],
                 headers: dict[str, str] | bytes) -> None:
        self.client = client
        self.plan = plan
        self.variables = variables
        self.headers = headers
        self.data: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []

    async def run(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        for level in self.plan.levels:
            await self._level(level)
        return self.data, self.errors

    async def continue_from(self, data: dict[str, Any], root: Fetch) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Run the rest of the plan after a root fetch whose data came another way (a subscription event)."""
        self.data = data
        apply_renames(self.data, root.renames)
        for level in self.plan.levels:
            await self._level([fetch for fetch in level if fetch.id != root.id])
        return self.data, self.errors

    async def _level(self, fetches: list[Fetch]) -> None:
        entity_fetches: dict[str, list[Fetch]] = defaultdict(list)
        for fetch in fetches:
            if fetch.is_entity_fetch:
                entity_fetches[fetch.subgraph].append(fetch)
        await asyncio.gather(
            *(self._root(fetch) for fetch in fetches if not fetch.is_entity_fetch),
            *(self._entities(subgraph, group) for subgraph, group in entity_fetches.items()),
        )

    # --- root fetches --------------------------------------------------------------------------

    async def _root(self, fetch: Fetch) -> None:
        document = fetch.document(self.plan.operation_kind, self.plan.variable_types)
        try:
            body = await self.client.fetch(
                fetch.subgraph, document, self._used(fetch.variables), self.headers,
                retry_on_reset=self.plan.operation_kind != "mutation",
            )
        except SubgraphUnavailable as error:
            SUBGRAPH_ERRORS.labels(error.subgraph, "SUBGRAPH_UNAVAILABLE").inc()
            for key in fetch.root_keys:
                self.errors.append(_unavailable(error, [key]))
            return
        data = body.get("data")
        if isinstance(data, dict):
            apply_renames(data, fetch.renames)
            deep_merge(self.data, data)
        for problem in body.get("errors") or ():
            self.errors.append(_clean_error(problem, problem.get("path"), fetch.subgraph))

    # --- entity fetches ------------------------------------------------------------------------

    async def _entities(self, subgraph: str, fetches: list[Fetch]) -> None:
        batches = [self._batch(fetch) for fetch in fetches]
        batches = [batch for batch in batches if batch.representations]
        if not batches:
            return
        used: set[str] = set()
        parts, definitions = [], []
        variables: dict[str, Any] = {}
        for index, batch in enumerate(batches):
            definitions.append(f"$_r{index}: [_Any!]!")
            variables[f"_r{index}"] = batch.representations
            known_as = batch.fetch.represent_as or batch.fetch.entity_type
            parts.append(f"_e{index}: _entities(representations: $_r{index}) "
                         f"{{ ... on {known_as} {{ {batch.fetch.selection} }} }}")
            used |= set(batch.fetch.variables)
        definitions += [self.plan.variable_types[v] for v in sorted(used)]
        variables.update(self._used(tuple(sorted(used))))
        document = f"query({', '.join(definitions)}) {{ {' '.join(parts)} }}"
        try:
            body = await self.client.fetch(subgraph, document, variables, self.headers, retry_on_reset=True)
        except SubgraphUnavailable as error:
            SUBGRAPH_ERRORS.labels(error.subgraph, "SUBGRAPH_UNAVAILABLE").inc()
            for batch in batches:
                self.errors.append(_unavailable(error, self._field_path(batch, 0)))
            return
        data = body.get("data") or {}
        for index, batch in enumerate(batches):
            results = data.get(f"_e{index}") or []
            for position, entity in enumerate(results):
                if entity is None and position < len(batch.targets) and f"_e{index}" in data:
                    for target, _ in batch.targets[position]:
                        target[ABSENT] = True  # the owner says there is no such object for this caller
                if isinstance(entity, dict) and position < len(batch.targets):
                    apply_renames(entity, batch.fetch.renames)
                    # Only a subgraph that defines the interface may say which type an
                    # @interfaceObject really is; everyone else's __typename is dropped.
                    fields = entity if batch.fetch.resolves_type else {
                        k: v for k, v in entity.items() if k != "__typename"}
                    for target, _ in batch.targets[position]:
                        deep_merge(target, fields)
        for problem in body.get("errors") or ():
            self.errors.append(self._entity_error(problem, batches, subgraph))

    def _batch(self, fetch: Fetch) -> _Batch:
        batch = _Batch(fetch)
        seen: dict[bytes, int] = {}
        known_as = fetch.represent_as or fetch.entity_type
        for target, path in objects_at(self.data, fetch.path, fetch.accepts):
            representation = represent(target, known_as or "", fetch.representation)
            if representation is None:
                continue
            identity = orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
            if identity in seen:
                batch.targets[seen[identity]].append((target, path))
                continue
            seen[identity] = len(batch.representations)
            batch.representations.append(representation)
            batch.targets.append([(target, path)])
        return batch

    def _entity_error(self, error: dict[str, Any], batches: list[_Batch], subgraph: str) -> dict[str, Any]:
        path = error.get("path") or []
        if len(path) >= 2 and isinstance(path[0], str) and path[0].startswith("_e") and isinstance(path[1], int):
            batch = batches[int(path[0][2:])]
            if path[1] < len(batch.targets):
                return _clean_error(error, batch.targets[path[1]][0][1] + list(path[2:]), subgraph)
        return _clean_error(error, self._field_path(batches[0], 0) if batches else None, subgraph)

    def _field_path(self, batch: _Batch, position: int) -> ResponsePath:
        path = list(batch.targets[position][0][1]) if batch.targets else []
        return path + ([batch.fetch.field_keys[0]] if batch.fetch.field_keys else [])

    def _used(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: self.variables[name] for name in names if name in self.variables}


def objects_at(data: Any, path: Path, accepts: frozenset[str]) -> list[tuple[dict[str, Any], ResponsePath]]:
    """Objects at `path` in the merged data (walking lists at "@", keeping types at "|A,B") whose
    __typename is one of `accepts` (objects that do not say are taken as they come)."""
    found: list[tuple[dict[str, Any], ResponsePath]] = []

    def walk(value: Any, rest: Path, at: ResponsePath) -> None:
        if value is None:
            return
        if not rest:
            if isinstance(value, dict):
                typename = value.get("__typename")
                if typename is None or not accepts or typename in accepts:
                    found.append((value, at))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(item, rest, [*at, index])
            return
        head, tail = rest[0], rest[1:]
        if head == "@":
            if isinstance(value, list):
                for index, item in enumerate(value):
                    walk(item, tail, [*at, index])
        elif head.startswith("|"):
            if isinstance(value, dict) and value.get("__typename") in head[1:].split(","):
                walk(value, tail, at)
        elif isinstance(value, dict):
            walk(value.get(head), tail, [*at, head])

    walk(data, path, [])
    return found


def represent(target: dict[str, Any], typename: str, parts: tuple[KeyPart, ...]) -> dict[str, Any] | None:
    """The representation of one object, or None when a key field is missing."""
    representation: dict[str, Any] = {"__typename": typename}
    if not _read_parts(target, parts, representation):
        return None
    return representation


def _read_parts(source: dict[str, Any], parts: tuple[KeyPart, ...], into: dict[str, Any]) -> bool:
    for part in parts:
        if part.type_condition is not None:
            if source.get("__typename") in part.type_condition and not _read_parts(source, part.children, into):
                return False
            continue
        if part.response_key not in source:
            return False
        value = _extract(source[part.response_key], part)
        if value is None and part.required:
            return False
        into[part.name] = value
    return True


def _extract(value: Any, part: KeyPart) -> Any:
    if not part.children or value is None:
        return value
    if isinstance(value, list):
        return [_extract(item, part) for item in value]
    if isinstance(value, dict):
        nested: dict[str, Any] = {}
        return nested if _read_parts(value, part.children, nested) or not part.required else None
    return value


def apply_renames(data: Any, renames: tuple[Rename, ...]) -> None:
    """Give aliased fields back their response names (deepest first, as the planner ordered them)."""
    for rename in renames:
        for target in _objects_under(data, rename.path):
            if rename.alias in target:
                value = target.pop(rename.alias)
                existing = target.get(rename.key)
                if isinstance(existing, dict) and isinstance(value, dict):
                    deep_merge(existing, value)
                else:
                    target[rename.key] = value


def _objects_under(value: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [found for item in value for found in _objects_under(item, path)]
    if not isinstance(value, dict):
        return []
    if not path:
        return [value]
    return _objects_under(value.get(path[0]), path[1:])


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    for key, value in source.items():
        existing = target.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            deep_merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            for index, item in enumerate(value):
                if isinstance(existing[index], dict) and isinstance(item, dict):
                    deep_merge(existing[index], item)
                else:
                    existing[index] = item
        else:
            target[key] = value


def _unavailable(error: SubgraphUnavailable, path: ResponsePath) -> dict[str, Any]:
    return {
        "message": f"The {error.subgraph} service could not answer: {error.reason}.",
        "path": path,
        "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": error.subgraph},
    }


def _clean_error(error: dict[str, Any], path: Any, subgraph: str) -> dict[str, Any]:
    cleaned: dict[str, Any] = {"message": str(error.get("message", "A service reported an error."))}
    if path:
        cleaned["path"] = list(path)
    extensions = dict(error.get("extensions") or {})
    extensions.setdefault("code", "SUBGRAPH_ERROR")
    extensions["serviceName"] = subgraph
    code = extensions["code"]
    counted = code if isinstance(code, str) and _CODE.fullmatch(code) else "OTHER"
    SUBGRAPH_ERRORS.labels(subgraph, counted).inc()
    cleaned["extensions"] = extensions
    return cleaned
