"""Kudos and nominations: what members write to and about each other."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, delete, func, or_, select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from recognition.domain.kudos import Kudos
from recognition.domain.nominations import Nomination, NominationStatus
from recognition.models import KudosRow, NominationRow
from recognition.repository import among

Position = tuple[datetime, UUID]  # (newest-first sort time, id) of the last item of a page


class KudosRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, kudos: Kudos) -> None:
        self.session.add(
            KudosRow(
                id=kudos.id,
                giver_id=kudos.giver_id,
                to_member_id=kudos.to_member_id,
                to_project_id=kudos.to_project_id,
                message=kudos.message,
                is_public=kudos.is_public,
                given_at=kudos.given_at,
            )
        )
        await self.session.flush()

    async def find(self, kudos_id: UUID) -> Kudos | None:
        row = await self.session.get(KudosRow, kudos_id)
        return _kudos(row) if row is not None else None

    async def found(self, kudos_ids: Collection[UUID]) -> dict[UUID, Kudos]:
        rows = await self.session.execute(select(KudosRow).where(among(KudosRow.id, kudos_ids)))
        return {row.id: _kudos(row) for row in rows.scalars()}

    async def count_given(self, giver_id: UUID, start: datetime, end: datetime) -> int:
        """Kudos `giver_id` gave in [start, end); locks the giver so two requests count in turn."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"kudos:{giver_id}"},
        )
        result = await self.session.execute(
            select(func.count())
            .select_from(KudosRow)
            .where(
                KudosRow.giver_id == giver_id, KudosRow.given_at >= start, KudosRow.given_at < end
            )
        )
        return int(result.scalar_one())

    async def received(
        self,
        member_ids: Collection[UUID],
        *,
        viewer_id: UUID | None,
        limit: int,
        after: Position | None,
    ) -> dict[UUID, list[Kudos]]:
        """Up to `limit` kudos per member, newest first: public ones, the viewer's private ones."""
        position = tuple_(KudosRow.given_at, KudosRow.id)
        conditions = [
            among(KudosRow.to_member_id, member_ids),
            or_(KudosRow.is_public, KudosRow.to_member_id == viewer_id),
        ]
        if after is not None:
            conditions.append(position < tuple_(*after))
        rank = func.row_number().over(
            partition_by=KudosRow.to_member_id,
            order_by=(KudosRow.given_at.desc(), KudosRow.id.desc()),
        )
        ranked = select(KudosRow, rank.label("rank")).where(and_(*conditions)).subquery()
        rows = await self.session.execute(
            select(ranked)
            .where(ranked.c.rank <= limit)
            .order_by(ranked.c.given_at.desc(), ranked.c.id.desc())
        )
        found: dict[UUID, list[Kudos]] = {member_id: [] for member_id in member_ids}
        for row in rows:
            found[row.to_member_id].append(_kudos(row))
        return found

    async def remove_for_member(self, member_id: UUID, at: datetime) -> None:
        """Erasure: remove the messages a member wrote or received, and their id."""
        await self.session.execute(
            update(KudosRow)
            .where(KudosRow.giver_id == member_id)
            .values(giver_id=None, message=None, message_removed_at=at)
        )
        await self.session.execute(
            update(KudosRow)
            .where(KudosRow.to_member_id == member_id)
            .values(to_member_id=None, message=None, message_removed_at=at)
        )


class NominationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, nomination: Nomination) -> None:
        self.session.add(NominationRow(**_nomination_values(nomination)))
        await self.session.flush()

    async def find(self, nomination_id: UUID, *, for_update: bool = False) -> Nomination | None:
        statement = select(NominationRow).where(NominationRow.id == nomination_id)
        if for_update:
            statement = statement.with_for_update()
        row = (await self.session.scalars(statement)).first()
        return _nomination(row) if row is not None else None

    async def save(self, nomination: Nomination) -> None:
        values = _nomination_values(nomination)
        await self.session.execute(
            update(NominationRow).where(NominationRow.id == nomination.id).values(**values)
        )

    async def pending(
        self, organisation_id: UUID, *, limit: int, after: Position | None
    ) -> list[Nomination]:
        """Nominations waiting for a decision by the organisation's coordinators, oldest first."""
        conditions = [
            NominationRow.organisation_id == organisation_id,
            NominationRow.status == NominationStatus.PENDING.value,
        ]
        if after is not None:
            conditions.append(tuple_(NominationRow.submitted_at, NominationRow.id) > tuple_(*after))
        rows = await self.session.scalars(
            select(NominationRow)
            .where(*conditions)
            .order_by(NominationRow.submitted_at, NominationRow.id)
            .limit(limit)
        )
        return [_nomination(row) for row in rows.all()]

    async def scrub_member(self, member_id: UUID) -> None:
        """Erasure: nominations about the member go; the words of those they wrote go too."""
        await self.session.execute(
            delete(NominationRow).where(NominationRow.member_id == member_id)
        )
        await self.session.execute(
            update(NominationRow)
            .where(NominationRow.nominator_id == member_id)
            .values(nominator_id=None, reason=None)
        )
        await self.session.execute(  # a coordinator's note on a decision is their words too
            update(NominationRow)
            .where(NominationRow.decided_by == member_id)
            .values(decided_by=None, decision_note=None)
        )


def _kudos(row: KudosRow | Row[Any]) -> Kudos:
    return Kudos(
        id=row.id,
        giver_id=row.giver_id,
        to_member_id=row.to_member_id,
        to_project_id=row.to_project_id,
        message=row.message,
        is_public=row.is_public,
        given_at=row.given_at,
    )


def _nomination(row: NominationRow) -> Nomination:
    return Nomination(
        id=row.id,
        nominator_id=row.nominator_id,
        member_id=row.member_id,
        project_id=row.project_id,
        organisation_id=row.organisation_id,
        award_name=row.award_name,
        reason=row.reason,
        status=NominationStatus(row.status),
        submitted_at=row.submitted_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
    )


def _nomination_values(nomination: Nomination) -> dict[str, Any]:
    return {
        "id": nomination.id,
        "nominator_id": nomination.nominator_id,
        "member_id": nomination.member_id,
        "project_id": nomination.project_id,
        "organisation_id": nomination.organisation_id,
        "award_name": nomination.award_name,
        "reason": nomination.reason,
        "status": nomination.status.value,
        "submitted_at": nomination.submitted_at,
        "decided_by": nomination.decided_by,
        "decided_at": nomination.decided_at,
        "decision_note": nomination.decision_note,
    }
