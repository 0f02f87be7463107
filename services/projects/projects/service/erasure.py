"""A member was erased in membership: remove them from teams and remove or anonymise what they wrote."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from servicekit import outbox
from sqlalchemy.ext.asyncio import AsyncSession

from projects.events import TeamMemberLeft
from projects.repository.erasure import ErasureRepository


async def erase_member(session: AsyncSession, *, member_id: UUID, erased_at: datetime) -> int:
    """Idempotent: a second run finds nothing left to change. Returns how many team seats ended.

    Their team seats become anonymous placeholders (the team's history keeps its
    shape); shared project content stays but loses its author; notes they wrote are
    removed. TeamMemberLeft is queued for each seat that was current, so team counts
    elsewhere stay right.
    """
    erasure = ErasureRepository(session)
    left = await erasure.leave_all_teams(member_id, erased_at)
    await erasure.forget_authorship(member_id)
    await erasure.remove_words(member_id)
    for seat in left:
        await outbox.add(
            session,
            TeamMemberLeft(
                project_id=seat.project_id,
                organisation_id=seat.organisation_id,
                member_id=member_id,
                role=seat.role,
                left_at=erased_at,
            ),
            key=seat.project_id,
        )
    return len(left)
