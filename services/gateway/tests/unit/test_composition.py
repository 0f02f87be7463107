"""Composition: a correct supergraph from the test subgraphs, and clear errors for broken ones."""

import pytest

from gateway.supergraph import CompositionError, compose

from ..subgraphs import InProcessSubgraphs

PEOPLE = """
type Member @key(fields: "id") { id: ID! name: String! }
type Query { member(id: ID!): Member }
"""


def problems(**sdls: str) -> list[str]:
    with pytest.raises(CompositionError) as caught:
        compose(sdls, {})
    return caught.value.problems


class TestComposedSupergraph:
    def test_records_which_subgraphs_resolve_each_field_and_the_keys(self) -> None:
        supergraph = compose(InProcessSubgraphs().sdls(), {})
        member = supergraph.type("Member")

        assert {s for s, src in member.fields["name"].sources.items() if not src.external} == {"people"}
        assert member.fields["name"].sources["praise"].external
        assert member.fields["greeting"].sources["praise"].requires is not None
        assert supergraph.field("Project", "lead").sources["work"].provides is not None
        assert set(member.keys) == {"people", "work", "praise"}
        assert supergraph.possible_types("SearchResult") == ["Member", "Organisation"]
        assert supergraph.possible_types("Node") == ["Member", "Organisation"]

    def test_the_public_schema_has_no_federation_machinery(self) -> None:
        sdl = compose(InProcessSubgraphs().sdls(), {}).api_sdl

        for hidden in ("_entities", "_service", "_Any", "@key", "@external", "_Entity"):
            assert hidden not in sdl
        assert "greeting: String!" in sdl and "cheers: [String!]!" in sdl


class TestCompositionErrors:
    def test_conflicting_field_types_name_both_subgraphs(self) -> None:
        found = problems(people=PEOPLE, work="""
            type Member @key(fields: "id") { id: ID! name: Int! @shareable }
            type Query { x: Int }""")

        assert any("Member.name" in p and "String! in people" in p and "Int! in work" in p for p in found)

    def test_a_field_defined_twice_without_shareable(self) -> None:
        found = problems(people=PEOPLE, work="""
            type Member @key(fields: "id") { id: ID! name: String! }
            type Query { y: Int }""")

        assert found == ["field Member.name is resolved by several subgraphs (people, work) but is not marked "
                         "@shareable in people, work"]

    def test_an_entity_without_a_resolvable_key_in_a_subgraph_that_adds_fields(self) -> None:
        found = problems(people=PEOPLE, work="""
            type Member @key(fields: "id", resolvable: false) { id: ID! projects: [String!]! }
            type Query { z: Int }""")

        assert found == ["entity Member has fields in subgraph work (projects) but work has no resolvable @key for "
                         "it, so those fields can never be fetched"]

    def test_a_type_of_two_kinds(self) -> None:
        found = problems(people=PEOPLE, work="""
            interface Member { id: ID! }
            type Query { w: Int }""")

        assert any("Member is object in people but interface in work" in p for p in found)

    def test_sdl_that_does_not_parse(self) -> None:
        assert any("subgraph work: its SDL does not parse" in p for p in problems(people=PEOPLE, work="type {"))
