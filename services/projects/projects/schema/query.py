"""Root query fields of the projects subgraph."""

from __future__ import annotations

import re
from typing import Annotated

import strawberry
from servicekit.errors import InvalidInput
from servicekit.pagination import Connection, build_connection, decode_cursor
from strawberry.federation.schema_directives import ListSize

from projects import domain, search, spc
from projects.repository import ProjectRepository
from projects.repository.projects import ProjectFilter as Filter
from projects.schema.charts import RuleSetDescription
from projects.schema.common import (
    PAGE,
    After,
    First,
    ProjectsInfo,
    parse_id,
    parse_page,
    project_cursor,
)
from projects.schema.inputs import ProjectFilter
from projects.schema.projects import Project, SimilarProject, StageDescription

SIMILAR_MAX, SIMILAR_DEFAULT = 50, 10
# The gateway refuses `first` above SIMILAR_MAX and costs the page's edges by `first` (@listSize).
SIMILAR = ListSize(assumed_size=SIMILAR_MAX, slicing_arguments=["first"], sized_fields=["edges"],
                   require_one_slicing_argument=False)


def similar_offset(after: str | None) -> int:
    """Where in the ranking a page starts: just after the place the cursor names."""
    values = decode_cursor(after)
    if values is None:
        return 0
    if len(values) != 1 or not isinstance(values[0], int) or values[0] < 0:
        raise InvalidInput("That page cursor is not valid. Start again from the first page.", field="after")
    return values[0] + 1


@strawberry.type
class Query:
    @strawberry.field(description="Every project stage, in order, with what it means.")
    def project_stages(self) -> list[StageDescription]:
        return [
            StageDescription(stage=stage, meaning=domain.STAGE_MEANINGS[stage])
            for stage in domain.Stage
        ]

    @strawberry.field(description="The rule sets for reading charts, each rule in plain words.")
    def rule_sets(self) -> list[RuleSetDescription]:
        return [RuleSetDescription.from_spc(rule_set) for rule_set in spc.RULE_SETS.values()]

    @strawberry.field(description="One project by id; null if there is none or you may not see it.")
    async def project(
        self,
        info: ProjectsInfo,
        id: Annotated[strawberry.ID, strawberry.argument(description="The project's id.")],
    ) -> Project | None:
        return await Project.resolve_reference(info, id)

    @strawberry.field(description="Projects you may see, newest first, optionally filtered.", directives=[PAGE])
    async def projects(
        self,
        info: ProjectsInfo,
        filter: Annotated[
            ProjectFilter | None, strawberry.argument(description="Narrow the list.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Project]:
        page = parse_page(first, after)
        filters = Filter()
        if filter is not None:
            filters = Filter(
                organisation_id=parse_id(filter.organisation_id, field="organisationId")
                if filter.organisation_id
                else None,
                stages=tuple(filter.stages or ()),
                theme=filter.theme,
                big_i=filter.big_i,
            )
        async with info.context.reading() as session:
            found = await ProjectRepository(session).page(info.context.principal, filters, page)
        return build_connection(
            found,
            limit=page.limit - 1,
            cursor_of=project_cursor,
            to_node=lambda p: Project.from_domain(p, info),
        )

    @strawberry.field(
        description=(
            "Find existing projects like a new idea before starting one ('don't reinvent the wheel'): "
            "network-wide projects of every organisation, plus others you may see, best match first."
        ),
        directives=[SIMILAR],
    )
    async def similar_projects(
        self,
        info: ProjectsInfo,
        text: Annotated[
            str,
            strawberry.argument(
                description="Your idea, in a few words or sentences (3 to 500 characters)."
            ),
        ],
        first: Annotated[
            int | None, strawberry.argument(description="How many to return: 1 to 50 (10 if left out).")
        ] = None,
        after: After = None,
    ) -> Connection[SimilarProject]:
        cleaned = " ".join(text.split())
        if not domain.SEARCH_TEXT_MIN <= len(cleaned) <= domain.SEARCH_TEXT_MAX:
            raise InvalidInput(
                f"Describe the idea in {domain.SEARCH_TEXT_MIN} to {domain.SEARCH_TEXT_MAX} characters.",
                field="text",
            )
        size = SIMILAR_DEFAULT if first is None else first
        if not 1 <= size <= SIMILAR_MAX:
            raise InvalidInput(f"Ask for between 1 and {SIMILAR_MAX} projects.", field="first")
        offset = similar_offset(after)
        words = search.tsquery_terms(cleaned)
        found: list[tuple[domain.Project, float]] = []
        if words or re.search(r"\w", cleaned):
            async with info.context.reading() as session:
                found = await ProjectRepository(session).similar(
                    info.context.principal, cleaned, words, size + 1, offset=offset
                )
        # Ranked by closeness, so a cursor is a place in that ranking.
        return build_connection(
            [(offset + rank, project, score) for rank, (project, score) in enumerate(found)],
            limit=size,
            cursor_of=lambda item: [item[0]],
            to_node=lambda item: SimilarProject(project=Project.from_domain(item[1], info), score=round(item[2], 4)),
        )
