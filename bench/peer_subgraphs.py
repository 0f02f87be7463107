"""Two small Strawberry subgraphs for bench/gateway_peers.py: products and reviews.

Deterministic data (40 products, 3 reviews each), parser and validation caches on, so the
subgraphs answer quickly and the gateways in front of them are what is measured. Serve one
with uvicorn: `uvicorn bench.peer_subgraphs:products_app --factory` (or `reviews_app`).
"""

from __future__ import annotations

import gc

import strawberry
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.federation import Schema

PRODUCTS = 40
REVIEWS_EACH = 3


# --- products -----------------------------------------------------------------------------------

@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    name: str
    price: int
    weight: int

    @classmethod
    def resolve_reference(cls, upc: str) -> Product:
        return _product(int(upc.removeprefix("p")))


def _product(number: int) -> Product:
    return Product(upc=f"p{number}", name=f"Product {number}", price=100 + number * 7, weight=number % 9 + 1)


@strawberry.type
class ProductsQuery:
    @strawberry.field
    def top_products(self, first: int = 5, skip: int = 0) -> list[Product]:
        return [_product(n) for n in range(skip, min(skip + first, PRODUCTS))]

    @strawberry.field
    def product(self, upc: str) -> Product | None:
        number = int(upc.removeprefix("p")) if upc.removeprefix("p").isdigit() else -1
        return _product(number) if 0 <= number < PRODUCTS else None


# --- reviews ------------------------------------------------------------------------------------

@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    username: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        return User(id=id, username=f"user{id}")


@strawberry.type
class Review:
    id: strawberry.ID
    body: str
    stars: int
    author: User
    product: ReviewedProduct


@strawberry.federation.type(keys=["upc"], name="Product")
class ReviewedProduct:
    upc: str

    @strawberry.field
    def reviews(self) -> list[Review]:
        number = int(self.upc.removeprefix("p"))
        return [Review(id=strawberry.ID(f"r{number}-{k}"), body=f"Review {k} of product {number}",
                       stars=(number + k) % 5 + 1, author=User(id=strawberry.ID(str((number + k) % 7)),
                                                               username=f"user{(number + k) % 7}"),
                       product=ReviewedProduct(upc=self.upc))
                for k in range(REVIEWS_EACH)]

    @classmethod
    def resolve_reference(cls, upc: str) -> ReviewedProduct:
        return ReviewedProduct(upc=upc)


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def review_count(self) -> int:
        return PRODUCTS * REVIEWS_EACH


def products_app() -> GraphQL:
    schema = Schema(query=ProductsQuery, types=[Product],
                    extensions=[ParserCache, ValidationCache])
    return _frozen(GraphQL(schema, graphql_ide=None))


def reviews_app() -> GraphQL:
    schema = Schema(query=ReviewsQuery, types=[ReviewedProduct, User, Review],
                    extensions=[ParserCache, ValidationCache])
    return _frozen(GraphQL(schema, graphql_ide=None))


def _frozen(app: GraphQL) -> GraphQL:
    """As the network's services do: what exists once the schema is built is exempt from garbage
    collection, so full collections do not walk the schema again and again under load."""
    gc.freeze()
    return app
