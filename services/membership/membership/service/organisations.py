"""Adding organisations to the network."""

from __future__ import annotations

from uuid import UUID

from servicekit import outbox
from servicekit.errors import NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.organisations import OrganisationAlreadyExists
from membership.events import OrganisationRegistered
from membership.repository import OrganisationRepository
from membership.service.common import utcnow


async def register_organisation(
    session: AsyncSession,
    principal: Principal,
    *,
    name: str,
    kind: domain.OrganisationKind,
    region: str,
    organisation_id: UUID | None = None,
) -> domain.Organisation:
    """Add an organisation to the network (network admins only); queues OrganisationRegistered."""
    if not principal.is_network_admin:
        raise NotAllowed("Only a network administrator can add an organisation to the network.")
    organisations = OrganisationRepository(session)
    organisation = domain.Organisation.register(name=name, kind=kind, region=region, now=utcnow(), id=organisation_id)
    # The unique index on lower(name) is the real guard; this gives a clean error.
    if await organisations.find_by_name(organisation.name) is not None:
        raise OrganisationAlreadyExists("An organisation with that name is already in the network.", field="name")
    await organisations.add(organisation)
    await outbox.add(
        session,
        OrganisationRegistered(
            organisation_id=organisation.id, kind=organisation.kind.value,
            joined_network_at=organisation.joined_network_at,
        ),
        key=organisation.id,
    )
    return organisation
