"""The network's first administrator: created once by the operator, with database access.

Every token is honoured only for a real member that membership knows (servicekit.standing), so
a new network needs one network administrator before anyone can add organisations through the
API. This use case creates the host organisation (if new) and that administrator as an active
member, through the same use cases (and events) as everyone else.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from servicekit.identity import NETWORK_ADMIN, Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.repository import MemberRepository, OrganisationRepository
from membership.service.members import invite_member, join_network
from membership.service.organisations import register_organisation

# Acts for the operator only inside this use case; it is no member and no token names it.
OPERATOR = Principal(member_id=uuid5(UUID(int=0), "membership:operator"), roles=frozenset({NETWORK_ADMIN}))


async def bootstrap_network_admin(
    session: AsyncSession,
    *,
    organisation_name: str,
    kind: domain.OrganisationKind,
    region: str,
    display_name: str,
    email: str,
    organisation_id: UUID | None = None,
    member_id: UUID | None = None,
) -> tuple[UUID, UUID]:
    """Create (or keep) the host organisation and an active network administrator in it; returns
    (organisation id, member id). Running it again with the same ids changes nothing."""
    if organisation_id is None or await OrganisationRepository(session).find(organisation_id) is None:
        organisation = await register_organisation(
            session, OPERATOR, name=organisation_name, kind=kind, region=region, organisation_id=organisation_id)
        organisation_id = organisation.id
    if member_id is not None and await MemberRepository(session).find(member_id) is not None:
        return organisation_id, member_id
    member, code = await invite_member(
        session, OPERATOR, organisation_id=organisation_id, display_name=display_name, email=email,
        member_type=domain.MemberType.STAFF_NON_CLINICAL, network_role=domain.NetworkRole.NETWORK_ADMIN,
        member_id=member_id)
    await join_network(session, invite_code=code, display_name=None,
                       profile_visibility=domain.ProfileVisibility.ORGANISATION)
    return organisation_id, member.id
