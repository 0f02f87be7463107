"""Queries for a member's private records: consent, involvement and pulse answers."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.pulse import ClosedPulseMonth, PulseSummary, summarise
from membership.models import (
    ConsentRow,
    InvolvementRow,
    PulseMonthClosureRow,
    PulseResponseRow,
    PulseSubmissionRow,
)


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, member_id: UUID, records: list[domain.ConsentRecord]) -> None:
        self.session.add_all(
            ConsentRow(member_id=member_id, purpose=r.purpose.value, given=r.given, recorded_at=r.recorded_at)
            for r in records
        )
        await self.session.flush()

    async def records(self, member_id: UUID) -> list[domain.ConsentRecord]:
        rows = await self.session.execute(
            select(ConsentRow).where(ConsentRow.member_id == member_id).order_by(ConsentRow.recorded_at, ConsentRow.id)
        )
        return [
            domain.ConsentRecord(domain.ConsentPurpose(row.purpose), row.given, row.recorded_at)
            for row in rows.scalars()
        ]

    async def state(self, member_id: UUID) -> domain.ConsentState:
        return domain.ConsentState.from_records(await self.records(member_id))

    async def erase(self, member_id: UUID) -> None:
        await self.session.execute(delete(ConsentRow).where(ConsentRow.member_id == member_id))


class InvolvementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entry: domain.InvolvementEntry) -> None:
        self.session.add(
            InvolvementRow(
                id=entry.id, member_id=entry.member_id, took_place_on=entry.took_place_on, minutes=entry.minutes,
                activity=entry.activity, reward_preference=entry.reward_preference.value,
                project_id=entry.project_id, logged_at=entry.logged_at,
            )
        )
        await self.session.flush()

    async def list_page(
        self, member_id: UUID, *, after: tuple[date, UUID] | None, limit: int
    ) -> list[domain.InvolvementEntry]:
        """Newest first."""
        stmt = (
            select(InvolvementRow)
            .where(InvolvementRow.member_id == member_id)
            .order_by(InvolvementRow.took_place_on.desc(), InvolvementRow.id.desc())
            .limit(limit)
        )
        if after is not None:
            day, last_id = after
            stmt = stmt.where(
                (InvolvementRow.took_place_on < day)
                | ((InvolvementRow.took_place_on == day) & (InvolvementRow.id < last_id))
            )
        return [
            domain.InvolvementEntry(
                id=row.id, member_id=row.member_id, took_place_on=row.took_place_on, minutes=row.minutes,
                activity=row.activity or "", reward_preference=domain.RewardPreference(row.reward_preference),
                project_id=row.project_id, logged_at=row.logged_at,
            )
            for row in (await self.session.execute(stmt)).scalars()
        ]

    async def total_minutes(self, member_id: UUID) -> int:
        total = await self.session.execute(
            select(func.coalesce(func.sum(InvolvementRow.minutes), 0)).where(InvolvementRow.member_id == member_id)
        )
        return int(total.scalar_one())

    async def erase_text(self, member_id: UUID) -> None:
        """Keep dates and minutes (counts), drop the words."""
        await self.session.execute(
            update(InvolvementRow).where(InvolvementRow.member_id == member_id).values(activity=None)
        )


class PulseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_submitted(self, member_id: UUID, month: str) -> bool:
        return await self.session.get(PulseSubmissionRow, (member_id, month)) is not None

    async def add(self, *, member_id: UUID, organisation_id: UUID, month: str, answers: domain.PulseAnswers) -> None:
        # Two rows that cannot be joined: who answered (for once a month) and what (anonymous).
        self.session.add(PulseSubmissionRow(member_id=member_id, month=month))
        self.session.add(PulseResponseRow(organisation_id=organisation_id, month=month, answers=list(answers.answers)))
        await self.session.flush()

    async def summaries(self, organisation_id: UUID, *, months: list[str]) -> list[PulseSummary]:
        rows = await self.session.execute(
            select(PulseResponseRow.month, PulseResponseRow.answers)
            .where(PulseResponseRow.organisation_id == organisation_id, PulseResponseRow.month.in_(months))
            .order_by(PulseResponseRow.month)
        )
        by_month: dict[str, list[tuple[int, ...]]] = {}
        for month, answers in rows:
            by_month.setdefault(month, []).append(tuple(answers))
        results = [summarise(month, answers) for month, answers in sorted(by_month.items())]
        return [summary for summary in results if summary is not None]

    async def unclosed_months_before(self, month: str) -> dict[tuple[UUID, str], list[tuple[int, ...]]]:
        """The answers of every organisation-month before `month` not yet closed, oldest month first."""
        closed = select(PulseMonthClosureRow.organisation_id).where(
            PulseMonthClosureRow.organisation_id == PulseResponseRow.organisation_id,
            PulseMonthClosureRow.month == PulseResponseRow.month,
        )
        rows = await self.session.execute(
            select(PulseResponseRow.organisation_id, PulseResponseRow.month, PulseResponseRow.answers)
            .where(PulseResponseRow.month < month, ~closed.exists())
            .order_by(PulseResponseRow.month, PulseResponseRow.organisation_id, PulseResponseRow.id)
        )
        by_month: dict[tuple[UUID, str], list[tuple[int, ...]]] = {}
        for organisation_id, answered_in, answers in rows:
            by_month.setdefault((organisation_id, answered_in), []).append(tuple(answers))
        return by_month

    async def record_closure(self, closed: ClosedPulseMonth, *, closed_at: datetime) -> bool:
        """True when this call closed the month; False when another transaction already had.

        A concurrent closer's uncommitted row makes this wait for its commit (then False) or
        its rollback (then True), so each month is closed, and announced, exactly once.
        """
        stmt = (
            pg_insert(PulseMonthClosureRow)
            .values(organisation_id=closed.organisation_id, month=closed.month, responses=closed.responses,
                    energised_and_empowered=closed.energised_and_empowered, closed_at=closed_at)
            .on_conflict_do_nothing(index_elements=["organisation_id", "month"])
            .returning(PulseMonthClosureRow.month)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none() is not None

    async def erase_submissions(self, member_id: UUID) -> None:
        await self.session.execute(delete(PulseSubmissionRow).where(PulseSubmissionRow.member_id == member_id))
