"""Parsed, validated and planned operations, cached by operation text and name."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, parse, validate

from gateway.limits import Limits
from gateway.planning.operation import (
    Operation,
    OperationProblem,
    count_aliases,
    depth,
    normalise,
    uses_introspection,
)
from gateway.planning.plan import QueryPlan
from gateway.planning.budget import BudgetExceeded
from gateway.planning.planner import Budget, Planner, PlanningError
from gateway.supergraph.model import Supergraph

_SUGGESTION = re.compile(r" Did you mean .*\?$")


@dataclass
class Prepared:
    """Everything about an operation text that does not depend on variables."""

    document: DocumentNode | None = None
    operation: Operation | None = None
    plan: QueryPlan | None = None
    errors: list[dict[str, object]] = field(default_factory=list)
    cacheable: bool = True


def _error(message: str, code: str) -> dict[str, object]:
    return {"message": message, "extensions": {"code": code}}


class OperationCache:
    """An LRU of prepared operations: the same text is parsed, validated and planned once."""

    def __init__(self, supergraph: Supergraph, limits: Limits, *, introspection: bool, suggestions: bool,
                 size: int = 1000) -> None:
        self.sg = supergraph
        self.planner = Planner(supergraph, Budget(limits.max_planning_steps, limits.max_planning_seconds))
        self.limits = limits
        self.introspection = introspection
        self.suggestions = suggestions
        self.size = size
        self._entries: OrderedDict[tuple[str, str | None], Prepared] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> Prepared:
        key = (query, operation_name)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            return found
        prepared = self._prepare(query, operation_name)
        if not prepared.cacheable:
            return prepared
        self._entries[key] = prepared
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return prepared

    def _prepare(self, query: str, operation_name: str | None) -> Prepared:
        try:
            document = parse(query)
        except GraphQLSyntaxError as error:
            return Prepared(errors=[_error(error.message, "GRAPHQL_PARSE_FAILED")])
        problems = validate(self.sg.api_schema, document, hide_suggestions=not self.suggestions)
        if problems:
            return Prepared(document, errors=[self._validation_error(p) for p in problems[:20]])
        try:
            operation = normalise(document, operation_name)
        except OperationProblem as problem:
            return Prepared(document, errors=[_error(str(problem), problem.code)])
        if not self.introspection and uses_introspection(operation.selections):
            return Prepared(document, errors=[_error("Schema introspection is turned off on this server.",
                                                     "INTROSPECTION_DISABLED")])
        static = self._static_limits(operation)
        if static:
            return Prepared(document, operation, errors=[static])
        try:
            plan = self.planner.plan(operation)
        except PlanningError as error:  # includes running over the planning budget
            # Out of time may be the machine's load, not the query: try again next time.
            retry = isinstance(error, BudgetExceeded) and error.by_time
            return Prepared(document, operation, errors=[_error(str(error), "QUERY_PLANNING_FAILED")],
                            cacheable=not retry)
        return Prepared(document, operation, plan)

    def _validation_error(self, error: GraphQLError) -> dict[str, object]:
        message = error.message if self.suggestions else _SUGGESTION.sub("", error.message)
        entry = _error(message, "GRAPHQL_VALIDATION_FAILED")
        if error.locations:
            entry["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
        return entry

    def _static_limits(self, operation: Operation) -> dict[str, object] | None:
        found_depth = depth(operation.selections)
        if found_depth > self.limits.max_depth:
            return _error(f"The query is nested {found_depth} levels deep; the most allowed is "
                          f"{self.limits.max_depth}.", "QUERY_TOO_DEEP")
        aliases = count_aliases(operation.selections)
        if aliases > self.limits.max_aliases:
            return _error(f"The query uses {aliases} aliases; the most allowed is {self.limits.max_aliases}.",
                          "TOO_MANY_ALIASES")
        return None

