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
        theirs = select(MeasurementRow.id).where(MeasurementRow.recorded_by == member_id)
        await self.session.execute(  # their first note may live on in a later correction's history
            update(MeasurementRevisionRow)
            .where(
                MeasurementRevisionRow.measurement_id.in_(theirs),
                MeasurementRevisionRow.number == 1,
            )
            .values(previous_annotation=None)
        )
        await self.session.execute(
            update(MeasurementRow)
            .where(MeasurementRow.recorded_by == member_id)
            .values(annotation=None, recorded_by=None)
        )
        revisions = MeasurementRevisionRow
        await self.session.execute(
            update(revisions)
            .where(revisions.revised_by == member_id)
            .values(reason=ERASED_TEXT, annotation=None, previous_annotation=None, revised_by=None)
        )
