"""Nominations for network awards: anyone nominates, the nominee's coordinators decide."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from servicekit.identity import Principal

from recognition.domain.errors import (
    NominationAlreadyDecided,
    NotCoordinatorOfNominee,
    OneRecipientNeeded,
    SelfNomination,
)
from recognition.domain.text import plain_text

AWARD_NAME_MAX = 80
REASON_MAX = 1000
NOTE_MAX = 500


class NominationStatus(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    DECLINED = "declined"


class Decision(StrEnum):
    GRANT = "grant"
    DECLINE = "decline"


@dataclass(frozen=True, slots=True)
class Nomination:
    id: UUID
    nominator_id: UUID | None  # None once the nominator is erased
    member_id: UUID | None
    project_id: UUID | None
    organisation_id: UUID  # whose coordinators decide: the nominee's organisation
    award_name: str
    reason: str | None
    status: NominationStatus
    submitted_at: datetime
    decided_by: UUID | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None

    @classmethod
    def submit(
        cls,
        *,
        nominator_id: UUID,
        member_id: UUID | None,
        project_id: UUID | None,
        organisation_id: UUID,
        award_name: str,
        reason: str,
        now: datetime,
    ) -> Nomination:
        if (member_id is None) == (project_id is None):
            raise OneRecipientNeeded("nominate")
        if member_id == nominator_id:
            raise SelfNomination()
        return cls(
            id=uuid4(),
            nominator_id=nominator_id,
            member_id=member_id,
            project_id=project_id,
            organisation_id=organisation_id,
            award_name=plain_text(award_name, field="awardName", limit=AWARD_NAME_MAX),
            reason=plain_text(reason, field="reason", limit=REASON_MAX),
            status=NominationStatus.PENDING,
            submitted_at=now,
        )

    def decide(
        self, decider: Principal, decision: Decision, note: str | None, now: datetime
    ) -> Nomination:
        """Grant or decline; only coordinators of the nominee's organisation, and only once."""
        if not decider.is_coordinator_of(self.organisation_id):
            raise NotCoordinatorOfNominee()
        if self.status is not NominationStatus.PENDING:
            raise NominationAlreadyDecided()
        checked = plain_text(note or "", field="note", limit=NOTE_MAX, required=False) or None
        status = (
            NominationStatus.GRANTED if decision is Decision.GRANT else NominationStatus.DECLINED
        )
        return replace(
            self, status=status, decided_by=decider.member_id, decided_at=now, decision_note=checked
        )

    def visible_to(self, viewer: Principal) -> bool:
        """The reason and note are for the nominator, the nominee and the deciding coordinators."""
        if viewer.is_anonymous:
            return False
        return viewer.member_id in (self.nominator_id, self.member_id) or viewer.is_coordinator_of(
            self.organisation_id
        )
