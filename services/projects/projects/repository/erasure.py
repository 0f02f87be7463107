"""Removing an erased member from everything projects holds: their seats, their name on things, their words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from projects.domain import ERASED_TEXT
from projects.models import (
    DiagramItemRow,
    MeasurementRevisionRow,
    MeasurementRow,
    MeasureRow,
    PdsaCycleRow,
    ProjectRow,
    TeamSeatRow,
)


@dataclass(frozen=True, slots=True)
class SeatLeft:
    project_id: UUID
    organisation_id: UUID
    role: str


class ErasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def leave_all_teams(self, member_id: UUID, erased_at: datetime) -> list[SeatLeft]:
        """End the member's current seats; every seat of theirs becomes an anonymous placeholder."""
        current = (
            await self.session.execute(
                select(TeamSeatRow.project_id, ProjectRow.organisation_id, TeamSeatRow.role)
                .join(ProjectRow, ProjectRow.id == TeamSeatRow.project_id)
                .where(TeamSeatRow.member_id == member_id, TeamSeatRow.left_at.is_(None))
            )
        ).all()
        await self.session.execute(
            update(TeamSeatRow)
            .where(TeamSeatRow.member_id == member_id)
            .values(
                member_id=None,
                is_anonymised=True,
                left_at=func.coalesce(TeamSeatRow.left_at, erased_at),
            )
        )
        return [
            SeatLeft(project_id, organisation_id, role)
            for project_id, organisation_id, role in current
        ]

    async def forget_authorship(self, member_id: UUID) -> None:
        """Shared team content stays, but no longer says who wrote it."""
        for table, column in (
            (ProjectRow, ProjectRow.proposed_by),
            (DiagramItemRow, DiagramItemRow.created_by),
            (MeasureRow, MeasureRow.defined_by),
        ):
            await self.session.execute(
                update(table).where(column == member_id).values({column.key: None})
            )

    async def remove_words(self, member_id: UUID) -> None:
        """Notes the member wrote themselves are removed: PDSA write-ups, data notes, correction reasons."""
        cycles = PdsaCycleRow
        await self.session.execute(
            update(cycles)
            .where(cycles.started_by == member_id)
            .values(plan=ERASED_TEXT, prediction=ERASED_TEXT, started_by=None)
        )
        await self.session.execute(
            update(cycles)
            .where(cycles.studied_by == member_id)
            .values(what_happened=ERASED_TEXT, do_notes="", studied_by=None)
        )
        await self.session.execute(
            update(cycles)
            .where(cycles.completed_by == member_id)
            .values(act_notes="", completed_by=None)
        )
        await self.session.execute(
            update(cycles).where(cycles.led_by == member_id).values(led_by=None)
        )
        await self._erase_annotations(member_id)
        await self.session.execute(
            update(MeasurementRow).where(MeasurementRow.recorded_by == member_id).values(recorded_by=None)
        )
        revisions = MeasurementRevisionRow
        await self.session.execute(
            update(revisions)
            .where(revisions.revised_by == member_id)
            .values(reason=ERASED_TEXT, annotation=None, previous_annotation=None, revised_by=None)
        )

    async def _erase_annotations(self, member_id: UUID) -> None:
        """Remove every note the member wrote on data points, wherever it now sits: on the point
        itself (recorded or corrected by them) or carried along in later corrections' history."""
        revisions = MeasurementRevisionRow
        touched = select(MeasurementRow.id).where(MeasurementRow.recorded_by == member_id).union(
            select(revisions.measurement_id).where(revisions.revised_by == member_id)
        )
        ids = list((await self.session.execute(touched)).scalars())
        if not ids:
            return
        own = select(MeasurementRow.annotation).where(MeasurementRow.recorded_by == member_id)
        own_first = select(revisions.previous_annotation).where(  # what they wrote before any correction
            revisions.number == 1,
            revisions.measurement_id.in_(select(MeasurementRow.id).where(MeasurementRow.recorded_by == member_id)),
        )
        revised = select(revisions.annotation).where(revisions.revised_by == member_id)
        words = {w for w in (await self.session.execute(own.union(own_first, revised))).scalars() if w}
        if not words:
            return
        await self.session.execute(
            update(MeasurementRow).where(MeasurementRow.id.in_(ids), MeasurementRow.annotation.in_(words))
            .values(annotation=None)
        )
        for column in (revisions.annotation, revisions.previous_annotation):
            await self.session.execute(
                update(revisions).where(revisions.measurement_id.in_(ids), column.in_(words))
                .values({column.key: None})
            )
