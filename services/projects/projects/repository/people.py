"""The member-visibility projection, kept from membership's events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from projects.domain.people import MemberSeen
from projects.models import MemberVisibilityRow


class MemberVisibilityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, member_id: UUID, organisation_id: UUID, visibility: str, at: datetime) -> None:
        """Keep the newest announcement (events of one member arrive in order; this guards replays)."""
        stmt = pg_insert(MemberVisibilityRow).values(
            member_id=member_id, organisation_id=organisation_id, visibility=visibility, changed_at=at
        )
        await self.session.execute(stmt.on_conflict_do_update(
            index_elements=[MemberVisibilityRow.member_id],
            set_={"organisation_id": stmt.excluded.organisation_id, "visibility": stmt.excluded.visibility,
                  "changed_at": stmt.excluded.changed_at},
            where=MemberVisibilityRow.changed_at <= stmt.excluded.changed_at,
        ))

    async def many(self, member_ids: Sequence[UUID]) -> dict[UUID, MemberSeen]:
        rows = await self.session.execute(
            select(MemberVisibilityRow).where(MemberVisibilityRow.member_id.in_(member_ids))
        )
        return {row.member_id: MemberSeen(row.organisation_id, row.visibility) for row in rows.scalars()}
