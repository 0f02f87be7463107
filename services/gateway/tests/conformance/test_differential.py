"""Differential tests: random queries over every conformance group, through our gateway and through
Apollo Gateway 2.14 on the same subgraphs; the `data` must be the same.

Queries are drawn by hypothesis from our composed API schema (derandomized, so a run is
repeatable; DIFFERENTIAL_EXAMPLES=<n> draws more per group). Where Apollo Gateway is known
to answer wrongly, the case is listed in KNOWN_APOLLO_ERRORS with the reason, and our
answer is checked against the correct one in test_conformance.py / test_features.py instead.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from gateway.engine import Engine
from gateway.execution.fetcher import SubgraphClient
from gateway.limits import Limits
from gateway.supergraph import compose
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ..querygen import GeneratedQuery, queries
from ..reference import apollo
from .subgraphs import GROUPS

EXAMPLES = int(os.environ.get("DIFFERENTIAL_EXAMPLES", "12"))


@dataclass(frozen=True)
class KnownApolloError:
    groups: frozenset[str] | None  # None: any group
    applies: Callable[[str, dict[str, Any]], bool]  # (query, Apollo's response)
    reason: str


def _apollo_error(response: dict[str, Any], text: str) -> bool:
    return any(text in str(e.get("message")) for e in response.get("errors") or ())


KNOWN_APOLLO_ERRORS = [
    KnownApolloError(
        frozenset({"requires"}),
        lambda query, _: "shippingCost" in query and re.search(r"\bweight\s*\(", query) is not None,
        "Apollo merges the @requires field weight(unit: \"kg\") into the client's own weight(unit: ...) "
        "and sends shipping the client's value (apollographql/federation#2996).",
    ),
    KnownApolloError(
        frozenset({"requires_arguments"}),
        lambda query, _: re.search(r"\bvisits\s*\(", query) is not None or (
            "recentSummary" in query and "latestNote" in query),
        "Apollo merges required fields that differ only in arguments (visits(limit: 3) and visits(limit: 1), "
        "or the client's own visits(...)) into one, so a requirement gets the wrong list.",
    ),
    KnownApolloError(
        frozenset({"requires_chains"}),
        lambda query, _: "cheapestCourse" in query and re.search(r"\b(band|netFee|advice|freeToStaff)\b",
                                                                 query) is not None,
        "From rc_costs' own root field, Apollo asks rc_costs for band/netFee in the first fetch without "
        "the fee and grant they @require, then passes the resulting nulls on down the chain.",
    ),
    KnownApolloError(
        None,
        lambda _, response: _apollo_error(response, "which the gateway did not send"),
        "Apollo runs a fetch for a field with @requires without the required fields (when the field that "
        "would bring them is skipped, or is asked of the requiring subgraph's own root field).",
    ),
    KnownApolloError(
        None,
        lambda query, response: re.search(r"@skip|@include", query) is not None
        and "Cannot return null for non-nullable" in str(response.get("extensions")),
        "When every field below a non-null field is skipped, Apollo answers null for that field (and so for "
        "its parents) instead of an object with no fields.",
    ),
    KnownApolloError(
        None,
        lambda _, response: _apollo_error(response, "missing 1 required positional argument"),
        "Apollo sends an @interfaceObject subgraph representations without their key fields for objects "
        "of types the client's fragment does not select.",
    ),
    KnownApolloError(
        None,
        lambda _, response: _apollo_error(response, "This shouldn't have happened"),
        "Apollo fails to plan __type/__schema inside a fragment with @skip/@include (an internal error).",
    ),
    KnownApolloError(
        None,
        lambda _, response: _apollo_error(response, "conflict because"),
        "Apollo sends a subgraph an invalid query: the alias it gives a key field collides with a client "
        "alias of the same name (\"Fields 'id__alias_0' conflict ...\").",
    ),
    KnownApolloError(
        None,
        lambda query, _: any(alias != field and not re.fullmatch(r"(t|a|k|i|again)\d+", alias)
                             for alias, field in _aliases(query)),
        "Apollo merges a field it adds for a key or a requirement into a client's alias of the same name "
        "for another field, so the client gets the wrong value under its alias (`id: name` answered with "
        "the id, `name: id` with the name).",
    ),
    KnownApolloError(
        frozenset({"interface_object", "interface_objects", "non_resolvable_interfaces"}),
        lambda query, _: re.search(r"(?<!:)(?<!: )\b__typename\b", query) is not None,
        "Apollo asks the @interfaceObject subgraph for __typename too, merges its answer (the interface's "
        "name) over the concrete type, and then drops every fragment on the concrete type.",
    ),
]


def _aliases(query: str) -> list[tuple[str, str]]:
    """(alias, field name) pairs of a query, arguments and variable definitions left out."""
    without_arguments = re.sub(r"\([^()]*\)", "", query)
    return re.findall(r"\b([_A-Za-z]\w*)\s*:\s*([_A-Za-z]\w*)", without_arguments)


def known_apollo_error(group: str, query: str, apollo_response: dict[str, Any]) -> str | None:
    for known in KNOWN_APOLLO_ERRORS:
        if (known.groups is None or group in known.groups) and known.applies(query, apollo_response):
            return known.reason
    return None


def _errors(response: dict[str, Any]) -> list[Any]:
    """Errors as reported: Apollo puts invalid leaf values under extensions.valueCompletion."""
    return [*(response.get("errors") or ()), *((response.get("extensions") or {}).get("valueCompletion") or ())]


class Loop:
    """One event loop for this module's synchronous hypothesis tests, with an engine per group."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.loop = asyncio.new_event_loop()
        self.urls = urls
        self.engines: dict[str, tuple[Engine, SubgraphClient]] = {}

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def engine(self, group: str) -> Engine:
        if group not in self.engines:
            urls = {name: self.urls[name] for name in GROUPS[group]}
            sdls = {name: _sdl(url) for name, url in urls.items()}
            client = self.run(_client(urls))
            engine = Engine.create(compose(sdls, urls), client, Limits(max_aliases=1_000, max_cost=10**9),
                                   introspection=True, suggestions=False)
            self.engines[group] = (engine, client)
        return self.engines[group][0]

    def close(self) -> None:
        for _, client in self.engines.values():
            self.run(client.close())
        self.loop.close()


async def _client(urls: dict[str, str]) -> SubgraphClient:
    return SubgraphClient.create(urls, timeout=10)


def _sdl(url: str) -> str:
    body = httpx.post(url, json={"query": "{ _service { sdl } }"}, timeout=10).json()
    return str(body["data"]["_service"]["sdl"])


@pytest.fixture(scope="module")
def loop(conformance_urls: dict[str, str]) -> Iterator[Loop]:
    running = Loop(conformance_urls)
    yield running
    running.close()


@pytest.mark.parametrize("group", sorted(GROUPS))
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_our_gateway_answers_as_apollo_gateway_does(
    group: str, data: st.DataObject, loop: Loop, apollo_urls: dict[str, str]
) -> None:
    engine = loop.engine(group)
    query: GeneratedQuery = data.draw(queries(engine.supergraph.api_schema, max_depth=4, max_fields=4))

    ours = loop.run(engine.execute({"query": query.text, "variables": query.variables}, {}))
    theirs, _ = loop.run(apollo.execute(apollo_urls[group], query.text, query.variables))

    same = ours.get("data") == theirs.get("data") and bool(ours.get("errors")) == bool(_errors(theirs))
    if not same and (reason := known_apollo_error(group, query.text, theirs)):
        event(f"Apollo Gateway is known to be wrong here: {reason}")  # shown with --hypothesis-show-statistics
        return
    assert ours.get("data") == theirs.get("data"), _explain(query, ours, theirs)
    assert bool(ours.get("errors")) == bool(_errors(theirs)), _explain(query, ours, theirs)


def _explain(query: GeneratedQuery, ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    return f"\nquery: {query.text}\nvariables: {query.variables}\nours:   {ours}\napollo: {theirs}"
