"""Membership queries."""

from __future__ import annotations

import strawberry
from servicekit.pagination import Connection, build_connection, page_size

from membership import domain, service
from membership.repository import LearningRepository, OrganisationRepository
from membership.schema.context import MemberInfo
from membership.schema.enums import MemberType
from membership.schema.types import (
    PAGE,
    LevelDescription,
    Member,
    Organisation,
    TrainingModule,
    after_name_cursor,
    load_visible_member,
    parse_id,
)


@strawberry.type(description="Pulse results of one organisation for one month (groups of 5 or more only).")
class PulseMonth:
    month: str = strawberry.field(description="The month, as YYYY-MM.")
    responses: int = strawberry.field(description="How many members answered.")
    averages: list[float] = strawberry.field(
        description="Average answer (1 to 5) for each pulse statement, in the order of `pulseStatements`."
    )


@strawberry.type
class Query:
    @strawberry.field(description="You, the signed-in member. Null when not signed in.")
    async def me(self, info: MemberInfo) -> Member | None:
        member_id = info.context.principal.member_id
        return await load_visible_member(info, member_id) if member_id else None

    @strawberry.field(description="One member by id, or null if there is none or you may not see them.")
    async def member(self, info: MemberInfo, id: strawberry.ID) -> Member | None:
        return await load_visible_member(info, parse_id(id))

    @strawberry.field(description="Members of an organisation you may see, by name.", directives=[PAGE])
    async def members(
        self,
        info: MemberInfo,
        organisation_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        member_type: MemberType | None = None,
    ) -> Connection[Member]:
        organisation = await Organisation.resolve_reference(info, strawberry.ID(str(parse_id(organisation_id))))
        if organisation is None:
            return build_connection([], limit=page_size(first), cursor_of=lambda m: (), to_node=Member.of)
        # Organisation.members's decorator hides its type from mypy: say what it returns.
        page: Connection[Member] = await organisation.members(info, first=first, after=after, member_type=member_type)
        return page

    @strawberry.field(description="Organisations in the network, by name. Visible to everyone.",
                      directives=[PAGE])
    async def organisations(
        self, info: MemberInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Organisation]:
        limit = page_size(first)
        async with info.context.reading() as session:
            found = await OrganisationRepository(session).list_page(after=after_name_cursor(after), limit=limit + 1)
        return build_connection(found, limit=limit, cursor_of=lambda o: (o.name, o.id),
                                to_node=Organisation.from_domain)

    @strawberry.field(description="One organisation by id, or null if there is none.")
    async def organisation(self, info: MemberInfo, id: strawberry.ID) -> Organisation | None:
        return await Organisation.resolve_reference(info, id)

    @strawberry.field(description="Training modules: the network catalogue plus, when given, an organisation's own.")
    async def training_modules(
        self, info: MemberInfo, organisation_id: strawberry.ID | None = None
    ) -> list[TrainingModule]:
        organisation = parse_id(organisation_id, field="organisationId") if organisation_id else None
        async with info.context.reading() as session:
            modules = await LearningRepository(session).modules_for(organisation)
        return [TrainingModule.of(module) for module in modules]

    @strawberry.field(description="The three learning levels and what each means.")
    def learning_levels(self) -> list[LevelDescription]:
        return LevelDescription.all()

    @strawberry.field(
        description="The pulse statements, each answered from 1 (strongly disagree) to 5 (strongly agree)."
    )
    def pulse_statements(self) -> list[str]:
        return list(domain.PULSE_ITEMS)

    @strawberry.field(
        description="An organisation's pulse results by month. Months with fewer than 5 answers are left "
        "out so nobody can be identified. For the organisation's coordinators."
    )
    async def pulse_results(
        self, info: MemberInfo, organisation_id: strawberry.ID, months: list[str]
    ) -> list[PulseMonth]:
        async with info.context.reading() as session:
            summaries = await service.pulse_results(
                session, info.context.principal, organisation_id=parse_id(organisation_id, field="organisationId"),
                months=months,
            )
        return [PulseMonth(month=s.month, responses=s.responses, averages=list(s.averages)) for s in summaries]
