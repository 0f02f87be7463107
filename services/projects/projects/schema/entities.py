"""Entities owned by membership that projects extends with each one's projects."""

from __future__ import annotations

import strawberry
from servicekit.pagination import Connection, build_connection

from projects.domain.people import member_shown
from projects.schema.common import (
    PAGE,
    After,
    First,
    ProjectsInfo,
    parse_id,
    parse_page,
    project_cursor,
)
from projects.schema.enums import RuleSetName
from projects.schema.projects import Project


@strawberry.federation.type(
    keys=["id"], description="A member of the network (a 'hero'), owned by membership."
)
class Member:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the member.")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Member:
        return cls(id=id)

    @strawberry.field(
        description="Projects the member is on the team of now, that you may see; newest first. Empty when "
        "you may not see the member.",
        directives=[PAGE],
    )
    async def projects(
        self, info: ProjectsInfo, first: First = None, after: After = None
    ) -> Connection[Project]:
        page = parse_page(first, after)
        member_id = parse_id(self.id)
        seen = await info.context.member_seen.load(member_id)
        if not member_shown(info.context.principal, member_id, seen):
            return build_connection([], limit=page.limit - 1, cursor_of=project_cursor,
                                    to_node=lambda p: Project.from_domain(p, info))
        found = await info.context.member_projects.load((member_id, page))
        return build_connection(
            found,
            limit=page.limit - 1,
            cursor_of=project_cursor,
            to_node=lambda p: Project.from_domain(p, info),
        )


@strawberry.federation.type(
    keys=["id"], description="An organisation in the network, owned by membership."
)
class Organisation:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the organisation.")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Organisation:
        return cls(id=id)

    @strawberry.field(description="Projects the organisation owns, that you may see; newest first.",
                      directives=[PAGE])
    async def projects(
        self, info: ProjectsInfo, first: First = None, after: After = None
    ) -> Connection[Project]:
        page = parse_page(first, after)
        found = await info.context.organisation_projects.load((parse_id(self.id), page))
        return build_connection(
            found,
            limit=page.limit - 1,
            cursor_of=project_cursor,
            to_node=lambda p: Project.from_domain(p, info),
        )

    @strawberry.field(
        description="The rule set its measures' charts use unless a measure chooses another."
    )
    async def default_rule_set(self, info: ProjectsInfo) -> RuleSetName:
        return await info.context.rule_sets.load(parse_id(self.id))
