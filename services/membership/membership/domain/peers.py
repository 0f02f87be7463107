"""Peer support: pairings between two active members, across organisations and member types."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from servicekit.errors import Conflict, InvalidInput, NotFound

from membership.domain.common import clean_text
from membership.domain.members import Member

NOTE_MAX = 1000


class PairingKind(StrEnum):
    BUDDY = "buddy"
    COACH = "coach"
    CO_COACH = "co_coach"


class PairingNotFound(NotFound):
    code = "pairing_not_found"


class PairingNotPossible(Conflict):
    code = "pairing_not_possible"


class PairingEndedAlready(Conflict):
    code = "pairing_ended"


@dataclass(frozen=True, slots=True)
class Pairing:
    id: UUID
    kind: PairingKind
    first_member_id: UUID
    second_member_id: UUID
    crosses_organisations: bool
    paired_at: datetime
    ended_at: datetime | None = None

    @classmethod
    def pair(
        cls, first: Member, second: Member, *, kind: PairingKind, now: datetime, id: UUID | None = None
    ) -> Pairing:
        if first.id == second.id:
            raise PairingNotPossible("A member cannot be paired with themselves.")
        if not (first.is_active and second.is_active):
            raise PairingNotPossible("Both members must be active to be paired.")
        return cls(
            id=id or uuid4(),
            kind=kind,
            first_member_id=first.id,
            second_member_id=second.id,
            crosses_organisations=first.organisation_id != second.organisation_id,
            paired_at=now,
        )

    def involves(self, member_id: UUID | None) -> bool:
        return member_id in (self.first_member_id, self.second_member_id)

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def end(self, *, now: datetime) -> Pairing:
        if self.ended_at is not None:
            raise PairingEndedAlready("This pairing has already ended.")
        return replace(self, ended_at=now)


@dataclass(frozen=True, slots=True)
class CheckIn:
    id: UUID
    pairing_id: UUID
    recorded_by: UUID
    happened_on: date
    note: str
    recorded_at: datetime

    @classmethod
    def record(
        cls, pairing: Pairing, *, recorded_by: UUID, happened_on: date, note: str, now: datetime
    ) -> CheckIn:
        if not pairing.is_active:
            raise PairingEndedAlready("Check-ins cannot be added to a pairing that has ended.")
        if happened_on > now.date():
            raise InvalidInput("A check-in can only be recorded for today or earlier.", field="happenedOn")
        return cls(
            id=uuid4(),
            pairing_id=pairing.id,
            recorded_by=recorded_by,
            happened_on=happened_on,
            note=clean_text(note, field="note", label="note", max_length=NOTE_MAX, required=False),
            recorded_at=now,
        )
