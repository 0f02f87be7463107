"""Pairings and their check-ins."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.domain.peers import PairingNotFound
from membership.models import CheckInRow, PairingRow


def _pairing(row: PairingRow) -> domain.Pairing:
    return domain.Pairing(
        id=row.id, kind=domain.PairingKind(row.kind), first_member_id=row.first_member_id,
        second_member_id=row.second_member_id, crosses_organisations=row.crosses_organisations,
        paired_at=row.paired_at, ended_at=row.ended_at,
    )


class PairingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, pairing: domain.Pairing) -> None:
        self.session.add(
            PairingRow(id=pairing.id, kind=pairing.kind.value, first_member_id=pairing.first_member_id,
                       second_member_id=pairing.second_member_id,
                       crosses_organisations=pairing.crosses_organisations, paired_at=pairing.paired_at)
        )
        await self.session.flush()

    async def find(self, pairing_id: UUID, *, for_update: bool = False) -> domain.Pairing | None:
        row = await self.session.get(PairingRow, pairing_id, with_for_update=for_update)
        return _pairing(row) if row else None

    async def get(self, pairing_id: UUID, *, for_update: bool = False) -> domain.Pairing:
        found = await self.find(pairing_id, for_update=for_update)
        if found is None:
            raise PairingNotFound("We could not find that pairing.", field="pairingId")
        return found

    async def save_ended(self, pairing: domain.Pairing) -> None:
        await self.session.execute(
            update(PairingRow).where(PairingRow.id == pairing.id).values(ended_at=pairing.ended_at)
        )

    async def active_between(self, first: UUID, second: UUID) -> bool:
        found = await self.session.execute(
            select(PairingRow.id).where(
                PairingRow.ended_at.is_(None),
                or_(
                    and_(PairingRow.first_member_id == first, PairingRow.second_member_id == second),
                    and_(PairingRow.first_member_id == second, PairingRow.second_member_id == first),
                ),
            )
        )
        return found.first() is not None

    async def for_member(self, member_id: UUID) -> list[domain.Pairing]:
        rows = await self.session.execute(
            select(PairingRow)
            .where(or_(PairingRow.first_member_id == member_id, PairingRow.second_member_id == member_id))
            .order_by(PairingRow.paired_at.desc())
        )
        return [_pairing(row) for row in rows.scalars()]

    async def add_check_in(self, check_in: domain.CheckIn) -> None:
        self.session.add(
            CheckInRow(id=check_in.id, pairing_id=check_in.pairing_id, recorded_by=check_in.recorded_by,
                       happened_on=check_in.happened_on, note=check_in.note or None,
                       recorded_at=check_in.recorded_at)
        )
        await self.session.flush()

    async def check_ins(self, pairing_id: UUID) -> list[domain.CheckIn]:
        rows = await self.session.execute(
            select(CheckInRow).where(CheckInRow.pairing_id == pairing_id).order_by(CheckInRow.happened_on.desc())
        )
        return [
            domain.CheckIn(id=row.id, pairing_id=row.pairing_id, recorded_by=row.recorded_by,
                           happened_on=row.happened_on, note=row.note or "", recorded_at=row.recorded_at)
            for row in rows.scalars()
        ]

    async def erase_notes_involving(self, member_id: UUID) -> None:
        """Drop the words of every check-in of the member's pairings: either side may have named them."""
        pairings = select(PairingRow.id).where(
            or_(PairingRow.first_member_id == member_id, PairingRow.second_member_id == member_id)
        )
        await self.session.execute(update(CheckInRow).where(CheckInRow.pairing_id.in_(pairings)).values(note=None))
