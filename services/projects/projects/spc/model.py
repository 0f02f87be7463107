"""The vocabulary of the SPC engine: directions, rule sets, rules, signals and chart shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Direction(StrEnum):
    """Which way is better for a measure."""

    UP = "up"
    DOWN = "down"
    NEITHER = "neither"


class RuleSetName(StrEnum):
    """Named sets of rules for spotting signals (non-random patterns) in a chart."""

    MDC = "mdc"
    IHI_RUN_CHART = "ihi_run_chart"
    SHEWHART = "shewhart"


class Rule(StrEnum):
    POINT_BEYOND_LIMITS = "point_beyond_limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE_BEYOND_TWO_SIGMA = "two_of_three_beyond_two_sigma"
    FIFTEEN_WITHIN_ONE_SIGMA = "fifteen_within_one_sigma"
    TOO_FEW_RUNS = "too_few_runs"
    TOO_MANY_RUNS = "too_many_runs"
    ASTRONOMICAL_POINT = "astronomical_point"


class Nature(StrEnum):
    """Whether a signal is good news, bad news, or neither, given the measure's direction."""

    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"


class Assurance(StrEnum):
    """Making Data Count assurance: can we rely on meeting the target?"""

    CONSISTENTLY_PASSING = "consistently_passing"
    CONSISTENTLY_FAILING = "consistently_failing"
    HIT_AND_MISS = "hit_and_miss"


class CentreLine(StrEnum):
    MEAN = "mean"
    MEDIAN = "median"


@dataclass(frozen=True, slots=True)
class Observation:
    """One data point as the engine sees it; `key` is the caller's id for the point."""

    key: str
    on: date
    value: float
    astronomical: bool = False  # set by a person: the engine never decides this


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule firing on some points (indices into the series); `side` is +1 up, -1 down, 0 none."""

    rule: Rule
    indices: tuple[int, ...]
    side: int


@dataclass(frozen=True, slots=True)
class Signal:
    rule_set: RuleSetName
    rule: Rule
    nature: Nature
    point_keys: tuple[str, ...]
    first_point_on: date
    last_point_on: date

    @property
    def identity(self) -> tuple[str, str, date, str]:
        """What makes two signals "the same" across recalculations: a run that grows is one signal."""
        return (self.rule_set.value, self.rule.value, self.first_point_on, self.nature.value)


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the series with its own centre line and limits (a new one starts at each rebase)."""

    start: int
    end: int  # exclusive
    centre: float | None
    mean_moving_range: float | None
    sigma: float | None
    upper_limit: float | None
    lower_limit: float | None
    provisional: bool

    @property
    def size(self) -> int:
        return self.end - self.start

    def line(self, sigmas: float) -> float | None:
        """The line `sigmas` sigma from the centre (negative for below)."""
        if self.centre is None or self.sigma is None:
            return None
        return self.centre + sigmas * self.sigma


@dataclass(frozen=True, slots=True)
class ChartPoint:
    key: str
    on: date
    value: float
    moving_range: float | None
    segment: int


@dataclass(frozen=True, slots=True)
class Chart:
    rule_set: RuleSetName
    centre_line: CentreLine
    points: tuple[ChartPoint, ...]
    segments: tuple[Segment, ...]
    signals: tuple[Signal, ...]
    assurance: Assurance | None
    limits_provisional: bool
    notes: tuple[str, ...] = field(default=())
