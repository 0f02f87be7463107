"""The work of a project: driver diagram items, PDSA cycles, measures, data points and settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from projects import domain
from projects.models import (
    AnnouncedSignalRow,
    DiagramItemRow,
    MeasurementRevisionRow,
    MeasurementRow,
    MeasureRow,
    OrganisationSettingsRow,
    PdsaCycleRow,
)
from projects.spc import DEFAULT_RULE_SET, Direction, RuleSetName, Signal


def _item(row: DiagramItemRow) -> domain.DiagramItem:
    return domain.DiagramItem(
        id=row.id,
        project_id=row.project_id,
        kind=domain.DiagramItemKind(row.kind),
        parent_id=row.parent_id,
        text=row.text,
        description=row.description,
        position=row.position,
        created_by=row.created_by,
        created_at=row.created_at,
    )


class DiagramRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, item: domain.DiagramItem) -> None:
        self.session.add(
            DiagramItemRow(**{f: getattr(item, f) for f in _ITEM_FIELDS}, kind=item.kind.value)
        )
        await self.session.flush()

    async def save(self, item: domain.DiagramItem) -> None:
        row = await self.session.get(DiagramItemRow, item.id)
        if row is None:
            raise domain.DiagramItemNotFound("We could not find that part of the driver diagram.")
        row.text, row.description = item.text, item.description
        await self.session.flush()

    async def get(self, item_id: UUID) -> domain.DiagramItem:
        row = await self.session.get(DiagramItemRow, item_id)
        if row is None:
            raise domain.DiagramItemNotFound(
                "We could not find that part of the driver diagram.", field="itemId"
            )
        return _item(row)

    async def next_position(self, project_id: UUID, parent_id: UUID | None) -> int:
        stmt = (
            select(func.count())
            .select_from(DiagramItemRow)
            .where(
                DiagramItemRow.project_id == project_id,
                DiagramItemRow.parent_id.is_(None)
                if parent_id is None
                else DiagramItemRow.parent_id == parent_id,
            )
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def of_projects(
        self, project_ids: Sequence[UUID]
    ) -> dict[UUID, list[domain.DiagramItem]]:
        stmt = (
            select(DiagramItemRow)
            .where(DiagramItemRow.project_id.in_(project_ids))
            .order_by(DiagramItemRow.position, DiagramItemRow.created_at)
        )
        found: dict[UUID, list[domain.DiagramItem]] = {pid: [] for pid in project_ids}
        for row in (await self.session.execute(stmt)).scalars():
            found[row.project_id].append(_item(row))
        return found

    async def remove(self, items: Sequence[domain.DiagramItem]) -> None:
        # Children first, so the parent foreign key never points at a removed row.
        for item in reversed(items):
            await self.session.execute(delete(DiagramItemRow).where(DiagramItemRow.id == item.id))


_ITEM_FIELDS = (
    "id",
    "project_id",
    "parent_id",
    "text",
    "description",
    "position",
    "created_by",
    "created_at",
)

_CYCLE_FIELDS = (
    "id",
    "project_id",
    "change_idea_id",
    "number",
    "previous_cycle_id",
    "plan",
    "prediction",
    "started_by",
    "led_by",
    "started_at",
    "do_notes",
    "what_happened",
    "studied_by",
    "studied_at",
    "act_notes",
    "completed_by",
    "completed_at",
)


def _cycle(row: PdsaCycleRow) -> domain.PdsaCycle:
    return domain.PdsaCycle(
        **{f: getattr(row, f) for f in _CYCLE_FIELDS},
        status=domain.CycleStatus(row.status),
        decision=domain.Decision(row.decision) if row.decision else None,
    )


class CycleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, cycle: domain.PdsaCycle) -> None:
        values = {f: getattr(cycle, f) for f in _CYCLE_FIELDS}
        values |= {
            "status": cycle.status.value,
            "decision": cycle.decision.value if cycle.decision else None,
        }
        stmt = pg_insert(PdsaCycleRow).values(values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[PdsaCycleRow.id], set_=values)
        )

    async def get(self, cycle_id: UUID, *, for_update: bool = False) -> domain.PdsaCycle:
        stmt = select(PdsaCycleRow).where(PdsaCycleRow.id == cycle_id)
        row = (
            await self.session.execute(stmt.with_for_update() if for_update else stmt)
        ).scalar_one_or_none()
        if row is None:
            raise domain.CycleNotFound("We could not find that PDSA cycle.", field="cycleId")
        return _cycle(row)

    async def next_number(self, change_idea_id: UUID) -> int:
        stmt = select(func.coalesce(func.max(PdsaCycleRow.number), 0)).where(
            PdsaCycleRow.change_idea_id == change_idea_id
        )
        return int((await self.session.execute(stmt)).scalar_one()) + 1

    async def of_projects(self, project_ids: Sequence[UUID]) -> dict[UUID, list[domain.PdsaCycle]]:
        stmt = (
            select(PdsaCycleRow)
            .where(PdsaCycleRow.project_id.in_(project_ids))
            .order_by(PdsaCycleRow.change_idea_id, PdsaCycleRow.number)
        )
        found: dict[UUID, list[domain.PdsaCycle]] = {pid: [] for pid in project_ids}
        for row in (await self.session.execute(stmt)).scalars():
            found[row.project_id].append(_cycle(row))
        return found

    async def change_ideas_with_cycles(self, idea_ids: Sequence[UUID]) -> set[UUID]:
        stmt = (
            select(PdsaCycleRow.change_idea_id)
            .where(PdsaCycleRow.change_idea_id.in_(idea_ids))
            .distinct()
        )
        return set((await self.session.execute(stmt)).scalars())


def _measure(row: MeasureRow) -> domain.Measure:
    return domain.Measure(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        definition=row.definition,
        kind=domain.MeasureKind(row.kind),
        unit=row.unit,
        direction=Direction(row.direction),
        target=row.target,
        rule_set=RuleSetName(row.rule_set) if row.rule_set else None,
        rebase_on=tuple(row.rebase_on),
        defined_by=row.defined_by,
        defined_at=row.defined_at,
    )


def _point(row: MeasurementRow) -> domain.DataPoint:
    return domain.DataPoint(
        id=row.id,
        measure_id=row.measure_id,
        on=row.observed_on,
        value=row.value,
        annotation=row.annotation,
        astronomical=row.is_astronomical,
        revision=row.revision,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def _revision(row: MeasurementRevisionRow) -> domain.Revision:
    return domain.Revision(
        id=row.id,
        point_id=row.measurement_id,
        number=row.number,
        previous_value=row.previous_value,
        previous_annotation=row.previous_annotation,
        value=row.value,
        annotation=row.annotation,
        reason=row.reason,
        revised_by=row.revised_by,
        revised_at=row.revised_at,
    )


class MeasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, measure: domain.Measure) -> None:
        values = {
            "id": measure.id,
            "project_id": measure.project_id,
            "name": measure.name,
            "definition": measure.definition,
            "kind": measure.kind.value,
            "unit": measure.unit,
            "direction": measure.direction.value,
            "target": measure.target,
            "rule_set": measure.rule_set.value if measure.rule_set else None,
            "rebase_on": list(measure.rebase_on),
            "defined_by": measure.defined_by,
            "defined_at": measure.defined_at,
        }
        stmt = pg_insert(MeasureRow).values(values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[MeasureRow.id], set_=values)
        )

    async def get(self, measure_id: UUID, *, for_update: bool = False) -> domain.Measure:
        stmt = select(MeasureRow).where(MeasureRow.id == measure_id)
        row = (
            await self.session.execute(stmt.with_for_update() if for_update else stmt)
        ).scalar_one_or_none()
        if row is None:
            raise domain.MeasureNotFound("We could not find that measure.", field="measureId")
        return _measure(row)

    async def of_projects(self, project_ids: Sequence[UUID]) -> dict[UUID, list[domain.Measure]]:
        stmt = (
            select(MeasureRow)
            .where(MeasureRow.project_id.in_(project_ids))
            .order_by(MeasureRow.defined_at)
        )
        found: dict[UUID, list[domain.Measure]] = {pid: [] for pid in project_ids}
        for row in (await self.session.execute(stmt)).scalars():
            found[row.project_id].append(_measure(row))
        return found

    async def add_point(self, point: domain.DataPoint) -> None:
        self.session.add(
            MeasurementRow(
                id=point.id,
                measure_id=point.measure_id,
                observed_on=point.on,
                value=point.value,
                annotation=point.annotation,
                is_astronomical=point.astronomical,
                revision=point.revision,
                recorded_by=point.recorded_by,
                recorded_at=point.recorded_at,
            )
        )
        await self.session.flush()

    async def save_point(self, point: domain.DataPoint) -> None:
        row = await self.session.get(MeasurementRow, point.id)
        if row is None:
            raise domain.MeasurementNotFound("We could not find that data point.", field="pointId")
        row.value, row.annotation, row.revision = point.value, point.annotation, point.revision
        row.is_astronomical = point.astronomical
        await self.session.flush()

    async def add_revision(self, revision: domain.Revision) -> None:
        self.session.add(
            MeasurementRevisionRow(
                id=revision.id,
                measurement_id=revision.point_id,
                number=revision.number,
                previous_value=revision.previous_value,
                previous_annotation=revision.previous_annotation,
                value=revision.value,
                annotation=revision.annotation,
                reason=revision.reason,
                revised_by=revision.revised_by,
                revised_at=revision.revised_at,
            )
        )
        await self.session.flush()

    async def get_point(self, point_id: UUID) -> domain.DataPoint:
        row = await self.session.get(MeasurementRow, point_id)
        if row is None:
            raise domain.MeasurementNotFound("We could not find that data point.", field="pointId")
        return _point(row)

    async def point_on(self, measure_id: UUID, on: date) -> domain.DataPoint | None:
        stmt = select(MeasurementRow).where(
            MeasurementRow.measure_id == measure_id, MeasurementRow.observed_on == on
        )
        row = (await self.session.execute(stmt)).scalar_one_or_none()
        return _point(row) if row else None

    async def points_of(self, measure_ids: Sequence[UUID]) -> dict[UUID, list[domain.DataPoint]]:
        stmt = (
            select(MeasurementRow)
            .where(MeasurementRow.measure_id.in_(measure_ids))
            .order_by(MeasurementRow.observed_on)
        )
        found: dict[UUID, list[domain.DataPoint]] = {mid: [] for mid in measure_ids}
        for row in (await self.session.execute(stmt)).scalars():
            found[row.measure_id].append(_point(row))
        return found

    async def revisions_of(self, point_ids: Sequence[UUID]) -> dict[UUID, list[domain.Revision]]:
        stmt = (
            select(MeasurementRevisionRow)
            .where(MeasurementRevisionRow.measurement_id.in_(point_ids))
            .order_by(MeasurementRevisionRow.number)
        )
        found: dict[UUID, list[domain.Revision]] = {pid: [] for pid in point_ids}
        for row in (await self.session.execute(stmt)).scalars():
            found[row.measurement_id].append(_revision(row))
        return found

    async def announced(self, measure_id: UUID) -> set[tuple[str, str, date, str]]:
        stmt = select(AnnouncedSignalRow).where(AnnouncedSignalRow.measure_id == measure_id)
        return {
            (r.rule_set, r.rule, r.first_point_on, r.nature)
            for r in (await self.session.execute(stmt)).scalars()
        }

    async def remember_announced(
        self, measure_id: UUID, signals: Sequence[Signal], now: datetime
    ) -> None:
        if not signals:
            return
        rows = [
            {
                "measure_id": measure_id,
                "rule_set": s.rule_set.value,
                "rule": s.rule.value,
                "first_point_on": s.first_point_on,
                "nature": s.nature.value,
                "announced_at": now,
            }
            for s in signals
        ]
        await self.session.execute(
            pg_insert(AnnouncedSignalRow).values(rows).on_conflict_do_nothing()
        )


class SettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def default_rule_sets(self, organisation_ids: Sequence[UUID]) -> dict[UUID, RuleSetName]:
        stmt = select(OrganisationSettingsRow).where(
            OrganisationSettingsRow.organisation_id.in_(organisation_ids)
        )
        chosen = {
            r.organisation_id: RuleSetName(r.default_rule_set)
            for r in (await self.session.execute(stmt)).scalars()
        }
        return {oid: chosen.get(oid, DEFAULT_RULE_SET) for oid in organisation_ids}

    async def set_default_rule_set(
        self, organisation_id: UUID, rule_set: RuleSetName, by: UUID, now: datetime
    ) -> None:
        values = {
            "organisation_id": organisation_id,
            "default_rule_set": rule_set.value,
            "updated_by": by,
            "updated_at": now,
        }
        stmt = pg_insert(OrganisationSettingsRow).values(values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[OrganisationSettingsRow.organisation_id], set_=values
            )
        )
