"""The Apollo Gateway reference composes our groups, answers, counts subgraph requests and plans."""

import asyncio
import re
from pathlib import Path

import pytest

from ..reference import apollo

KEYS_QUERY = "{ offers { price product { id name inStock stars } } }"


class TestAnswers:
    async def test_keys_with_a_hop_and_a_missing_entity(self, apollo_urls: dict[str, str]) -> None:
        body, requests = await apollo.execute(apollo_urls["keys"], KEYS_QUERY)

        assert body == {"data": {"offers": [
            {"price": 20.0, "product": {"id": "p1", "name": "Kettle", "inStock": True, "stars": 4}},
            {"price": 5.0, "product": {"id": "p404", "name": None, "inStock": None, "stars": None}},
        ]}}
        assert requests == 4

    async def test_nested_provided_fields_need_no_other_subgraph(
        self, apollo_urls: dict[str, str]
    ) -> None:
        query = "{ posts { title author { name address { city } } } }"

        body, requests = await apollo.execute(apollo_urls["provides"], query)

        assert body == {"data": {"posts": [
            {"title": "Hello", "author": {"name": "Bea", "address": {"city": "Leeds"}}}]}}
        assert requests == 1

    async def test_a_field_not_provided_is_fetched_from_its_owner(
        self, apollo_urls: dict[str, str]
    ) -> None:
        query = "{ posts { author { address { street } } } }"

        body, requests = await apollo.execute(apollo_urls["provides"], query)

        assert body == {"data": {"posts": [{"author": {"address": {"street": "1 Long Row"}}}]}}
        assert requests == 2

    async def test_requires_with_arguments(self, apollo_urls: dict[str, str]) -> None:
        query = "{ items { id shippingCost } }"

        body, requests = await apollo.execute(apollo_urls["requires"], query)

        # weight(unit: "kg") is 1.5 and dimensions.height 2.0: 1.5 * 2 + 2.0
        assert body == {"data": {"items": [{"id": "w1", "shippingCost": 5.0}]}}
        assert requests == 2

    async def test_a_required_field_asked_with_other_arguments_gets_the_clients(
        self, apollo_urls: dict[str, str]
    ) -> None:
        query = '{ items { id weight(unit: "g") shippingCost } }'

        body, _ = await apollo.execute(apollo_urls["requires"], query)

        # A known Apollo difference (apollographql/federation#2996): its plan fetches weight once,
        # in the client's unit, so shipping takes 1500 grams as the kilos it requires. Ours: 5.0
        assert body == {"data": {"items": [
            {"id": "w1", "weight": 1500.0, "shippingCost": 3002.0}]}}

    async def test_a_validation_error_is_an_answer_too(self, apollo_urls: dict[str, str]) -> None:
        body, requests = await apollo.execute(apollo_urls["inaccessible"], "{ member { secret } }")

        assert body == {"errors": [{
            "message": 'Cannot query field "secret" on type "Member".',
            "locations": [{"line": 1, "column": 12}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        }]}
        assert requests == 0


class TestSubgraphRequestCount:
    async def test_each_answer_counts_only_its_own_requests(
        self, apollo_urls: dict[str, str]
    ) -> None:
        url = apollo_urls["keys"]

        _, introspection = await apollo.execute(url, '{ __type(name: "Product") { name } }')
        _, full = await apollo.execute(url, KEYS_QUERY)
        _, root_only = await apollo.execute(url, "{ offers { price } }")

        assert (introspection, full, root_only) == (0, 4, 1)

    async def test_concurrent_requests_do_not_mix_their_counts(
        self, apollo_urls: dict[str, str]
    ) -> None:
        queries = [KEYS_QUERY, "{ offers { price } }"] * 3

        answers = await asyncio.gather(*(apollo.execute(apollo_urls["keys"], q) for q in queries))

        assert [requests for _, requests in answers] == [4, 1] * 3


class TestQueryPlan:
    async def test_the_plan_shows_each_fetch(self, apollo_urls: dict[str, str]) -> None:
        plan = await apollo.query_plan(apollo_urls["keys"], KEYS_QUERY)

        # offers; then catalog and ratings (which needs catalog's sku and region) alongside stock
        assert plan.startswith('QueryPlan {\n  Sequence {\n    Fetch(service: "offers")')
        fetched = re.findall(r'Fetch\(service: "(\w+)"\)', plan)
        assert fetched == ["offers", "catalog", "ratings", "stock"]

    async def test_introspection_has_an_empty_plan(self, apollo_urls: dict[str, str]) -> None:
        assert await apollo.query_plan(apollo_urls["keys"], "{ __typename }") == ""


class TestStartup:
    def test_a_group_apollo_cannot_compose_fails_with_apollos_errors(
        self, conformance_urls: dict[str, str]
    ) -> None:
        left = conformance_urls["left"]

        with (
            pytest.raises(apollo.ReferenceFailed) as failure,
            apollo.start({"twice": {"left": left, "again": left}}),
        ):
            pass

        message = str(failure.value)
        assert message.startswith("Apollo Gateway exited with code 1:\n")
        assert (
            "group twice: A valid schema couldn't be composed. The following composition errors "
            'were found:\n\tNon-shareable field "Query.count" is resolved from multiple subgraphs'
        ) in message

    def test_without_node_the_error_says_what_to_install(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("PATH", str(tmp_path))

        with pytest.raises(apollo.ReferenceUnavailable, match=r"`node` is not on PATH.*Node\.js"):
            apollo.ensure_installed()
