"""Membership subgraph: organisations, members and their records (Federation v2)."""

import strawberry
from servicekit.graphql import subgraph_extensions
from strawberry.tools import merge_types

from membership.schema.activity_mutations import ActivityMutations
from membership.schema.context import Context
from membership.schema.member_mutations import MemberMutations
from membership.schema.queries import Query
from membership.schema.shown_to_you import Celebration, Kudos
from membership.schema.types import Member, Organisation

__all__ = ["Context", "Member", "Organisation", "build_schema"]


def build_schema() -> strawberry.federation.Schema:
    mutation = merge_types("Mutation", (MemberMutations, ActivityMutations))
    return strawberry.federation.Schema(query=Query, mutation=mutation, types=[Celebration, Kudos],
                                        extensions=subgraph_extensions())
