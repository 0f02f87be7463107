"""Conformance subgraphs: Compound, several and nested keys, resolvable: false references, missing entities."""

from typing import Any

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

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
    @strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
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
