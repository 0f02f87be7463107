"""Projects subgraph: projects, teams, driver diagrams, PDSA cycles, measures and charts.

Owns `Project @key(id)`; extends membership's `Member` and `Organisation` with their
projects. Visibility is enforced from the caller's token in every path, `_entities` too.
"""

from __future__ import annotations

import strawberry
from servicekit.graphql import subgraph_extensions
from strawberry.tools import merge_types

from projects.schema.context import Context
from projects.schema.entities import Member, Organisation
from projects.schema.impact import ImpactMutations, ImpactQuery
from projects.schema.mutation_projects import ProjectMutations
from projects.schema.mutation_work import WorkMutations
from projects.schema.projects import Project
from projects.schema.query import Query

__all__ = ["Context", "build_schema"]


def build_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=merge_types("Query", (Query, ImpactQuery)),
        mutation=merge_types("Mutation", (ProjectMutations, WorkMutations, ImpactMutations)),
        types=[Project, Member, Organisation],
        extensions=subgraph_extensions(),
    )
