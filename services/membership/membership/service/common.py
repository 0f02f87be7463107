"""Pieces every membership use case shares: the clock and keeping visibility in step."""

from __future__ import annotations

from datetime import datetime

from servicekit import clock, outbox
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.consent import Visibility, visibility_of
from membership.events import MemberVisibilityChanged
from membership.repository import ConsentRepository, MemberRepository


def utcnow() -> datetime:
    return clock.utcnow()


async def save_member(
    session: AsyncSession, member: domain.Member, *, previous: Visibility | None, now: datetime
) -> Visibility:
    """Save a member with its visibility recomputed; announce the visibility if it changed."""
    consent = await ConsentRepository(session).state(member.id)
    visibility = visibility_of(member, consent)
    await MemberRepository(session).save(member, visibility)
    if previous is not None and visibility is not previous:
        await outbox.add(
            session,
            MemberVisibilityChanged(
                member_id=member.id, organisation_id=member.organisation_id,
                visibility=visibility, changed_at=now,
            ),
            key=member.id,
        )
    return visibility
