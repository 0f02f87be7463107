"""Small Federation v2 subgraphs, one group per feature, each served as its own process.

`python -m uvicorn tests.conformance.subgraphs:create_app --factory` with CONFORMANCE_SUBGRAPH=<name>
(run from services/gateway). GROUPS says which subgraphs compose together.
"""

import os

from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from .features import FEATURE_GROUPS, FEATURE_SUBGRAPHS
from .directives import awards, legacy, modern, vault
from .interfaces import accounts, billing
from .keys import catalog, offers, ratings, stock
from .provides_requires import articles, people, posts, shipping, warehouse
from .sharing import fast, left, right, slow

GROUPS = {
    "keys": ("catalog", "stock", "ratings", "offers"),
    "override": ("legacy", "modern"),
    "inaccessible": ("vault", "awards"),
    "interface_object": ("accounts", "billing"),
    "provides": ("people", "posts", "articles"),
    "requires": ("warehouse", "shipping"),
    "shareable": ("fast", "slow"),
    "merging": ("left", "right"),
    **FEATURE_GROUPS,
}

SUBGRAPHS = {
    "catalog": catalog, "stock": stock, "ratings": ratings, "offers": offers, "legacy": legacy,
    "modern": modern, "vault": vault, "awards": awards, "accounts": accounts, "billing": billing,
    "people": people, "posts": posts, "articles": articles, "warehouse": warehouse, "shipping": shipping,
    "fast": fast, "slow": slow, "left": left, "right": right,
    **FEATURE_SUBGRAPHS,
}


def create_app() -> FastAPI:
    """The subgraph named by CONFORMANCE_SUBGRAPH, at /graphql."""
    name = os.environ["CONFORMANCE_SUBGRAPH"]
    app = FastAPI(title=name)
    app.include_router(GraphQLRouter(SUBGRAPHS[name]()), prefix="/graphql")
    return app
