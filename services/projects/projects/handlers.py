"""Inbound events -> service calls. Each runs in the consumer's transaction, after its inbox claim."""

from __future__ import annotations

import logging

from servicekit.consumer import AnyHandler
from servicekit.envelope import Envelope
from servicekit.events import Event
from servicekit.standing import record_standing
from sqlalchemy.ext.asyncio import AsyncSession

from projects import service
from projects.inbound import (
    MemberErased,
    MemberInvited,
    MemberJoined,
    MemberRoleChanged,
    MemberStatusChanged,
    MemberVisibilityChanged,
)
from projects.repository import MemberVisibilityRepository

log = logging.getLogger("projects.handlers")


async def member_joined(session: AsyncSession, event: MemberJoined, envelope: Envelope) -> None:
    await record_standing(session, event.name, event.model_dump())
    await MemberVisibilityRepository(session).record(
        event.member_id, event.organisation_id, event.visibility, event.joined_at
    )


async def member_standing_changed(
    session: AsyncSession, event: MemberInvited | MemberStatusChanged | MemberRoleChanged, envelope: Envelope
) -> None:
    """What the member's token may do here, as membership says (servicekit.standing)."""
    await record_standing(session, event.name, event.model_dump())


async def member_visibility_changed(
    session: AsyncSession, event: MemberVisibilityChanged, envelope: Envelope
) -> None:
    await MemberVisibilityRepository(session).record(
        event.member_id, event.organisation_id, event.visibility, event.changed_at
    )


async def member_erased(session: AsyncSession, event: MemberErased, envelope: Envelope) -> None:
    await record_standing(session, event.name, event.model_dump())
    await MemberVisibilityRepository(session).record(
        event.member_id, event.organisation_id, "hidden", event.erased_at
    )
    seats = await service.erase_member(
        session, member_id=event.member_id, erased_at=event.erased_at
    )
    log.info("member.erased", extra={"member_id": str(event.member_id), "seats_ended": seats})


HANDLERS: dict[type[Event], AnyHandler] = {
    MemberErased: member_erased,
    MemberJoined: member_joined,
    MemberInvited: member_standing_changed,
    MemberStatusChanged: member_standing_changed,
    MemberRoleChanged: member_standing_changed,
    MemberVisibilityChanged: member_visibility_changed,
}
