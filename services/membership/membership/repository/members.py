"""Member queries, including the visibility filter used by every list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from servicekit.identity import Principal
from servicekit.standing import Standing
from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.consent import Visibility
from membership.domain.members import MemberNotFound
from membership.models import MemberRow


@dataclass(frozen=True, slots=True)
class StoredMember:
    """A member with the visibility stored beside it (kept in step by the service layer)."""

    member: domain.Member
    visibility: Visibility
    involvement_level: domain.InvolvementLevel | None
    reward_preference: domain.RewardPreference | None


def _member(row: MemberRow) -> StoredMember:
    member = domain.Member(
        id=row.id,
        organisation_id=row.organisation_id,
        display_name=row.display_name,
        email=row.email,
        member_type=domain.MemberType(row.member_type),
        network_role=domain.NetworkRole(row.network_role),
        status=domain.MemberStatus(row.status),
        profile_visibility=domain.ProfileVisibility(row.profile_visibility),
        invited_at=row.invited_at,
        invite_code_hash=row.invite_code_hash,
        invite_expires_at=row.invite_expires_at,
        joined_at=row.joined_at,
        interests=tuple(row.interests or ()),
        skills=tuple(row.skills or ()),
        access=domain.AccessPreferences(
            easy_read=row.easy_read,
            large_print=row.large_print,
            interpreter_language=row.interpreter_language,
            phone_contact_preferred=row.phone_contact_preferred,
        ),
        status_changed_at=row.status_changed_at,
    )
    return StoredMember(
        member=member,
        visibility=Visibility(row.visibility),
        involvement_level=domain.InvolvementLevel(row.involvement_level) if row.involvement_level else None,
        reward_preference=domain.RewardPreference(row.reward_preference) if row.reward_preference else None,
    )


def _values(member: domain.Member, visibility: Visibility) -> dict[str, object]:
    return {
        "organisation_id": member.organisation_id,
        "display_name": member.display_name,
        "email": member.email,
        "member_type": member.member_type.value,
        "network_role": member.network_role.value,
        "status": member.status.value,
        "profile_visibility": member.profile_visibility.value,
        "visibility": visibility.value,
        "invited_at": member.invited_at,
        "invite_code_hash": member.invite_code_hash,
        "invite_expires_at": member.invite_expires_at,
        "joined_at": member.joined_at,
        "status_changed_at": member.status_changed_at,
        "interests": list(member.interests),
        "skills": list(member.skills),
        "easy_read": member.access.easy_read,
        "large_print": member.access.large_print,
        "interpreter_language": member.access.interpreter_language,
        "phone_contact_preferred": member.access.phone_contact_preferred,
    }


def VisibleTo(viewer: Principal) -> ColumnElement[bool]:  # noqa: N802 - reads as a filter name
    """SQL form of domain.policy.sees_profile, so lists never load what the caller may not see."""
    if viewer.is_anonymous:
        return false()  # personal data is for signed-in members of the network only
    conditions: list[ColumnElement[bool]] = [MemberRow.visibility == Visibility.NETWORK.value]
    if viewer.member_id is not None:
        conditions.append(MemberRow.id == viewer.member_id)
    if viewer.organisation_id is not None:
        conditions.append(
            and_(MemberRow.organisation_id == viewer.organisation_id,
                 MemberRow.visibility == Visibility.ORGANISATION.value)
        )
        if "coordinator" in viewer.roles:
            conditions.append(MemberRow.organisation_id == viewer.organisation_id)
    return or_(false(), *conditions)


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, member: domain.Member, visibility: Visibility) -> None:
        self.session.add(MemberRow(id=member.id, **_values(member, visibility)))
        await self.session.flush()

    async def save(self, member: domain.Member, visibility: Visibility) -> None:
        row = await self.session.get(MemberRow, member.id, with_for_update=True)
        assert row is not None
        for name, value in _values(member, visibility).items():
            setattr(row, name, value)
        await self.session.flush()

    async def set_involvement(
        self, member_id: UUID, level: domain.InvolvementLevel | None, reward: domain.RewardPreference | None
    ) -> None:
        row = await self.session.get(MemberRow, member_id, with_for_update=True)
        assert row is not None
        row.involvement_level = level.value if level else None
        row.reward_preference = reward.value if reward else None
        await self.session.flush()

    async def find(self, member_id: UUID, *, for_update: bool = False) -> StoredMember | None:
        row = await self.session.get(MemberRow, member_id, with_for_update=for_update)
        return _member(row) if row else None

    async def get(self, member_id: UUID, *, for_update: bool = False) -> StoredMember:
        found = await self.find(member_id, for_update=for_update)
        if found is None:
            raise MemberNotFound("We could not find that member.", field="memberId")
        return found

    async def find_by_invite(self, code_hash: str) -> StoredMember | None:
        row = (
            await self.session.execute(
                select(MemberRow).where(MemberRow.invite_code_hash == code_hash).with_for_update()
            )
        ).scalar_one_or_none()
        return _member(row) if row else None

    async def email_in_use(self, email: str) -> bool:
        found = await self.session.execute(select(MemberRow.id).where(MemberRow.email == email))
        return found.first() is not None

    async def list_many(self, ids: Sequence[UUID]) -> dict[UUID, StoredMember]:
        rows = (await self.session.execute(select(MemberRow).where(MemberRow.id.in_(ids)))).scalars()
        return {row.id: _member(row) for row in rows}

    async def list_page(
        self,
        *,
        organisation_id: UUID,
        viewer: Principal,
        after: tuple[str, UUID] | None,
        limit: int,
        member_type: domain.MemberType | None = None,
    ) -> list[StoredMember]:
        """One organisation's members the viewer may see, by name then id (erased ones left out)."""
        stmt = (
            select(MemberRow)
            .where(MemberRow.organisation_id == organisation_id, VisibleTo(viewer),
                   MemberRow.status != domain.MemberStatus.ERASED.value)
            .order_by(MemberRow.display_name, MemberRow.id)
            .limit(limit)
        )
        if member_type is not None:
            stmt = stmt.where(MemberRow.member_type == member_type.value)
        if after is not None:
            name, last_id = after
            stmt = stmt.where(
                (MemberRow.display_name > name) | ((MemberRow.display_name == name) & (MemberRow.id > last_id))
            )
        return [_member(row) for row in (await self.session.execute(stmt)).scalars()]


async def standing_lookup(session: AsyncSession, member_id: UUID, lock: bool) -> Standing | None:
    """Membership's own word on a member's standing, read from its members table (servicekit.standing)."""
    query = select(MemberRow.organisation_id, MemberRow.status, MemberRow.network_role).where(MemberRow.id == member_id)
    row = (await session.execute(query.with_for_update(read=True) if lock else query)).first()
    return None if row is None else Standing(row.organisation_id, row.status, row.network_role)
