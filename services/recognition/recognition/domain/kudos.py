"""Kudos: a short, plain-text thank-you from one member to another member or to a project team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from uuid import UUID, uuid4

from recognition.domain.errors import (
    KudosDailyLimitReached,
    KudosMessageTooLong,
    OneRecipientNeeded,
    SelfKudos,
)
from recognition.domain.text import plain_text

KUDOS_MESSAGE_MAX = 280


@dataclass(frozen=True, slots=True)
class Kudos:
    id: UUID
    giver_id: UUID | None  # None once the giver is erased
    to_member_id: UUID | None
    to_project_id: UUID | None
    message: str | None  # None once removed (erasure of the giver or the recipient)
    is_public: bool
    given_at: datetime

    @classmethod
    def give(
        cls,
        *,
        giver_id: UUID,
        to_member_id: UUID | None,
        to_project_id: UUID | None,
        message: str,
        is_public: bool,
        now: datetime,
        kudos_id: UUID | None = None,
    ) -> Kudos:
        """A new thank-you; raises when it is to oneself, to nobody, or not a short plain text."""
        if (to_member_id is None) == (to_project_id is None):
            raise OneRecipientNeeded("thank")
        if to_member_id == giver_id:
            raise SelfKudos()
        text = plain_text(
            message, field="message", limit=KUDOS_MESSAGE_MAX, too_long=KudosMessageTooLong
        )
        return cls(kudos_id or uuid4(), giver_id, to_member_id, to_project_id, text, is_public, now)


def day_window(now: datetime) -> tuple[datetime, datetime]:
    """The UTC day `now` falls in, as [start, end): the period the daily limit counts."""
    start = datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def check_daily_limit(given_today: int, limit: int) -> None:
    if given_today >= limit:
        raise KudosDailyLimitReached(limit)
