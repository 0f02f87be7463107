"""Federation v2 conformance: exact `data` and error presence per feature, over real subgraph processes."""

from typing import Any


class TestKeys:
    async def test_compound_and_several_keys_with_a_hop_and_a_missing_entity(self, federation: Any) -> None:
        gateway = await federation("keys")
        query = "{ offers { price product { id name inStock stars } } }"

        result = await gateway.run(query)

        # offers can only reference Product by id; ratings only accepts "sku region", which catalog
        # provides after an id lookup: a hop. p404 is unknown everywhere: its fields are null.
        assert result == {"data": {"offers": [
            {"price": 20.0, "product": {"id": "p1", "name": "Kettle", "inStock": True, "stars": 4}},
            {"price": 5.0, "product": {"id": "p404", "name": None, "inStock": None, "stars": None}},
        ]}}
        assert gateway.requests == 4  # offers, then catalog + stock together, then ratings
        plan = gateway.plan(query)
        assert plan[0].startswith("[0] offers: query")
        assert any("] ratings: _entities<Product>" in line for line in plan)

    async def test_a_nested_compound_key(self, federation: Any) -> None:
        gateway = await federation("keys")

        result = await gateway.run("{ shelves { code label capacity location { bay } } }")

        assert result == {"data": {"shelves": [{"code": "A", "label": "Kettles", "capacity": 30,
                                                "location": {"bay": 1}}]}}

    async def test_an_entity_referenced_but_not_resolvable_is_never_asked_for(self, federation: Any) -> None:
        gateway = await federation("keys")

        plan = gateway.plan("{ offers { product { name } } }")

        assert not any("] offers: _entities" in line for line in plan)


class TestOverride:
    async def test_an_overridden_field_comes_from_its_new_subgraph(self, federation: Any) -> None:
        gateway = await federation("override")

        assert await gateway.run('{ member(id: "1") { name points } }') == {
            "data": {"member": {"name": "Ada", "points": 100}}}
        assert gateway.requests == 2


class TestInaccessible:
    async def test_inaccessible_parts_are_not_in_the_api_nor_its_introspection(self, federation: Any) -> None:
        gateway = await federation("inaccessible")

        member_type = await gateway.run('{ __type(name: "Member") { fields { name } } }')
        tier = await gateway.run('{ __type(name: "Tier") { enumValues { name } } }')
        internal = await gateway.run('{ __type(name: "Internal") { name } }')
        filters = await gateway.run('{ __type(name: "Filter") { inputFields { name } } }')
        roots = await gateway.run('{ __schema { queryType { fields { name } } } }')

        assert member_type == {"data": {"__type": {"fields": [{"name": "id"}, {"name": "name"}]}}}
        assert tier == {"data": {"__type": {"enumValues": [{"name": "GOLD"}, {"name": "SILVER"}]}}}
        assert internal == {"data": {"__type": None}}
        assert filters == {"data": {"__type": {"inputFields": [{"name": "name"}]}}}
        assert "internal" not in {f["name"] for f in roots["data"]["__schema"]["queryType"]["fields"]}

    async def test_asking_for_one_is_a_plain_unknown_field_error(self, federation: Any) -> None:
        gateway = await federation("inaccessible")

        result = await gateway.run("{ member { secret } }")

        assert "data" not in result
        assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert result["errors"][0]["message"] == "Cannot query field 'secret' on type 'Member'."

    async def test_an_inaccessible_key_still_joins_subgraphs(self, federation: Any) -> None:
        gateway = await federation("inaccessible")

        assert await gateway.run("{ badge { title points } }") == {
            "data": {"badge": {"title": "First test of change", "points": 6}}}


class TestInterfaceObject:
    async def test_fields_of_an_interface_object_reach_every_implementation(self, federation: Any) -> None:
        gateway = await federation("interface_object")

        result = await gateway.run("{ accounts { __typename name balance ... on Admin { level } } }")

        assert result == {"data": {"accounts": [
            {"__typename": "Admin", "name": "Asha", "balance": 50, "level": 3},
            {"__typename": "Guest", "name": "Gil", "balance": 0},
        ]}}
        assert gateway.requests == 2  # accounts, then one batch to billing for both

    async def test_an_interface_object_from_a_root_field_gets_its_concrete_type(self, federation: Any) -> None:
        gateway = await federation("interface_object")

        result = await gateway.run("{ richest { __typename id name balance ... on Admin { level } } }")

        # billing answers with the interface's name; accounts says it is an Admin and adds its fields.
        assert result == {"data": {"richest": [
            {"__typename": "Admin", "id": "a1", "name": "Asha", "balance": 50, "level": 3}]}}
        assert gateway.requests == 2


class TestProvides:
    async def test_nested_provided_fields_need_no_other_subgraph(self, federation: Any) -> None:
        gateway = await federation("provides")

        result = await gateway.run("{ posts { title author { name address { city } } } }")

        author = {"name": "Bea", "address": {"city": "Leeds"}}
        assert result == {"data": {"posts": [{"title": "Hello", "author": author}]}}
        assert gateway.requests == 1

    async def test_a_field_not_provided_is_fetched_from_its_owner(self, federation: Any) -> None:
        gateway = await federation("provides")

        result = await gateway.run("{ posts { author { address { street } } } }")

        assert result == {"data": {"posts": [{"author": {"address": {"street": "1 Long Row"}}}]}}
        assert gateway.requests == 2

    async def test_provides_through_a_union(self, federation: Any) -> None:
        gateway = await federation("provides")

        provided = await gateway.run("{ latest { __typename ... on Article { headline } ... on Photo { url } } }")
        requests_provided = gateway.requests
        fetched = await gateway.run("{ latest { ... on Article { headline body } } }")

        assert provided == {"data": {"latest": [{"__typename": "Article", "headline": "Falls halved"},
                                                {"__typename": "Photo", "url": "/ward.jpg"}]}}
        assert requests_provided == 1
        assert fetched == {"data": {"latest": [{"headline": "Falls halved", "body": "Full story"}, {}]}}


class TestRequires:
    async def test_nested_requires_with_arguments_alongside_the_clients_own_arguments(self, federation: Any) -> None:
        gateway = await federation("requires")

        result = await gateway.run('{ items { id weight(unit: "g") shippingCost } }')

        # shippingCost needs weight in kg (1.5) and dimensions.height (2.0): 1.5 * 2 + 2.0
        assert result == {"data": {"items": [{"id": "w1", "weight": 1500.0, "shippingCost": 5.0}]}}
        assert gateway.requests == 2


class TestShareable:
    async def test_a_shareable_field_comes_from_the_subgraph_already_being_asked(self, federation: Any) -> None:
        gateway = await federation("shareable")

        from_slow = await gateway.run("{ topRated { price rating } }")
        slow_requests = gateway.requests
        from_fast = await gateway.run('{ product(id: "f1") { price } }')

        assert from_slow == {"data": {"topRated": [{"price": 9.5, "rating": 5}]}}
        assert slow_requests == 1
        assert from_fast == {"data": {"product": {"price": 9.5}}}
        assert gateway.requests == 1


class TestMerging:
    async def test_enums_and_inputs_merge_by_how_they_are_used(self, federation: Any) -> None:
        gateway = await federation("merging")

        colour = await gateway.run('{ __type(name: "Colour") { enumValues { name } } }')
        size = await gateway.run('{ __type(name: "Size") { enumValues { name } } }')
        search = await gateway.run('{ __type(name: "Search") { inputFields { name } } }')

        # Output-only: every value any subgraph may return. Input-only: only values all accept.
        assert sorted(v["name"] for v in colour["data"]["__type"]["enumValues"]) == ["BLUE", "GREEN", "RED"]
        assert [v["name"] for v in size["data"]["__type"]["enumValues"]] == ["S", "M"]
        assert search == {"data": {"__type": {"inputFields": [{"name": "text"}]}}}

    async def test_a_merged_input_works_against_both_subgraphs(self, federation: Any) -> None:
        gateway = await federation("merging")

        result = await gateway.run('{ count(size: M, search: {text: "abc"}) matches(size: S, search: {text: "x"}) '
                                   "colours palette }")

        assert result == {"data": {"count": 3, "matches": 2, "colours": ["RED", "GREEN"], "palette": ["BLUE"]}}
