"""Organisation queries."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.organisations import OrganisationNotFound
from membership.models import OrganisationRow


def _organisation(row: OrganisationRow) -> domain.Organisation:
    return domain.Organisation(
        id=row.id,
        name=row.name,
        kind=domain.OrganisationKind(row.kind),
        region=row.region,
        joined_network_at=row.joined_network_at,
    )


class OrganisationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, organisation: domain.Organisation) -> None:
        self.session.add(
            OrganisationRow(
                id=organisation.id,
                name=organisation.name,
                kind=organisation.kind.value,
                region=organisation.region,
                joined_network_at=organisation.joined_network_at,
            )
        )
        await self.session.flush()

    async def find(self, organisation_id: UUID) -> domain.Organisation | None:
        row = await self.session.get(OrganisationRow, organisation_id)
        return _organisation(row) if row else None

    async def get(self, organisation_id: UUID) -> domain.Organisation:
        organisation = await self.find(organisation_id)
        if organisation is None:
            raise OrganisationNotFound("We could not find that organisation.", field="organisationId")
        return organisation

    async def find_by_name(self, name: str) -> domain.Organisation | None:
        row = (
            await self.session.execute(
                select(OrganisationRow).where(func.lower(OrganisationRow.name) == name.lower())
            )
        ).scalar_one_or_none()
        return _organisation(row) if row else None

    async def list_many(self, ids: Sequence[UUID]) -> dict[UUID, domain.Organisation]:
        rows = (await self.session.execute(select(OrganisationRow).where(OrganisationRow.id.in_(ids)))).scalars()
        return {row.id: _organisation(row) for row in rows}

    async def list_page(self, *, after: tuple[str, UUID] | None, limit: int) -> list[domain.Organisation]:
        """Organisations by name then id, starting after the (name, id) cursor."""
        stmt = select(OrganisationRow).order_by(OrganisationRow.name, OrganisationRow.id).limit(limit)
        if after is not None:
            name, last_id = after
            stmt = stmt.where(
                (OrganisationRow.name > name) | ((OrganisationRow.name == name) & (OrganisationRow.id > last_id))
            )
        return [_organisation(row) for row in (await self.session.execute(stmt)).scalars()]
