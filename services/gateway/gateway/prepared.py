"""Parsed, validated and planned operations, cached by operation text and name.

Preparing a new text is the one piece of CPU work a request can make large (validation is
quadratic in repeated fields, planning has a budget of seconds), so it runs on a thread of
its own, never on the event loop: other requests keep being served meanwhile. Requests
for a text already being prepared wait for that work rather than repeating it.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, Source, validate
from graphql.language.parser import Parser

from gateway.limits import Limits
from gateway.overlap import MAX_FIELD_COMPARISONS, field_comparisons
from gateway.planning.budget import BudgetExceeded
from gateway.planning.operation import (
    Operation,
    OperationProblem,
    count_aliases,
    depth,
    normalise,
    uses_introspection,
)
from gateway.planning.plan import QueryPlan
from gateway.planning.planner import Budget, Planner, PlanningError
from gateway.supergraph.model import Supergraph
from gateway.tokens import more_tokens_than

_SUGGESTION = re.compile(r" Did you mean .*\?$")


@dataclass
class Prepared:
    """Everything about an operation text that does not depend on variables."""

    document: DocumentNode | None = None
    operation: Operation | None = None
    plan: QueryPlan | None = None
    errors: list[dict[str, object]] = field(default_factory=list)  # a refusal keeps only these
    cacheable: bool = True


def _error(message: str, code: str) -> dict[str, object]:
    return {"message": message, "extensions": {"code": code}}


@cache
def preparing_thread() -> ThreadPoolExecutor:
    """The one thread that prepares new operation texts, made on first use. One is enough: the
    work is pure Python, so more threads would only share the interpreter lock (and the event
    loop's share of it would shrink)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="gateway-prepare")


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
        self._pending: dict[tuple[str, str | None], asyncio.Future[Prepared]] = {}

    def get(self, query: str, operation_name: str | None) -> Prepared:
        """The prepared operation, prepared here and now if it is new (tools and tests)."""
        key = (query, operation_name)
        return self._cached(key) or self._keep(key, self._prepare(query, operation_name))

    async def prepare(self, query: str, operation_name: str | None) -> Prepared:
        """The prepared operation; a new text is prepared on the preparing thread."""
        key = (query, operation_name)
        found = self._cached(key)
        if found is not None:
            return found
        if more_tokens_than(query, self.limits.max_tokens):
            return self._too_large()  # refused here, at C speed: a huge text never occupies the thread
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.get_running_loop().run_in_executor(
                preparing_thread(), self._prepare, query, operation_name)
            self._pending[key] = pending
            pending.add_done_callback(lambda _: self._pending.pop(key, None))
        # shield: a client that goes away must not cancel work other requests are waiting for
        return self._keep(key, await asyncio.shield(pending))

    def _cached(self, key: tuple[str, str | None]) -> Prepared | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def _keep(self, key: tuple[str, str | None], prepared: Prepared) -> Prepared:
        if prepared.cacheable:
            self._entries[key] = prepared
            self._entries.move_to_end(key)
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return prepared

    def _prepare(self, query: str, operation_name: str | None) -> Prepared:
        document = self._parse(query)
        if isinstance(document, Prepared):
            return document
        if field_comparisons(document) > MAX_FIELD_COMPARISONS:
            return Prepared(errors=[_error(
                "The query repeats the same fields too often to be checked (the same name many times in one "
                "selection, directly or through fragments). Ask for each field once.", "QUERY_TOO_COMPLEX")])
        problems = validate(self.sg.api_schema, document, hide_suggestions=not self.suggestions)
        if problems:
            return Prepared(errors=[self._validation_error(p) for p in problems[:20]])
        try:
            operation = normalise(document, operation_name)
        except OperationProblem as problem:
            return Prepared(errors=[_error(str(problem), problem.code)])
        if not self.introspection and uses_introspection(operation.selections):
            return Prepared(errors=[_error("Schema introspection is turned off on this server.",
                                           "INTROSPECTION_DISABLED")])
        static = self._static_limits(operation)
        if static:
            return Prepared(errors=[static])
        try:
            plan = self.planner.plan(operation)
        except PlanningError as error:  # includes running over the planning budget
            # Out of time may be the machine's load, not the query: try again next time.
            retry = isinstance(error, BudgetExceeded) and error.by_time
            return Prepared(errors=[_error(str(error), "QUERY_PLANNING_FAILED")], cacheable=not retry)
        return Prepared(document, operation, plan)

    def _parse(self, query: str) -> DocumentNode | Prepared:
        # The token limit counts comments too, so they cannot be used to pad a document either.
        parser = Parser(Source(query), max_tokens=self.limits.max_tokens)
        try:
            return parser.parse_document()
        except RecursionError:
            return Prepared(errors=[_error("The query nests too deeply to be read.", "QUERY_TOO_DEEP")])
        except GraphQLSyntaxError as error:
            if parser.token_count > self.limits.max_tokens:
                return self._too_large()
            return Prepared(errors=[_error(error.message, "GRAPHQL_PARSE_FAILED")])

    def _too_large(self) -> Prepared:
        return Prepared(errors=[_error(
            f"The query is too large: it has more than {self.limits.max_tokens} tokens (names, punctuation, "
            "values and comments). Split it into smaller queries.", "QUERY_TOO_LARGE")])

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

