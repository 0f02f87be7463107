"""Runs a query plan: fetches level by level, one request per subgraph per level, merged in place.

Root fetches of a query run together; mutation roots run one after another. Each
following level batches every `_entities` fetch of one subgraph into a single request
(one aliased `_entities` field per fetch, representations de-duplicated).
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from gateway.execution.fetcher import SubgraphClient, SubgraphUnavailable
from gateway.planning.plan import FetchNode, KeyPart, Path, QueryPlan

ResponsePath = list[str | int]


@dataclass
class _Batch:
    node: FetchNode
    representations: list[dict[str, Any]] = field(default_factory=list)
    targets: list[list[tuple[dict[str, Any], ResponsePath]]] = field(default_factory=list)


class Executor:
    def __init__(self, client: SubgraphClient, plan: QueryPlan, variables: dict[str, Any],
                 headers: dict[str, str]) -> None:
        self.client = client
        self.plan = plan
        self.variables = variables
        self.headers = headers
        self.data: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []

    async def continue_from(
        self, data: dict[str, Any], nodes: list[FetchNode]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Run the steps after a root fetch whose data came another way (a subscription event)."""
        self.data = data
        await self._levels(nodes)
        return self.data, self.errors

    async def run(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        if self.plan.operation_kind == "mutation":
            for root in self.plan.roots:
                await self._levels([root])
        else:
            await self._levels(self.plan.roots)
        return self.data, self.errors

    async def _levels(self, nodes: list[FetchNode]) -> None:
        level = nodes
        while level:
            entity_nodes: dict[str, list[FetchNode]] = defaultdict(list)
            for node in level:
                if node.is_entity_fetch:
                    entity_nodes[node.subgraph].append(node)
            await asyncio.gather(
                *(self._root(node) for node in level if not node.is_entity_fetch),
                *(self._entities(subgraph, group) for subgraph, group in entity_nodes.items()),
            )
            level = [child for node in level for child in node.children]

    # --- root fetches --------------------------------------------------------------------------

    async def _root(self, node: FetchNode) -> None:
        document = self._root_document(node)
        try:
            body = await self.client.fetch(
                node.subgraph, document, self._used(node.variables), self.headers,
                retry_on_reset=self.plan.operation_kind != "mutation",
            )
        except SubgraphUnavailable as error:
            for key in node.root_keys:
                self.errors.append(_unavailable(error, [key]))
            return
        data = body.get("data")
        if isinstance(data, dict):
            deep_merge(self.data, data)
        for error in body.get("errors") or ():
            self.errors.append(_clean_error(error, error.get("path"), node.subgraph))

    def _root_document(self, node: FetchNode) -> str:
        definitions = ", ".join(self.plan.variable_types[v] for v in node.variables)
        arguments = f"({definitions})" if definitions else ""
        return f"{self.plan.operation_kind}{arguments} {{ {node.selection} }}"

    # --- entity fetches ------------------------------------------------------------------------

    async def _entities(self, subgraph: str, nodes: list[FetchNode]) -> None:
        batches = [self._batch(node) for node in nodes]
        batches = [batch for batch in batches if batch.representations]
        if not batches:
            return
        used: set[str] = set()
        parts, definitions = [], []
        variables: dict[str, Any] = {}
        for index, batch in enumerate(batches):
            definitions.append(f"$_r{index}: [_Any!]!")
            variables[f"_r{index}"] = batch.representations
            known_as = batch.node.represent_as or batch.node.entity_type
            parts.append(f"_e{index}: _entities(representations: $_r{index}) "
                         f"{{ ... on {known_as} {{ {batch.node.selection} }} }}")
            used |= set(batch.node.variables)
        definitions += [self.plan.variable_types[v] for v in sorted(used)]
        variables.update(self._used(tuple(sorted(used))))
        document = f"query({', '.join(definitions)}) {{ {' '.join(parts)} }}"
        try:
            body = await self.client.fetch(subgraph, document, variables, self.headers, retry_on_reset=True)
        except SubgraphUnavailable as error:
            for batch in batches:
                self.errors.append(_unavailable(error, self._field_path(batch, 0)))
            return
        data = body.get("data") or {}
        for index, batch in enumerate(batches):
            results = data.get(f"_e{index}") or []
            for position, entity in enumerate(results):
                if isinstance(entity, dict) and position < len(batch.targets):
                    # The object's own __typename stays: an @interfaceObject subgraph answers
                    # with the interface's name, not the concrete type's.
                    fields = entity if batch.node.resolves_type else {
                        k: v for k, v in entity.items() if k != "__typename"}
                    for target, _ in batch.targets[position]:
                        deep_merge(target, fields)
        for error in body.get("errors") or ():
            self.errors.append(self._entity_error(error, batches, subgraph))

    def _batch(self, node: FetchNode) -> _Batch:
        batch = _Batch(node)
        seen: dict[str, int] = {}
        for target, path in objects_at(self.data, node.path, node.entity_type):
            representation = _represent(target, node)
            if representation is None:
                continue
            identity = json.dumps(representation, sort_keys=True)
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
        return path + ([batch.node.field_keys[0]] if batch.node.field_keys else [])

    def _used(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: self.variables[name] for name in names if name in self.variables}


def objects_at(data: Any, path: Path, type_name: str | None) -> list[tuple[dict[str, Any], ResponsePath]]:
    """Objects at `path` in the merged data (walking lists at "@"), of the given __typename."""
    found: list[tuple[dict[str, Any], ResponsePath]] = []

    def walk(value: Any, rest: Path, at: ResponsePath) -> None:
        if value is None:
            return
        if not rest:
            if isinstance(value, dict) and (type_name is None or value.get("__typename", type_name) == type_name):
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
        elif isinstance(value, dict):
            walk(value.get(head), tail, [*at, head])

    walk(data, path, [])
    return found


def _represent(target: dict[str, Any], node: FetchNode) -> dict[str, Any] | None:
    representation: dict[str, Any] = {"__typename": node.represent_as or node.entity_type}
    for part in node.representation:
        value = _extract(target.get(part.response_key), part)
        if value is None:
            return None
        representation[part.name] = value
    return representation


def _extract(value: Any, part: KeyPart) -> Any:
    if not part.children or value is None:
        return value
    if isinstance(value, list):
        return [_extract(item, part) for item in value]
    if isinstance(value, dict):
        nested = {}
        for child in part.children:
            nested[child.name] = _extract(value.get(child.response_key), child)
        return nested
    return value


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
    cleaned["extensions"] = extensions
    return cleaned
