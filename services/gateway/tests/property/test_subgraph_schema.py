"""A subgraph's own schema from its SDL: the federation machinery it serves is there, valid."""

import pytest
from graphql import GraphQLUnionType, validate_schema

from ..conformance.subgraphs import SUBGRAPHS
from ..querygen import validation_errors
from .subgraph_schema import subgraph_schema

pytestmark = pytest.mark.property

FEDERATION_2 = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: {imports})\n'
)


def members(schema: object, union: str) -> list[str]:
    entity = schema.type_map[union]  # type: ignore[attr-defined]
    assert isinstance(entity, GraphQLUnionType)
    return [t.name for t in entity.types]


@pytest.mark.parametrize("name", sorted(SUBGRAPHS))
def test_every_conformance_subgraph_builds_a_valid_schema_with_its_federation_fields(
    name: str,
) -> None:
    sdl = SUBGRAPHS[name]().as_str()

    schema = subgraph_schema(sdl)

    assert validate_schema(schema) == []
    assert schema.query_type is not None
    assert "_service" in schema.query_type.fields
    assert ("_entities" in schema.query_type.fields) == ("union _Entity" in sdl)


class TestFederation2Sdl:
    SDL = (
        FEDERATION_2.format(
            imports='["@key", "@shareable", "@external", "@requires", "@interfaceObject"]'
        )
        + """
        type Product @key(fields: "id") @key(fields: "sku region") {
          id: ID!  sku: String!  region: Int!
          weight: Float @external  cost: Int @requires(fields: "weight")
        }
        type Review @key(fields: "id", resolvable: false) { id: ID! }
        type Account @key(fields: "id") @interfaceObject { id: ID!  balance: Int }
        type Location @shareable { aisle: Int }
    """
    )

    def test_entities_are_the_types_with_a_resolvable_key(self) -> None:
        schema = subgraph_schema(self.SDL)

        assert members(schema, "_Entity") == ["Product", "Account"]
        assert str(schema.query_type.fields["_entities"].type) == "[_Entity]!"  # type: ignore[union-attr]

    def test_a_query_type_is_added_when_the_subgraph_has_no_root_fields(self) -> None:
        schema = subgraph_schema(self.SDL)

        assert schema.query_type is not None
        assert sorted(schema.query_type.fields) == ["_entities", "_service"]

    def test_entity_fetches_validate_and_fetches_of_unresolvable_types_do_not(self) -> None:
        schema = subgraph_schema(self.SDL)
        fetch = "query($r: [_Any!]!) { _entities(representations: $r) { ... on TYPE { id } } }"

        assert validation_errors(schema, fetch.replace("TYPE", "Product")) == []
        assert validation_errors(schema, fetch.replace("TYPE", "Review")) != []

    def test_renamed_imports_and_prefixed_directives_are_defined(self) -> None:
        sdl = (
            FEDERATION_2.format(imports='[{ name: "@key", as: "@primaryKey" }]')
            + """
            type Query { product: Product }
            type Product @primaryKey(fields: "id") { id: ID!  name: String @federation__shareable }
        """
        )

        schema = subgraph_schema(sdl)

        assert {"primaryKey", "federation__shareable"} <= {d.name for d in schema.directives}
        assert members(schema, "_Entity") == ["Product"]


class TestFederation1Sdl:
    def test_extensions_without_a_definition_become_definitions(self) -> None:
        sdl = """
            extend type Query { topProducts: [Product] }
            extend type Product @key(fields: "upc") { upc: String! @external  reviews: [String] }
        """

        schema = subgraph_schema(sdl)

        assert schema.query_type is not None
        assert sorted(schema.query_type.fields) == ["_entities", "_service", "topProducts"]
        assert members(schema, "_Entity") == ["Product"]
        assert validate_schema(schema) == []

    def test_an_extension_of_a_defined_type_stays_an_extension(self) -> None:
        sdl = """
            type Query { a: Int }
            extend type Query { b: Int }
            type T @key(fields: "id") { id: ID! }
        """

        schema = subgraph_schema(sdl)

        assert schema.query_type is not None
        assert sorted(schema.query_type.fields) == ["_entities", "_service", "a", "b"]
