"""One GraphQL request through the gateway: prepare (cached), check limits, execute the plan, shape."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    execute_sync,
    get_variable_values,
)

from gateway.cost import CostProblem, operation_cost
from gateway.execution.executor import Executor
from gateway.execution.fetcher import SubgraphClient
from gateway.execution.shape import Shaper
from gateway.limits import Limits
from gateway.planning.planner import INTROSPECTION_FIELDS
from gateway.planning.selections import flatten_root, wrap
from gateway.prepared import OperationCache, Prepared
from gateway.supergraph.model import Supergraph

log = logging.getLogger("gateway.engine")

Response = dict[str, Any]


def request_error(message: str, code: str) -> Response:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


@dataclass
class Ready:
    """A request that passed every check and may now call subgraphs."""

    prepared: Prepared
    variables: dict[str, Any]  # as sent, forwarded to subgraphs
    coerced: dict[str, Any]  # as the schema reads them (for @skip/@include and shaping)

    @property
    def kind(self) -> str:
        assert self.prepared.operation is not None
        return self.prepared.operation.kind


@dataclass
class Engine:
    """The parts that change together when the supergraph changes."""

    supergraph: Supergraph
    operations: OperationCache
    client: SubgraphClient
    limits: Limits
    suggestions: bool

    @classmethod
    def create(cls, supergraph: Supergraph, client: SubgraphClient, limits: Limits, *, introspection: bool,
               suggestions: bool) -> Engine:
        cache = OperationCache(supergraph, limits, introspection=introspection, suggestions=suggestions)
        return cls(supergraph, cache, client, limits, suggestions)

    async def check(self, request: Any) -> Ready | Response:
        """Everything before any subgraph is called: shape of the request, validation, limits."""
        if not isinstance(request, dict) or not isinstance(request.get("query"), str) or not request["query"].strip():
            return request_error("Send a JSON object with a GraphQL `query` string.", "BAD_REQUEST")
        variables = request.get("variables") or {}
        operation_name = request.get("operationName") or None
        if not isinstance(variables, dict) or not (operation_name is None or isinstance(operation_name, str)):
            return request_error("`variables` must be an object and `operationName` a string.", "BAD_REQUEST")
        prepared = await self.operations.prepare(request["query"], operation_name)
        if prepared.errors:
            return {"errors": list(prepared.errors)}
        assert prepared.operation is not None
        assert prepared.plan is not None
        assert prepared.document is not None
        coerced = self._variables(prepared, variables)
        if isinstance(coerced, list):
            return {"errors": coerced}
        try:
            spent = operation_cost(self.supergraph, prepared.operation.kind, prepared.operation.selections, coerced,
                                   self.limits)
        except CostProblem as problem:
            return request_error(str(problem), problem.code)
        if spent > self.limits.max_cost:
            return request_error(f"The query could cost {spent}; the most allowed is {self.limits.max_cost}. "
                                 "Ask for smaller pages (`first`) or fewer lists inside lists.",
                                 "QUERY_TOO_EXPENSIVE")
        return Ready(prepared, variables, coerced)

    async def execute(self, request: Any, headers: dict[str, str] | bytes, *, show_plan: bool = False) -> Response:
        """Run one request. With `show_plan` (development only), the query plan is added to the
        response as `extensions.queryPlan`, so partners can see what a query costs and why."""
        ready = await self.check(request)
        if not isinstance(ready, Ready):
            return ready
        if ready.kind == "subscription":
            return request_error("Subscriptions are served over WebSocket (graphql-transport-ws).", "BAD_REQUEST")
        plan = ready.prepared.plan
        assert plan is not None
        data, errors = await Executor(self.client, plan, ready.variables, headers).run()
        if plan.introspection_keys:
            data.update(self._introspect(ready.prepared, ready.coerced))
        response = self.shape(ready, data, errors)
        if show_plan:
            response["extensions"] = {"queryPlan": plan.as_json()}
        return response

    def shape(self, ready: Ready, data: dict[str, Any], errors: list[dict[str, Any]]) -> Response:
        """The client's response from merged data: exactly what was asked, with nulls propagated."""
        schema = self.supergraph.api_schema
        root = {"mutation": schema.mutation_type, "subscription": schema.subscription_type}.get(
            ready.kind, schema.query_type)
        assert root is not None
        assert ready.prepared.operation is not None
        shaped = Shaper(schema, ready.coerced, errors).shape_root(root, ready.prepared.operation.selections, data)
        response: Response = {"data": shaped}
        if errors:
            response["errors"] = errors
        return response

    def _variables(self, prepared: Prepared, variables: dict[str, Any]) -> dict[str, Any] | list[dict[str, Any]]:
        assert prepared.operation is not None
        result = get_variable_values(self.supergraph.api_schema,
                                     list(prepared.operation.variable_definitions.values()), variables,
                                     hide_suggestions=not self.suggestions)
        if isinstance(result, list):
            return [{"message": e.message, "extensions": {"code": "BAD_USER_INPUT"}} for e in result]
        return dict(result.coerced)

    def _introspect(self, prepared: Prepared, variables: dict[str, Any]) -> dict[str, Any]:
        """Answer `__schema` / `__type` from the public schema, without any subgraph."""
        assert prepared.document is not None
        assert prepared.operation is not None
        operation = _chosen(prepared.document, prepared.operation.name)
        kept = tuple(wrap(field, wrappers) for field, wrappers in flatten_root(prepared.operation.selections, ())
                     if field.name.value in INTROSPECTION_FIELDS)  # also inside (conditional) fragments
        document = DocumentNode(definitions=(
            OperationDefinitionNode(operation=operation.operation, name=operation.name,
                                    variable_definitions=operation.variable_definitions, directives=(),
                                    selection_set=SelectionSetNode(selections=kept)),
        ))
        result = execute_sync(self.supergraph.api_schema, document, variable_values=variables)
        return dict(result.data or {})


def _chosen(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (name is None or (
                definition.name is not None and definition.name.value == name)):
            return definition
    raise LookupError(name)
