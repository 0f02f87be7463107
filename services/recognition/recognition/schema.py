"""Recognition subgraph (grows with issue #5)."""

from __future__ import annotations

import strawberry
from servicekit.graphql import subgraph_extensions

from recognition import domain


@strawberry.type
class Query:
    @strawberry.field(description="The most characters a thank-you (kudos) message may have.")
    def kudos_message_limit(self) -> int:
        return domain.KUDOS_MESSAGE_MAX


def build_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=Query, extensions=subgraph_extensions()
    )
