"""What a chart is made of, as the portal reads it from the API's `Measure.chart`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Direction(StrEnum):
    """Which way is better for the measure (`ImprovementDirection`)."""

    UP = "UP"
    DOWN = "DOWN"
    NEITHER = "NEITHER"


class Nature(StrEnum):
    """Good news, bad news or neither (`SignalNature`)."""

    IMPROVEMENT = "IMPROVEMENT"
    CONCERN = "CONCERN"
    NEITHER = "NEITHER"


class Assurance(StrEnum):
    """Whether the target will be met at the current level (`Assurance`)."""

    CONSISTENTLY_PASSING = "CONSISTENTLY_PASSING"
    CONSISTENTLY_FAILING = "CONSISTENTLY_FAILING"
    HIT_AND_MISS = "HIT_AND_MISS"


class CentreLine(StrEnum):
    MEAN = "MEAN"
    MEDIAN = "MEDIAN"


class RuleSetName(StrEnum):
    MDC = "MDC"
    IHI_RUN_CHART = "IHI_RUN_CHART"
    SHEWHART = "SHEWHART"


class Rule(StrEnum):
    """The rule that found a signal (`SignalRule`).

    OTHER stands for a rule the API added after this code was written: such a signal is
    still drawn and described, from the API's own plain-words description.
    """

    POINT_BEYOND_LIMITS = "POINT_BEYOND_LIMITS"
    SHIFT = "SHIFT"
    TREND = "TREND"
    TWO_OF_THREE_BEYOND_TWO_SIGMA = "TWO_OF_THREE_BEYOND_TWO_SIGMA"
    FIFTEEN_WITHIN_ONE_SIGMA = "FIFTEEN_WITHIN_ONE_SIGMA"
    TOO_FEW_RUNS = "TOO_FEW_RUNS"
    TOO_MANY_RUNS = "TOO_MANY_RUNS"
    ASTRONOMICAL_POINT = "ASTRONOMICAL_POINT"
    OTHER = "OTHER"


# Rules that say nothing about higher or lower: the pattern is in how the values vary.
SIDELESS_RULES = frozenset({Rule.FIFTEEN_WITHIN_ONE_SIGMA, Rule.TOO_FEW_RUNS, Rule.TOO_MANY_RUNS})


@dataclass(frozen=True, slots=True)
class Point:
    """One value with the lines around it; the lines are None where the chart has none."""

    point_id: str
    on: date
    value: float
    centre: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    special_cause: Nature | None = None  # as the API reported it, when asked for


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the chart with its own centre line and limits (limits recalculated)."""

    starts_on: date
    ends_on: date
    point_count: int
    centre: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class Signal:
    rule: Rule
    nature: Nature
    point_ids: tuple[str, ...]
    first_point_on: date
    last_point_on: date
    description: str = ""


@dataclass(frozen=True, slots=True)
class Gap:
    """A period the chart has no value for, and why (for example too few answers to show)."""

    on: date
    note: str


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """A measure and its chart by one rule set, points in date order."""

    measure_id: str | None
    name: str
    unit: str
    direction: Direction
    target: float | None
    rule_set: RuleSetName | None
    centre_line: CentreLine
    points: tuple[Point, ...]
    segments: tuple[Segment, ...] = ()
    signals: tuple[Signal, ...] = ()
    assurance: Assurance | None = None
    limits_provisional: bool = False
    notes: tuple[str, ...] = ()
    # One value a month (`on` is the month's first day): dates are written as months.
    monthly: bool = False
    gaps: tuple[Gap, ...] = ()  # in date order; each keeps an empty place on the chart

    @property
    def is_run_chart(self) -> bool:
        return self.centre_line is CentreLine.MEDIAN

    @property
    def has_limits(self) -> bool:
        return any(p.upper_limit is not None or p.lower_limit is not None for p in self.points)
