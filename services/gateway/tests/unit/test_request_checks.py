"""The cheap checks made before any real work: token counts, JSON nesting, repeated fields, outages."""

from typing import Any

import pytest
from gateway.engine import Engine
from gateway.limits import Limits
from gateway.outage import nothing_but_outage
from gateway.overlap import field_comparisons
from gateway.supergraph import compose
from gateway.tokens import count_tokens
from graphql import Source, get_introspection_query, parse
from graphql.language.parser import Parser

from ..subgraphs import InProcessSubgraphs

TRICKY = '''query Q($a: Float = -1.5e3, $b: [String!] = ["x\\"y", "{ not { a field } }"]) {
  a(x: """ a block \\""" with "quotes" and { braces } """) @include(if: true) { ...F ... on T { b } }
}  # a comment { with braces }
fragment F on T { c, d }'''


def engine(limits: Limits) -> Engine:
    subgraphs = InProcessSubgraphs()
    return Engine.create(compose(subgraphs.sdls(), subgraphs.urls), subgraphs, limits,  # type: ignore[arg-type]
                         introspection=True, suggestions=False)


class TestTokens:
    @pytest.mark.parametrize("document", [TRICKY, get_introspection_query(descriptions=True), "{ a }"])
    def test_the_count_is_the_parsers(self, document: str) -> None:
        parser = Parser(Source(document))
        parser.parse_document()

        assert count_tokens(document) == parser.token_count

    @pytest.mark.parametrize("prepare", ["on the event loop", "in place"])
    async def test_a_document_over_the_token_limit_is_refused(self, prepare: str) -> None:
        operations = engine(Limits(max_tokens=50)).operations
        query = '{ member(id: "m1") { ' + "name " * 60 + "} }"

        prepared = (await operations.prepare(query, None) if prepare == "on the event loop"
                    else operations.get(query, None))

        assert prepared.errors == [{
            "message": "The query is too large: it has more than 50 tokens (names, punctuation, values and "
                       "comments). Split it into smaller queries.",
            "extensions": {"code": "QUERY_TOO_LARGE"}}]

    async def test_a_document_within_the_limit_runs(self) -> None:
        result = await engine(Limits(max_tokens=50)).execute({"query": '{ member(id: "m1") { name } }'}, {})

        assert result == {"data": {"member": {"name": "Ada"}}}


class TestRepeatedFields:
    @pytest.mark.parametrize(("document", "comparisons"), [
        ("{ a b c }", 0),
        ("{ a a a }", 3),
        ("{ a { x y } a { x } }", 3 * 2),  # the pair, weighted by their sub-trees' sizes
        ("{ ...F ...F } fragment F on Q { a }", 1),  # fragments count where they are spread
        ("{ ... on Q { a } a }", 1),
    ])
    def test_the_comparisons_validation_could_make(self, document: str, comparisons: int) -> None:
        assert field_comparisons(parse(document)) == comparisons

    async def test_a_field_repeated_hundreds_of_times_is_refused_before_validation(self) -> None:
        query = '{ member(id: "m1") { ' + "organisation { name } " * 300 + "} }"

        result = await engine(Limits()).execute({"query": query}, {})

        assert result["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}

    async def test_a_fragment_spread_exponentially_is_refused(self) -> None:
        query = "{ ...F0 } " + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30)) \
            + " fragment F30 on Query { members { name } }"

        result = await engine(Limits()).execute({"query": query}, {})

        assert result["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}


def outage(path: list[Any] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": "The database is not answering.",
                             "extensions": {"code": "SERVICE_UNAVAILABLE", "retryable": True}}
    if path is not None:
        error["path"] = path
    return error


class TestOutages:
    @pytest.mark.parametrize(("response", "unavailable"), [
        ({"data": None, "errors": [outage()]}, True),
        ({"data": {"me": None, "projects": None}, "errors": [outage(["me"]), outage(["projects", "edges"])]}, True),
        ({"data": {"me": None, "organisation": None}, "errors": [outage()]}, True),
        ({"data": {"me": None, "organisation": None}, "errors": [outage(["me"])]}, False),  # why is the other null?
        ({"data": {"me": {"id": "m1"}, "projects": None}, "errors": [outage(["projects"])]}, False),  # partial data
        ({"data": None, "errors": [{"message": "No.", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}, False),
        ({"data": None, "errors": [{"message": "Gone.", "extensions": {"code": "SUBGRAPH_UNAVAILABLE"}}]}, False),
        ({"errors": [{"message": "Too deep.", "extensions": {"code": "QUERY_TOO_DEEP"}}]}, False),
    ])
    def test_only_no_data_at_all_because_of_an_outage_is_unavailable(
        self, response: dict[str, Any], unavailable: bool
    ) -> None:
        assert nothing_but_outage(response) is unavailable
