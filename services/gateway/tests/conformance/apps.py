"""Small Federation v2 subgraphs, one group per feature, each served as its own process.

`python -m uvicorn tests.conformance.apps:create_app --factory` with CONFORMANCE_SUBGRAPH=<name>
(run from services/gateway). GROUPS says which subgraphs compose together.
"""

import os
from enum import Enum
from typing import Annotated, Any

import strawberry
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter
from strawberry.federation.schema_directives import Key

GROUPS = {
    "keys": ("catalog", "stock", "ratings", "offers"),
    "override": ("legacy", "modern"),
    "inaccessible": ("vault", "awards"),
    "interface_object": ("accounts", "billing"),
    "provides": ("people", "posts", "articles"),
    "requires": ("warehouse", "shipping"),
    "shareable": ("fast", "slow"),
    "merging": ("left", "right"),
}
ID = strawberry.ID


# --- keys: compound, several per entity, nested, resolvable: false, missing entities -----------

PRODUCTS = {"p1": ("K-1", "EU", "Kettle"), "p2": ("T-2", "UK", "Toaster")}
STOCK = {"p1": True, "p2": False}
STARS = {("K-1", "EU"): 4, ("T-2", "UK"): 2}


def catalog() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Location:
        aisle: int
        bay: int

    @strawberry.federation.type(keys=["id", "sku region"])
    class Product:
        id: ID
        sku: str
        region: str
        name: str | None

        @classmethod
        def resolve_reference(cls, id: str | None = None, sku: str | None = None,
                              region: str | None = None) -> "Product | None":
            for key, (s, r, name) in PRODUCTS.items():
                if key == id or (s, r) == (sku, region):
                    return cls(id=ID(key), sku=s, region=r, name=name)
            return None

    @strawberry.federation.type(keys=["code location { aisle }"])
    class Shelf:
        code: str
        location: Location
        label: str

    @strawberry.type
    class Query:
        @strawberry.field
        def products(self) -> list[Product]:
            return [Product.resolve_reference(id=key) for key in PRODUCTS]  # type: ignore[misc]

        @strawberry.field
        def shelves(self) -> list[Shelf]:
            return [Shelf(code="A", location=Location(aisle=3, bay=1), label="Kettles")]

    return strawberry.federation.Schema(query=Query, types=[Product, Shelf])


def stock() -> strawberry.federation.Schema:
    @strawberry.federation.type(shareable=True)
    class Location:
        aisle: int

    @strawberry.federation.type(keys=["id"])
    class Product:
        id: ID
        in_stock: bool | None

        @classmethod
        def resolve_reference(cls, id: str) -> "Product | None":
            return cls(id=ID(id), in_stock=STOCK[id]) if id in STOCK else None

    @strawberry.federation.type(keys=["code location { aisle }"])
    class Shelf:
        code: str
        location: Location
        capacity: int

        @classmethod
        def resolve_reference(cls, code: str, location: dict[str, Any]) -> "Shelf":
            return cls(code=code, location=Location(aisle=location["aisle"]), capacity=10 * location["aisle"])

    @strawberry.type
    class Query:
        stock_checked: bool = True

    return strawberry.federation.Schema(query=Query, types=[Product, Shelf])


def ratings() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["sku region"])
    class Product:
        sku: str
        region: str
        stars: int | None

        @classmethod
        def resolve_reference(cls, sku: str, region: str) -> "Product":
            return cls(sku=sku, region=region, stars=STARS.get((sku, region)))

    @strawberry.type
    class Query:
        ratings_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Product])


def offers() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=[Key(fields="id", resolvable=False)])
    class Product:
        id: ID

    @strawberry.type
    class Offer:
        price: float
        product: Product

    @strawberry.type
    class Query:
        @strawberry.field
        def offers(self) -> list[Offer]:
            return [Offer(price=20.0, product=Product(id=ID("p1"))), Offer(price=5.0, product=Product(id=ID("p404")))]

    return strawberry.federation.Schema(query=Query, types=[Product])


# --- override -----------------------------------------------------------------------------------


def legacy() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        name: str
        points: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Member":
            return cls(id=ID(id), name="Ada", points=1)

    @strawberry.type
    class Query:
        @strawberry.field
        def member(self, id: ID) -> Member:
            return Member.resolve_reference(id)

    return strawberry.federation.Schema(query=Query, types=[Member])


def modern() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        points: int = strawberry.federation.field(override="legacy")

        @classmethod
        def resolve_reference(cls, id: str) -> "Member":
            return cls(id=ID(id), points=100)

    @strawberry.type
    class Query:
        modern_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Member])


# --- inaccessible --------------------------------------------------------------------------------


def vault() -> strawberry.federation.Schema:
    @strawberry.enum
    class Tier(Enum):
        GOLD = "gold"
        SILVER = "silver"
        HIDDEN = strawberry.federation.enum_value("hidden", inaccessible=True)

    @strawberry.federation.type(inaccessible=True)
    class Internal:
        x: int

    @strawberry.input
    class Filter:
        name: str | None = None
        hidden_flag: bool | None = strawberry.federation.field(default=None, inaccessible=True)

    @strawberry.federation.type(keys=["id"])
    class Member:
        id: ID
        name: str
        secret: str = strawberry.federation.field(inaccessible=True)

    @strawberry.federation.type(keys=["code"])
    class Badge:
        code: str = strawberry.federation.field(inaccessible=True)
        title: str

    @strawberry.type
    class Query:
        @strawberry.field
        def member(self) -> Member:
            return Member(id=ID("1"), name="Ada", secret="s3cr3t")

        @strawberry.field
        def tiers(self, filter: Filter | None = None) -> list[Tier]:
            return [Tier.GOLD, Tier.SILVER]

        @strawberry.federation.field(inaccessible=True)
        def internal(self) -> Internal:
            return Internal(x=1)

        @strawberry.field
        def badge(self) -> Badge:
            return Badge(code="PDSA-1", title="First test of change")

    return strawberry.federation.Schema(query=Query, types=[Member, Badge, Internal])


def awards() -> strawberry.federation.Schema:
    @strawberry.federation.type(keys=["code"])
    class Badge:
        code: str = strawberry.federation.field(inaccessible=True)
        points: int

        @classmethod
        def resolve_reference(cls, code: str) -> "Badge":
            return cls(code=code, points=len(code))

    @strawberry.type
    class Query:
        awards_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Badge])


# --- @interfaceObject and entity interfaces ---------------------------------------------------------


def accounts() -> strawberry.federation.Schema:
    @strawberry.federation.interface(keys=["id"])
    class Account:
        id: ID
        name: str

    @strawberry.federation.type(keys=["id"])
    class Admin(Account):
        level: int

    @strawberry.federation.type(keys=["id"])
    class Guest(Account):
        expires: str

    @strawberry.type
    class Query:
        @strawberry.field
        def accounts(self) -> list[Account]:
            return [Admin(id=ID("a1"), name="Asha", level=3), Guest(id=ID("g1"), name="Gil", expires="2027-01")]

    return strawberry.federation.Schema(query=Query, types=[Admin, Guest])


def billing() -> strawberry.federation.Schema:
    @strawberry.federation.interface_object(keys=["id"])
    class Account:
        id: ID
        balance: int

        @classmethod
        def resolve_reference(cls, id: str) -> "Account":
            return cls(id=ID(id), balance={"a1": 50, "g1": 0}[id])

    @strawberry.type
    class Query:
        billing_ready: bool = True

    return strawberry.federation.Schema(query=Query, types=[Account])


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

    Content = Annotated[Article | Photo, strawberry.union("Content")]

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


SUBGRAPHS = {
    "catalog": catalog, "stock": stock, "ratings": ratings, "offers": offers, "legacy": legacy,
    "modern": modern, "vault": vault, "awards": awards, "accounts": accounts, "billing": billing,
    "people": people, "posts": posts, "articles": articles, "warehouse": warehouse, "shipping": shipping,
    "fast": fast, "slow": slow, "left": left, "right": right,
}


def create_app() -> FastAPI:
    """The subgraph named by CONFORMANCE_SUBGRAPH, at /graphql."""
    name = os.environ["CONFORMANCE_SUBGRAPH"]
    app = FastAPI(title=name)
    app.include_router(GraphQLRouter(SUBGRAPHS[name]()), prefix="/graphql")
    return app
