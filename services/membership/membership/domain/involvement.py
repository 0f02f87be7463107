"""Involvement: the co-production level a member chooses, and a log of time they gave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from servicekit.errors import InvalidInput

from membership.domain.common import clean_text

ACTIVITY_MAX = 200
MINUTES_MAX = 24 * 60


class InvolvementLevel(StrEnum):
    """The co-production ladder, from being kept informed to sharing power and decisions."""

    INFORMING = "informing"
    CONSULTATION = "consultation"
    ENGAGEMENT = "engagement"
    CO_DESIGN = "co_design"
    CO_PRODUCTION = "co_production"


class RewardPreference(StrEnum):
    PAYMENT = "payment"
    VOUCHER = "voucher"
    TIME_CREDIT = "time_credit"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class InvolvementEntry:
    id: UUID
    member_id: UUID
    took_place_on: date
    minutes: int
    activity: str
    reward_preference: RewardPreference
    project_id: UUID | None
    logged_at: datetime

    @classmethod
    def log(
        cls,
        *,
        member_id: UUID,
        took_place_on: date,
        minutes: int,
        activity: str,
        reward_preference: RewardPreference,
        project_id: UUID | None,
        now: datetime,
    ) -> InvolvementEntry:
        if not 1 <= minutes <= MINUTES_MAX:
            raise InvalidInput(f"Minutes must be between 1 and {MINUTES_MAX}.", field="minutes")
        if took_place_on > now.date():
            raise InvalidInput("Involvement can only be logged for today or earlier.", field="date")
        return cls(
            id=uuid4(),
            member_id=member_id,
            took_place_on=took_place_on,
            minutes=minutes,
            activity=clean_text(activity, field="activity", label="description of the activity",
                                max_length=ACTIVITY_MAX),
            reward_preference=reward_preference,
            project_id=project_id,
            logged_at=now,
        )
