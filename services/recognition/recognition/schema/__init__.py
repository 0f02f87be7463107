"""Recognition subgraph: badges, kudos, nominations, celebrations; extends Member and Project."""

from __future__ import annotations

import strawberry
from servicekit.graphql import subgraph_extensions

from recognition.schema.context import Context
from recognition.schema.mutations import Mutation
from recognition.schema.queries import Query, Subscription
from recognition.schema.types import Member, Project

__all__ = ["Context", "build_schema"]


def build_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Member, Project],
        extensions=subgraph_extensions(),
    )
