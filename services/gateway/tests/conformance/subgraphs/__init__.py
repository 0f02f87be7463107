"""Small Federation v2 subgraphs, one group per feature, all served by one process.

`python -m uvicorn tests.conformance.subgraphs:create_all_app --factory` (run from services/gateway)
serves every subgraph at /<name>/graphql; `create_app` with CONFORMANCE_SUBGRAPH=<name> serves one
at /graphql. GROUPS says which subgraphs compose together.
"""

import os

from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from .directives import awards, legacy, modern, vault
from .features import FEATURE_GROUPS, FEATURE_SUBGRAPHS
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


def subgraph_path(name: str) -> str:
    """Where `create_all_app` serves the subgraph `name`."""
    return f"/{name}/graphql"


def create_all_app() -> FastAPI:
    """Every subgraph in SUBGRAPHS, each at its own `subgraph_path`."""
    app = FastAPI(title="conformance subgraphs")
    for name, schema in SUBGRAPHS.items():
        app.include_router(GraphQLRouter(schema()), prefix=subgraph_path(name))
    return app


def create_app() -> FastAPI:
    """The subgraph named by CONFORMANCE_SUBGRAPH, at /graphql."""
    name = os.environ["CONFORMANCE_SUBGRAPH"]
    app = FastAPI(title=name)
    app.include_router(GraphQLRouter(SUBGRAPHS[name]()), prefix="/graphql")
    return app
