"""The "energised and empowered" pulse: five statements answered 1 to 5, at most once a month."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from servicekit.errors import Conflict, InvalidInput

PULSE_ITEMS = (
    "I feel energised by being part of the network.",
    "I feel able to make changes that improve care.",
    "I feel listened to when I suggest an improvement.",
    "I have the support I need to make improvements.",
    "I would recommend the network to others like me.",
)
SCALE = range(1, 6)  # 1 strongly disagree ... 5 strongly agree
MINIMUM_GROUP = 5  # results are shown only for groups at least this big


class PulseAlreadySubmitted(Conflict):
    code = "pulse_already_submitted"


def month_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class PulseAnswers:
    answers: tuple[int, ...]

    @classmethod
    def of(cls, answers: list[int]) -> PulseAnswers:
        if len(answers) != len(PULSE_ITEMS):
            raise InvalidInput(f"Please answer all {len(PULSE_ITEMS)} statements.", field="answers")
        if any(answer not in SCALE for answer in answers):
            raise InvalidInput("Each answer must be a number from 1 to 5.", field="answers")
        return cls(tuple(answers))


@dataclass(frozen=True, slots=True)
class PulseSummary:
    """One organisation-month, only ever built for groups of MINIMUM_GROUP or more."""

    month: str
    responses: int
    averages: tuple[float, ...]


def summarise(month: str, rows: Sequence[tuple[int, ...]]) -> PulseSummary | None:
    """Averages per statement, or None when too few answered to keep people unidentifiable."""
    if len(rows) < MINIMUM_GROUP:
        return None
    averages = tuple(round(sum(row[i] for row in rows) / len(rows), 2) for i in range(len(PULSE_ITEMS)))
    return PulseSummary(month=month, responses=len(rows), averages=averages)


def is_energised_and_empowered(answers: Sequence[int]) -> bool:
    """Agreed (4) or strongly agreed (5) with both statement 1 (energised) and 2 (able to make changes)."""
    return answers[0] >= 4 and answers[1] >= 4


@dataclass(frozen=True, slots=True)
class ClosedPulseMonth:
    """What leaves membership about an ended organisation-month: counts, never anyone's answers."""

    organisation_id: UUID
    month: str
    responses: int
    energised_and_empowered: int | None  # None for groups under MINIMUM_GROUP


def close_month(organisation_id: UUID, month: str, rows: Sequence[Sequence[int]]) -> ClosedPulseMonth:
    """The month's figures; how many felt energised and empowered only for a large-enough group."""
    count = sum(1 for answers in rows if is_energised_and_empowered(answers))
    return ClosedPulseMonth(
        organisation_id=organisation_id, month=month, responses=len(rows),
        energised_and_empowered=count if len(rows) >= MINIMUM_GROUP else None,
    )
