"""Involvement level and the log of time members give, with how they want to be thanked."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from servicekit import outbox
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain import policy
from membership.events import InvolvementLevelSet, InvolvementLogged
from membership.repository import InvolvementRepository, MemberRepository
from membership.service.common import utcnow


async def set_involvement_level(
    session: AsyncSession,
    principal: Principal,
    *,
    member_id: UUID | None,
    level: domain.InvolvementLevel,
    reward_preference: domain.RewardPreference | None,
) -> domain.InvolvementLevel:
    members = MemberRepository(session)
    stored = await members.get(member_id or principal.require_member(), for_update=True)
    policy.require_self_or_coordinator(principal, stored.member, "set this member's involvement")
    reward = reward_preference or stored.reward_preference
    await members.set_involvement(stored.member.id, level, reward)
    now = utcnow()
    await outbox.add(
        session,
        InvolvementLevelSet(member_id=stored.member.id, organisation_id=stored.member.organisation_id,
                            level=level.value, set_at=now),
        key=stored.member.id,
    )
    return level


async def log_involvement(
    session: AsyncSession,
    principal: Principal,
    *,
    member_id: UUID | None,
    took_place_on: date,
    minutes: int,
    activity: str,
    reward_preference: domain.RewardPreference | None,
    project_id: UUID | None,
) -> domain.InvolvementEntry:
    """Log time given; the event carries minutes and dates only, never the activity text."""
    stored = await MemberRepository(session).get(member_id or principal.require_member())
    policy.require_self_or_coordinator(principal, stored.member, "log this member's involvement")
    now = utcnow()
    entry = domain.InvolvementEntry.log(
        member_id=stored.member.id, took_place_on=took_place_on, minutes=minutes, activity=activity,
        reward_preference=reward_preference or stored.reward_preference or domain.RewardPreference.DECLINED,
        project_id=project_id, now=now,
    )
    await InvolvementRepository(session).add(entry)
    await outbox.add(
        session,
        InvolvementLogged(
            member_id=entry.member_id, organisation_id=stored.member.organisation_id, entry_id=entry.id,
            minutes=entry.minutes, took_place_on=entry.took_place_on, project_id=entry.project_id, logged_at=now,
        ),
        key=entry.member_id,
    )
    return entry
