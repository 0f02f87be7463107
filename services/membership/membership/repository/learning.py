"""Training catalogue, completions and achieved levels."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.learning import ModuleNotFound
from membership.models import CompletionRow, LevelRow, ModuleRow


def _module(row: ModuleRow) -> domain.TrainingModule:
    return domain.TrainingModule(
        id=row.id, title=row.title, description=row.description, level=domain.LearningLevel(row.level),
        required=row.required, organisation_id=row.organisation_id,
    )


class LearningRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_module(self, module: domain.TrainingModule) -> None:
        self.session.add(
            ModuleRow(id=module.id, title=module.title, description=module.description, level=int(module.level),
                      required=module.required, organisation_id=module.organisation_id)
        )
        await self.session.flush()

    async def modules_for(self, organisation_id: UUID | None) -> list[domain.TrainingModule]:
        """Network-wide modules plus, when given, the organisation's own."""
        condition: ColumnElement[bool] = ModuleRow.organisation_id.is_(None)
        if organisation_id is not None:
            condition = or_(condition, ModuleRow.organisation_id == organisation_id)
        rows = await self.session.execute(
            select(ModuleRow).where(condition).order_by(ModuleRow.level, ModuleRow.title)
        )
        return [_module(row) for row in rows.scalars()]

    async def get_module(self, module_id: UUID) -> domain.TrainingModule:
        row = await self.session.get(ModuleRow, module_id)
        if row is None:
            raise ModuleNotFound("We could not find that training module.", field="moduleId")
        return _module(row)

    async def record_completion(self, member_id: UUID, module_id: UUID, completed_on: date, now: datetime) -> bool:
        """True when this completion is new (recording it twice changes nothing)."""
        result = await self.session.execute(
            pg_insert(CompletionRow)
            .values(member_id=member_id, module_id=module_id, completed_on=completed_on, recorded_at=now)
            .on_conflict_do_nothing()
            .returning(CompletionRow.module_id)
        )
        return result.scalar_one_or_none() is not None

    async def completions(self, member_id: UUID) -> dict[UUID, date]:
        rows = await self.session.execute(
            select(CompletionRow.module_id, CompletionRow.completed_on).where(CompletionRow.member_id == member_id)
        )
        # .all(): dict() of the Result itself would take it for a mapping (it has keys()).
        return dict(rows.all())

    async def achieved(self, member_id: UUID) -> dict[domain.LearningLevel, datetime]:
        rows = await self.session.execute(
            select(LevelRow.level, LevelRow.achieved_at).where(LevelRow.member_id == member_id)
        )
        return {domain.LearningLevel(level): at for level, at in rows}

    async def achieved_many(self, member_ids: list[UUID]) -> dict[UUID, int]:
        """The highest level each member has reached (members with none are left out)."""
        rows = await self.session.execute(
            select(LevelRow.member_id, LevelRow.level).where(LevelRow.member_id.in_(member_ids))
        )
        highest: dict[UUID, int] = {}
        for member_id, level in rows:
            highest[member_id] = max(level, highest.get(member_id, 0))
        return highest

    async def add_level(self, member_id: UUID, level: domain.LearningLevel, now: datetime) -> None:
        self.session.add(LevelRow(member_id=member_id, level=int(level), achieved_at=now))
        await self.session.flush()
