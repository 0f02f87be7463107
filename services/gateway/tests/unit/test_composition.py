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
        assert "greeting: String!" in sdl
        assert "cheers: [String!]!" in sdl


class TestTypesThatMayDiffer:
    def test_a_shareable_field_may_be_non_null_in_one_subgraph_and_nullable_in_another(self) -> None:
        supergraph = compose({"people": PEOPLE.replace("name: String!", "name: String! @shareable"), "work": """
            type Member @key(fields: "id") { id: ID! name: String @shareable tags: [String!] @shareable }
            type Query { x: Int }""", "extra": """
            type Member @key(fields: "id") { id: ID! tags: [String]! @shareable }
            type Query { y: Int }"""}, {})

        name, tags = supergraph.field("Member", "name"), supergraph.field("Member", "tags")
        assert name.type == "String"  # the most general: nullable wins for output
        assert {s: src.type for s, src in name.sources.items()} == {"people": "String!", "work": "String"}
        assert tags.type == "[String]"
        assert "name: String\n" in supergraph.api_sdl

    def test_a_field_may_return_a_member_of_the_union_another_subgraph_returns(self) -> None:
        supergraph = compose({"people": PEOPLE + """
            type Team @key(fields: "id") { id: ID! }
            union Party = Member | Team
            type Event @key(fields: "id") { id: ID! host: Party @shareable }
            type Query { event: Event }""".replace("type Query { member(id: ID!): Member }", ""), "work": """
            type Member @key(fields: "id") { id: ID! }
            type Event @key(fields: "id") { id: ID! host: Member @shareable }
            type Query { z: Int }"""}, {})

        assert supergraph.field("Event", "host").type == "Party"

    def test_list_nesting_may_not_differ(self) -> None:
        found = problems(people=PEOPLE, work="""
            type Member @key(fields: "id") { id: ID! name: [String] @shareable }
            type Query { x: Int }""")

        assert any("Member.name has conflicting types" in p for p in found)

    def test_an_enum_for_input_and_output_may_hide_a_value_only_some_subgraphs_have(self) -> None:
        hidden = compose({"people": PEOPLE + """
            enum Role { NURSE AGENCY @inaccessible }
            extend type Query { byRole(role: Role): [Member!]! roleOf: Role }""", "work": """
            enum Role { NURSE }
            type Query { count(role: Role): Int }"""}, {})
        shown = problems(people=PEOPLE + """
            enum Role { NURSE AGENCY }
            extend type Query { byRole(role: Role): [Member!]! roleOf: Role }""", work="""
            enum Role { NURSE }
            type Query { count(role: Role): Int }""")

        assert "AGENCY" not in hidden.api_sdl
        assert "NURSE" in hidden.api_sdl
        assert any("enum Role is used for input and output" in p and "AGENCY" in p for p in shown)


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

    def test_from_context_is_refused_rather_than_exposed_as_a_plain_argument(self) -> None:
        found = problems(people=PEOPLE + """
            type Team @key(fields: "id") @context(name: "team") { id: ID! lead: Member }
            extend type Member { badge(team: ID @fromContext(field: "$team { id }")): String }
        """)

        assert any("Member.badge in people takes argument team @fromContext" in p for p in found)

    def test_a_public_schema_that_would_be_invalid_is_a_composition_error(self) -> None:
        found = problems(people="""
            interface Named { name: String! }
            type Member implements Named @key(fields: "id") { id: ID! name: String! @inaccessible }
            type Query { named: [Named!]! }""")

        assert any("public schema would not be valid" in p and "Named.name" in p for p in found)
