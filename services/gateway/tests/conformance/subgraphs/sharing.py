"""Conformance subgraphs: @shareable fields from the cheapest subgraph, and enum/input merging."""

from enum import Enum

import strawberry

ID = strawberry.ID


# --- @shareable: the cheapest subgraph ------------------------------------------------------------


def fast() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Product:
        id: ID
        price: float = strawberry.federation.field(shareable=True)

        @classmethod
        def resolve_reference(cls, id: str) -> "Product":
            return cls(id=ID(id), price=9.5)

    @strawberry.type
    class Query:
        @strawberry.field
        def product(self, id: ID) -> Product:
            return Product.resolve_reference(id)

    return strawberry.federation.Schema(query=Query, types=[Product])


def slow() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Product:
        id: ID
        price: float = strawberry.federation.field(shareable=True)
        rating: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Product":
            return cls(id=ID(id), price=9.5, rating=5)

    @strawberry.type
    class Query:
        @strawberry.field
        def top_rated(self) -> list[Product]:
            return [Product(id=ID("s1"), price=9.5, rating=5)]

    return strawberry.federation.Schema(query=Query, types=[Product])


# --- enum and input merging -----------------------------------------------------------------------


def left() -> strawberry.federation.Schema:
    @strawberry.enum
    class Colour(Enum):
        RED = "red"
        GREEN = "green"

    @strawberry.enum
    class Size(Enum):
        S = "s"
        M = "m"
        L = "l"

    @strawberry.input
    class Search:
        text: str
        limit: int | None = None

    @strawberry.type
    class Query:
        @strawberry.federation.field(shareable=True)
        def colours(self) -> list[Colour]:
            return [Colour.RED, Colour.GREEN]

        @strawberry.field
        def count(self, size: Size, search: Search) -> int:
            return len(search.text)

    return strawberry.federation.Schema(query=Query)


def right() -> strawberry.federation.Schema:
    @strawberry.enum
    class Colour(Enum):
        RED = "red"
        BLUE = "blue"

    @strawberry.enum
    class Size(Enum):
        S = "s"
        M = "m"

    @strawberry.input
    class Search:
        text: str

    @strawberry.type
    class Query:
        @strawberry.field
        def palette(self) -> list[Colour]:
            return [Colour.BLUE]

        @strawberry.field
        def matches(self, size: Size, search: Search) -> int:
            return 2

    return strawberry.federation.Schema(query=Query)
