"""What the signals mean for each point and for the chart: point colours, high or low, variation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from portal.charts.model import SIDELESS_RULES, Direction, MeasureChart, Nature, Point, Rule, Signal

# When a point is in several signals, the worst news wins (as the API's specialCause does).
NATURE_PRIORITY = (Nature.CONCERN, Nature.IMPROVEMENT, Nature.NEITHER)


class PointClass(StrEnum):
    """How a point is coloured: Making Data Count blue, orange, or grey."""

    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"  # in a signal that is neither good nor bad news: grey, like common cause
    COMMON = "common"  # in no signal: ordinary, common cause variation


class Variation(StrEnum):
    """The Making Data Count variation icon: what kind of variation the latest point shows."""

    COMMON_CAUSE = "common-cause"
    IMPROVEMENT_HIGH = "improvement-high"
    IMPROVEMENT_LOW = "improvement-low"
    CONCERN_HIGH = "concern-high"
    CONCERN_LOW = "concern-low"
    NEITHER_HIGH = "neither-high"
    NEITHER_LOW = "neither-low"
    NEITHER = "neither"  # an unusual pattern that is neither high nor low (runs, hugging)


def stretches_of(chart: MeasureChart) -> list[tuple[int, int]]:
    """(start, end) indices of runs of points that share one centre line and limits.

    A new stretch starts where a segment starts (the limits were recalculated) or where the
    lines change, so charts drawn from points alone step in the same places.
    """
    starts_on = {s.starts_on for s in chart.segments}
    points = chart.points
    starts = [
        i for i, p in enumerate(points)
        if i == 0 or p.on in starts_on or _lines(p) != _lines(points[i - 1])
    ]
    return list(zip(starts, [*starts[1:], len(points)][: len(starts)], strict=True))


def _lines(point: Point) -> tuple[float | None, float | None, float | None]:
    return point.centre, point.upper_limit, point.lower_limit


def point_classes(chart: MeasureChart) -> dict[str, PointClass]:
    """Each point's colour class, from the natures of the signals that contain it."""
    natures: dict[str, set[Nature]] = {}
    for signal in chart.signals:
        for point_id in signal.point_ids:
            natures.setdefault(point_id, set()).add(signal.nature)
    return {p.point_id: _class_of(natures.get(p.point_id, set())) for p in chart.points}


def _class_of(natures: set[Nature]) -> PointClass:
    for nature in NATURE_PRIORITY:
        if nature in natures:
            return PointClass(nature.value.lower())
    return PointClass.COMMON


def side_of(signal: Signal, points: Mapping[str, Point]) -> int:
    """+1 when the signal is about high values, -1 about low, 0 when it is neither."""
    members = [points[i] for i in signal.point_ids if i in points]
    if signal.rule in SIDELESS_RULES or not members:
        return 0
    if signal.rule is Rule.TREND:
        return _sign(members[-1].value - members[0].value)
    votes = sum(_sign(p.value - p.centre) for p in members if p.centre is not None)
    return _sign(votes)


def is_current(signal: Signal, chart: MeasureChart) -> bool:
    """True when the signal reaches the latest point: it is still going on."""
    return bool(chart.points) and chart.points[-1].point_id in signal.point_ids


def points_by_id(chart: MeasureChart) -> dict[str, Point]:
    return {p.point_id: p for p in chart.points}


def variation_of(chart: MeasureChart) -> Variation:
    """Making Data Count reads the variation icon from the latest point's signals."""
    current = [s for s in chart.signals if is_current(s, chart)]
    if not current:
        return Variation.COMMON_CAUSE
    signal = _most_telling(current)
    side = side_of(signal, points_by_id(chart))
    if signal.nature is Nature.NEITHER:
        return {1: Variation.NEITHER_HIGH, -1: Variation.NEITHER_LOW}.get(side, Variation.NEITHER)
    if side == 0:  # cannot happen for API signals: their nature comes from a side
        good_is_high = chart.direction is Direction.UP
        side = 1 if (signal.nature is Nature.IMPROVEMENT) == good_is_high else -1
    high = side > 0
    if signal.nature is Nature.IMPROVEMENT:
        return Variation.IMPROVEMENT_HIGH if high else Variation.IMPROVEMENT_LOW
    return Variation.CONCERN_HIGH if high else Variation.CONCERN_LOW


def _most_telling(signals: Sequence[Signal]) -> Signal:
    """The worst news first; among equals, the one with a side, then the latest to start."""
    return min(
        signals,
        key=lambda s: (NATURE_PRIORITY.index(s.nature), s.rule in SIDELESS_RULES,
                       -s.first_point_on.toordinal()),
    )


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)
