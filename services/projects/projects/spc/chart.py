"""Build a chart for a series: segments, points, signals with their nature, assurance and notes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from projects.spc.model import (
    Assurance,
    CentreLine,
    Chart,
    ChartPoint,
    Direction,
    Hit,
    Nature,
    Observation,
    Rule,
    RuleSetName,
    Segment,
    Signal,
)
from projects.spc.rules import count_runs
from projects.spc.rulesets import RULE_SETS
from projects.spc.runs_table import FEWEST_USEFUL, MOST_USEFUL
from projects.spc.xmr import (
    FIRM_LIMITS_FROM,
    median_segment,
    moving_ranges,
    segment_bounds,
    xmr_segment,
)

RULE_ORDER = {rule: position for position, rule in enumerate(Rule)}


def nature_of(direction: Direction, side: int) -> Nature:
    """Improvement or concern from the side a signal points to and which way is better."""
    if direction is Direction.NEITHER or side == 0:
        return Nature.NEITHER
    return Nature.IMPROVEMENT if (side > 0) == (direction is Direction.UP) else Nature.CONCERN


def assurance_of(segment: Segment, direction: Direction, target: float | None) -> Assurance | None:
    """Making Data Count assurance of the latest limits against a target.

    A target above the upper limit (or below the lower) cannot be reached (or missed) by
    chance alone; a target on or between the limits will be hit and missed.
    """
    upper, lower = segment.upper_limit, segment.lower_limit
    if target is None or direction is Direction.NEITHER or upper is None or lower is None:
        return None
    higher_is_better = direction is Direction.UP
    if target > upper:
        return (
            Assurance.CONSISTENTLY_FAILING if higher_is_better else Assurance.CONSISTENTLY_PASSING
        )
    if target < lower:
        return (
            Assurance.CONSISTENTLY_PASSING if higher_is_better else Assurance.CONSISTENTLY_FAILING
        )
    return Assurance.HIT_AND_MISS


def build_chart(
    observations: Iterable[Observation],
    *,
    rule_set: RuleSetName,
    direction: Direction,
    target: float | None = None,
    rebase_on: Sequence[date] = (),
) -> Chart:
    """The whole chart of a series, in date order, by the named rule set. Refuses, with
    ChartInputError, a direction or rule set it does not know and values that are not finite
    numbers: each would otherwise give a chart that looks right and is not."""
    rule_set, direction = _checked(rule_set, RuleSetName, "rule set"), _checked(direction, Direction, "direction")
    spec = RULE_SETS[rule_set]
    ordered = sorted(observations, key=lambda o: (o.on, o.key))
    for observation in ordered:
        if not _finite(observation.value):
            raise ChartInputError(f"The value of point {observation.key} ({observation.value!r}) is not a finite "
                                  "number.")
    if target is not None and not _finite(target):
        raise ChartInputError(f"The target ({target!r}) is not a finite number.")
    if not ordered:
        return Chart(
            rule_set, spec.centre_line, (), (), (), None, False, ("There are no data points yet.",)
        )
    values = [o.value for o in ordered]
    flags = [o.astronomical for o in ordered]
    bounds = segment_bounds([o.on for o in ordered], rebase_on)
    make = xmr_segment if spec.centre_line is CentreLine.MEAN else median_segment
    segments = tuple(make(values, start, end) for start, end in bounds)
    hits = [
        hit
        for segment in segments
        for detect in spec.detectors
        for hit in detect(values, segment, flags)
    ]
    hits.sort(key=lambda hit: (hit.indices[0], RULE_ORDER[hit.rule], hit.indices[-1]))
    ranges = moving_ranges(values, bounds)
    points = tuple(
        ChartPoint(o.key, o.on, o.value, ranges[i], _segment_of(i, segments))
        for i, o in enumerate(ordered)
    )
    latest = segments[-1]
    uses_limits = spec.centre_line is CentreLine.MEAN
    return Chart(
        rule_set=rule_set,
        centre_line=spec.centre_line,
        points=points,
        segments=segments,
        signals=tuple(_signal(rule_set, hit, ordered, direction) for hit in hits),
        assurance=assurance_of(latest, direction, target) if uses_limits else None,
        limits_provisional=uses_limits and latest.provisional,
        notes=_notes(spec.centre_line, values, segments),
    )


class ChartInputError(ValueError):
    """What the chart was given cannot make a true chart; the message says what and why."""


_Kind = TypeVar("_Kind", bound=StrEnum)


def _checked(value: object, kind: type[_Kind], label: str) -> _Kind:
    """`value` as the enum `kind` (its member, or its value as text), else ChartInputError."""
    try:
        # The enum looks up any value (ValueError if none matches); typeshed types the call as __new__(str).
        return kind(value)  # type: ignore[arg-type]
    except ValueError:
        known = ", ".join(repr(member.value) for member in kind)
        raise ChartInputError(f"Unknown {label} {value!r}: use one of {known}.") from None


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _segment_of(index: int, segments: Sequence[Segment]) -> int:
    return next(n for n, segment in enumerate(segments) if segment.start <= index < segment.end)


def _signal(
    rule_set: RuleSetName, hit: Hit, ordered: Sequence[Observation], direction: Direction
) -> Signal:
    return Signal(
        rule_set=rule_set,
        rule=hit.rule,
        nature=nature_of(direction, hit.side),
        point_keys=tuple(ordered[i].key for i in hit.indices),
        first_point_on=ordered[hit.indices[0]].on,
        last_point_on=ordered[hit.indices[-1]].on,
    )


def _notes(
    centre_line: CentreLine, values: Sequence[float], segments: Sequence[Segment]
) -> tuple[str, ...]:
    latest = segments[-1]
    notes: list[str] = []
    if centre_line is CentreLine.MEAN:
        if latest.upper_limit is None:
            notes.append("Limits need at least two points in a row; add more data to see them.")
        elif latest.provisional:
            notes.append(
                f"The limits are provisional: they rest on {latest.size} points, fewer than "
                f"{FIRM_LIMITS_FROM}. Read any signals with care until there is more data."
            )
        return tuple(notes)
    useful, _ = count_runs(values, latest)
    if not FEWEST_USEFUL <= useful <= MOST_USEFUL:
        notes.append(
            f"Too few or too many runs can only be checked with {FEWEST_USEFUL} to {MOST_USEFUL} "
            f"points that are not on the median; the latest part of this chart has {useful}."
        )
    return tuple(notes)
