"""Conformance subgraphs: @provides (nested, through a union) and @requires (nested, with arguments)."""

from typing import Annotated, Any

import strawberry

ID = strawberry.ID


# --- @provides: nested, and through a union --------------------------------------------------


AUTHORS = {"u1": ("Bea", "Leeds", "1 Long Row")}


def people() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Address:
        city: str
        street: str

    @strawberry.federation.type(keys=["id"])
    class Author:
        id: ID
        name: str = strawberry.federation.field(shareable=True)
        address: Address = strawberry.federation.field(shareable=True)

        @classmethod
        def resolve_reference(cls, id: str) -> "Author":
            name, city, street = AUTHORS[id]
            return cls(id=ID(id), name=name, address=Address(city=city, street=street))

    @strawberry.type
    class Query:
        people_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Author])


def posts() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Address:
        city: str

    @strawberry.federation.type(keys=["id"])
    class Author:
        id: ID
        name: str = strawberry.federation.field(external=True)
        address: Address = strawberry.federation.field(external=True)

    @strawberry.federation.type(keys=["id"])
    class Article:
        id: ID
        headline: str = strawberry.federation.field(external=True)

    @strawberry.type
    class Photo:
        url: str

    @strawberry.type
    class Post:
        title: str

        @strawberry.federation.field(provides=["name address { city }"])
        def author(self) -> Author:
            return Author(id=ID("u1"), name="Bea", address=Address(city="Leeds"))

    Content = Annotated[Article | Photo, strawberry.union("Content")]  # noqa: N806 - a type alias, named like the type

    @strawberry.type
    class Query:
        @strawberry.field
        def posts(self) -> list[Post]:
            return [Post(title="Hello")]

        @strawberry.federation.field(provides=["... on Article { headline }"])
        def latest(self) -> list[Content]:
            return [Article(id=ID("art1"), headline="Falls halved"), Photo(url="/ward.jpg")]

    return strawberry.federation.Schema(query=Query, types=[Author, Article])


def articles() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Article:
        id: ID
        headline: str = strawberry.federation.field(shareable=True)
        body: str

        @classmethod
        def resolve_reference(cls, id: str) -> "Article":
            return cls(id=ID(id), headline="(from articles)", body="Full story")

    @strawberry.type
    class Query:
        articles_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Article])


# --- @requires: nested selections and arguments ---------------------------------------------------


def warehouse() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Dims:
        height: float
        width: float

    @strawberry.federation.type(keys=["id"])
    class Product:
        id: ID
        grams: strawberry.Private[float]

        @strawberry.field
        def weight(self, unit: str) -> float:
            return self.grams / 1000 if unit == "kg" else self.grams

        @strawberry.field
        def dimensions(self) -> Dims:
            return Dims(height=2.0, width=3.0)

    @strawberry.type
    class Query:
        @strawberry.field
        def items(self) -> list[Product]:
            return [Product(id=ID("w1"), grams=1500.0)]

    return strawberry.federation.Schema(query=Query, types=[Product])


def shipping() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Dims:
        height: float

    @strawberry.federation.type(keys=["id"])
    class Product:
        id: ID
        kilos: strawberry.Private[float]
        height: strawberry.Private[float]

        @strawberry.federation.field(external=True)
        def weight(self, unit: str) -> float:
            return self.kilos

        @strawberry.federation.field(external=True)
        def dimensions(self) -> Dims:
            return Dims(height=self.height)

        @strawberry.federation.field(requires=['weight(unit: "kg") dimensions { height }'])
        def shipping_cost(self) -> float:
            return round(self.kilos * 2 + self.height, 2)

        @classmethod
        def resolve_reference(cls, id: str, weight: float = 0, dimensions: dict[str, Any] | None = None) -> "Product":
            return cls(id=ID(id), kilos=weight, height=(dimensions or {}).get("height", 0))

    @strawberry.type
    class Query:
        shipping_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Product])
