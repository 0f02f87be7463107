"""Projects subgraph (grows with issue #4)."""

from __future__ import annotations

import strawberry
from servicekit.graphql import subgraph_extensions

from projects import domain

ProjectStage = strawberry.enum(domain.Stage, description="Where an improvement project is in its life.")


@strawberry.type(description="A project stage with its meaning in plain English.")
class StageDescription:
    stage: ProjectStage = strawberry.field(description="The stage.")
    meaning: str = strawberry.field(description="What this stage means, in plain English.")


@strawberry.type
class Query:
    @strawberry.field(description="Every project stage, in order, with what it means.")
    def project_stages(self) -> list[StageDescription]:
        return [StageDescription(stage=stage, meaning=domain.STAGE_MEANINGS[stage]) for stage in domain.Stage]


def build_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=Query, extensions=subgraph_extensions()
    )
