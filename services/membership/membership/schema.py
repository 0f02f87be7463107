"""Membership subgraph: organisations (and, as the service grows, members)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import strawberry
from servicekit.errors import InvalidInput
from servicekit.graphql import RequestContext, subgraph_extensions
from servicekit.pagination import Connection, build_connection, decode_cursor, page_size
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from membership import domain, service
from membership.repository import OrganisationRepository


class Context(RequestContext):
    """Request context with this request's DataLoaders (one batched query per entity type)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.organisation_loader: DataLoader[UUID, domain.Organisation | None] = DataLoader(
            self._load_organisations
        )

    async def _load_organisations(self, ids: list[UUID]) -> list[domain.Organisation | None]:
        async with self.reading() as session:
            found = await OrganisationRepository(session).list_many(ids)
        return [found.get(organisation_id) for organisation_id in ids]


MemberInfo = Info[Context, None]

OrganisationKind = strawberry.enum(
    domain.OrganisationKind, description="What kind of organisation this is in health and care."
)


def parse_id(value: strawberry.ID, *, field: str = "id") -> UUID:
    try:
        return UUID(str(value))
    except ValueError as error:
        raise InvalidInput("That id is not in the right format.", field=field) from error


@strawberry.federation.type(keys=["id"], description="An organisation taking part in the network.")
class Organisation:
    id: strawberry.ID = strawberry.field(description="Stable identifier of the organisation.")
    name: str = strawberry.field(description="The organisation's name.")
    kind: OrganisationKind = strawberry.field(description="The kind of organisation.")
    region: str = strawberry.field(description="The region it serves.")
    joined_network_at: str = strawberry.field(description="When it joined the network (ISO 8601, UTC).")

    @classmethod
    def from_domain(cls, organisation: domain.Organisation) -> Organisation:
        return cls(
            id=strawberry.ID(str(organisation.id)),
            name=organisation.name,
            kind=organisation.kind,
            region=organisation.region,
            joined_network_at=organisation.joined_network_at.isoformat(),
        )

    @classmethod
    async def resolve_reference(cls, info: MemberInfo, id: strawberry.ID) -> Organisation | None:
        organisation = await info.context.organisation_loader.load(parse_id(id))
        return cls.from_domain(organisation) if organisation else None


@strawberry.input(description="A new organisation joining the network.")
class RegisterOrganisationInput:
    name: str = strawberry.field(description=f"Its name (at most {domain.NAME_MAX} characters).")
    kind: OrganisationKind = strawberry.field(description="The kind of organisation.")
    region: str = strawberry.field(description=f"The region it serves (at most {domain.REGION_MAX} characters).")


@strawberry.type(description="The result of registering an organisation.")
class RegisterOrganisationPayload:
    organisation: Organisation = strawberry.field(description="The organisation now in the network.")


@strawberry.type
class Query:
    @strawberry.field(description="Organisations in the network, by name. Visible to everyone.")
    async def organisations(
        self,
        info: MemberInfo,
        first: int | None = strawberry.UNSET,
        after: str | None = strawberry.UNSET,
    ) -> Connection[Organisation]:
        limit = page_size(first or None)
        cursor = decode_cursor(after or None)
        position = (str(cursor[0]), parse_id(cursor[1], field="after")) if cursor else None
        async with info.context.reading() as session:
            found = await OrganisationRepository(session).list_page(after=position, limit=limit + 1)
        return build_connection(
            found,
            limit=limit,
            cursor_of=lambda organisation: (organisation.name, organisation.id),
            to_node=Organisation.from_domain,
        )

    @strawberry.field(description="One organisation by its id, or null if there is none.")
    async def organisation(self, info: MemberInfo, id: strawberry.ID) -> Organisation | None:
        return await Organisation.resolve_reference(info, id)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Add an organisation to the network. Network administrators only.")
    async def register_organisation(
        self, info: MemberInfo, input: RegisterOrganisationInput
    ) -> RegisterOrganisationPayload:
        async with info.context.transaction() as session:
            organisation = await service.register_organisation(
                session,
                info.context.principal,
                name=input.name,
                kind=input.kind,
                region=input.region,
            )
        return RegisterOrganisationPayload(organisation=Organisation.from_domain(organisation))


def build_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=Query,
        mutation=Mutation,
        extensions=subgraph_extensions(),
    )
