"""Inviting, joining, profiles, status changes and erasure of members."""

from __future__ import annotations

from uuid import UUID

from servicekit import outbox
from servicekit.errors import NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain import policy
from membership.domain.consent import Visibility
from membership.domain.members import EmailAlreadyInvited, InviteNotFound, hash_invite_code
from membership.events import (
    MemberErased,
    MemberInvited,
    MemberJoined,
    MemberRoleChanged,
    MemberStatusChanged,
    PairingEnded,
)
from membership.repository import (
    ConsentRepository,
    InvolvementRepository,
    MemberRepository,
    OrganisationRepository,
    PairingRepository,
    PulseRepository,
)
from membership.repository.members import StoredMember
from membership.service.common import save_member, utcnow

# Roles a coordinator may hand out; only network administrators create administrators.
COORDINATOR_GRANTABLE = frozenset({domain.NetworkRole.HERO, domain.NetworkRole.COORDINATOR, domain.NetworkRole.SPONSOR})


async def invite_member(
    session: AsyncSession,
    principal: Principal,
    *,
    organisation_id: UUID,
    display_name: str,
    email: str,
    member_type: domain.MemberType,
    network_role: domain.NetworkRole,
    member_id: UUID | None = None,
) -> tuple[domain.Member, str]:
    """Invite someone to an organisation; returns the member and the one-time invite code."""
    principal.require_member()
    if not (principal.is_coordinator_of(organisation_id) or principal.is_network_admin):
        raise NotAllowed("Only a coordinator of that organisation can invite people to it.")
    if network_role not in COORDINATOR_GRANTABLE and not principal.is_network_admin:
        raise NotAllowed("Only a network administrator can invite another network administrator.")
    await OrganisationRepository(session).get(organisation_id)
    now = utcnow()
    member, code = domain.Member.invite(
        organisation_id=organisation_id, display_name=display_name, email=email, member_type=member_type,
        network_role=network_role, now=now, id=member_id,
    )
    members = MemberRepository(session)
    # The unique index on members.email is the real guard; this gives a clean error.
    if await members.email_in_use(member.email or ""):
        raise EmailAlreadyInvited("Someone with that email address is already a member or invited.", field="email")
    await members.add(member, Visibility.HIDDEN)
    await outbox.add(
        session,
        MemberInvited(
            member_id=member.id, organisation_id=organisation_id, member_type=member_type.value,
            network_role=network_role.value, invited_at=now,
        ),
        key=member.id,
    )
    return member, code


async def join_network(
    session: AsyncSession,
    *,
    invite_code: str,
    display_name: str | None,
    profile_visibility: domain.ProfileVisibility,
) -> domain.Member:
    """Accept an invite with its code; queues MemberJoined with where the member may be shown."""
    stored = await MemberRepository(session).find_by_invite(hash_invite_code(invite_code))
    if stored is None:
        raise InviteNotFound(
            "That invite code is not valid. Please check it, or ask for a new one.", field="inviteCode"
        )
    now = utcnow()
    member = stored.member.join(now=now, display_name=display_name, profile_visibility=profile_visibility)
    visibility = await save_member(session, member, previous=None, now=now)
    await outbox.add(
        session,
        MemberJoined(
            member_id=member.id, organisation_id=member.organisation_id, member_type=member.member_type.value,
            network_role=member.network_role.value, visibility=visibility, joined_at=now,
        ),
        key=member.id,
    )
    return member


async def update_profile(
    session: AsyncSession,
    principal: Principal,
    *,
    member_id: UUID | None,
    display_name: str | None = None,
    profile_visibility: domain.ProfileVisibility | None = None,
    interests: list[str] | None = None,
    skills: list[str] | None = None,
    access: domain.AccessPreferences | None = None,
) -> domain.Member:
    """Change a profile: the member themself, or a coordinator of their organisation."""
    stored = await MemberRepository(session).get(member_id or principal.require_member(), for_update=True)
    policy.require_self_or_coordinator(principal, stored.member, "change this profile")
    member = stored.member.update_profile(
        display_name=display_name, profile_visibility=profile_visibility, interests=interests, skills=skills,
        access=access,
    )
    await save_member(session, member, previous=stored.visibility, now=utcnow())
    return member


async def change_status(
    session: AsyncSession, principal: Principal, *, member_id: UUID, status: domain.MemberStatus
) -> domain.Member:
    """Pause, leave or reactivate. Members may pause or leave themselves; coordinators do the rest."""
    if status is domain.MemberStatus.ERASED:
        raise NotAllowed("Use eraseMember to erase a member's personal data.")
    stored = await MemberRepository(session).get(member_id, for_update=True)
    member = stored.member
    self_service = principal.member_id == member.id and status in (domain.MemberStatus.PAUSED, domain.MemberStatus.LEFT)
    if not self_service:
        policy.require_manager(principal, member, "change a member's status")
    now = utcnow()
    changed = member.change_status(status, now=now)
    await save_member(session, changed, previous=stored.visibility, now=now)
    await outbox.add(
        session,
        MemberStatusChanged(
            member_id=member.id, organisation_id=member.organisation_id, previous_status=member.status.value,
            status=changed.status.value, changed_at=now,
        ),
        key=member.id,
    )
    return changed


async def erase_member(session: AsyncSession, principal: Principal, *, member_id: UUID) -> StoredMember:
    """Remove a member's personal data for good, keeping an anonymous id and counts.

    Names, email, free text, consents, preferences and pulse submissions go;
    minutes, dates and completions stay. Queues MemberErased so other services
    drop what they hold about this member.
    """
    members = MemberRepository(session)
    stored = await members.get(member_id, for_update=True)
    policy.require_self_or_coordinator(principal, stored.member, "erase this member")
    now = utcnow()
    erased = stored.member.erased(now=now)
    await ConsentRepository(session).erase(member_id)
    await InvolvementRepository(session).erase_text(member_id)
    pairings = PairingRepository(session)
    await pairings.erase_notes_involving(member_id)
    for pairing in await pairings.for_member(member_id):  # no live relationship may name them
        if pairing.is_active:
            ended = pairing.end(now=now)
            await pairings.save_ended(ended)
            await outbox.add(session, PairingEnded(pairing_id=ended.id, ended_at=now), key=ended.id)
    await PulseRepository(session).erase_submissions(member_id)
    await members.set_involvement(member_id, None, None)
    visibility = await save_member(session, erased, previous=stored.visibility, now=now)
    await outbox.add(
        session,
        MemberErased(member_id=member_id, organisation_id=erased.organisation_id, erased_at=now),
        key=member_id,
    )
    return StoredMember(member=erased, visibility=visibility, involvement_level=None, reward_preference=None)


async def change_network_role(
    session: AsyncSession, principal: Principal, *, member_id: UUID, network_role: domain.NetworkRole
) -> domain.Member:
    """Give a member another network role. Coordinators may move their organisation's members
    between hero, coordinator and sponsor; only network administrators touch administrators.
    Queues MemberRoleChanged: every service stops honouring the old role within a second."""
    stored = await MemberRepository(session).get(member_id, for_update=True)
    member = stored.member
    policy.require_manager(principal, member, "change a member's role")
    if not principal.is_network_admin and (
            network_role not in COORDINATOR_GRANTABLE or member.network_role not in COORDINATOR_GRANTABLE):
        raise NotAllowed("Only a network administrator can make or unmake a network administrator.")
    if member.network_role is network_role:
        return member
    changed = member.with_role(network_role)
    now = utcnow()
    await save_member(session, changed, previous=stored.visibility, now=now)
    await outbox.add(
        session,
        MemberRoleChanged(member_id=member.id, organisation_id=member.organisation_id,
                          network_role=network_role.value, changed_at=now),
        key=member.id,
    )
    return changed
