"""Where everything goes: the numbers the SVG is drawn from, kept for tests and browser checks."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.charts.model import MeasureChart, Point
from portal.charts.patterns import PointClass, stretches_of
from portal.charts.scale import IndexScale, ValueScale, value_ticks
from portal.charts.words import decimals_of, month_label, number, short_date

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64.0, 704.0, 16.0, 284.0  # the plot area, in viewBox units
MOST_DATE_LABELS = 6


class LineKind(StrEnum):
    CENTRE = "centre"
    UPPER_LIMIT = "upper-limit"
    LOWER_LIMIT = "lower-limit"
    TARGET = "target"


@dataclass(frozen=True, slots=True)
class PlacedPoint:
    point_id: str
    on: date
    value: float
    cx: float
    cy: float
    point_class: PointClass


@dataclass(frozen=True, slots=True)
class LineRun:
    """A horizontal stretch of one line: a new stretch starts where the limits were recalculated."""

    kind: LineKind
    value: float
    x1: float
    x2: float
    y: float
    first_point_id: str
    last_point_id: str


@dataclass(frozen=True, slots=True)
class Tick:
    position: float  # y for value ticks, x for date ticks
    label: str


@dataclass(frozen=True, slots=True)
class ChartGeometry:
    """Everything in viewBox units (0 0 width height); y grows downwards, as in SVG."""

    width: int
    height: int
    scale: ValueScale
    points: tuple[PlacedPoint, ...]
    lines: tuple[LineRun, ...]
    value_ticks: tuple[Tick, ...]
    date_ticks: tuple[Tick, ...]
    rebase_xs: tuple[float, ...]  # where a new stretch of limits begins
    gap_xs: tuple[float, ...] = ()  # the empty places of periods with no value
    left: float = LEFT
    right: float = RIGHT
    top: float = TOP
    bottom: float = BOTTOM

    def lines_of(self, kind: LineKind) -> tuple[LineRun, ...]:
        return tuple(line for line in self.lines if line.kind is kind)


def layout(chart: MeasureChart, classes: Mapping[str, PointClass]) -> ChartGeometry:
    """Place the points, lines and labels of a chart in a WIDTH x HEIGHT viewBox."""
    points = chart.points
    scale, ticks = value_ticks(_values_to_show(chart) or [0.0, 1.0], top=TOP, bottom=BOTTOM)
    slots = Slots.of(chart)
    stretches = stretches_of(chart)
    lines = [run for stretch in stretches for run in _runs(stretch, points, slots, scale)]
    if chart.target is not None and points:
        lines.append(LineRun(LineKind.TARGET, chart.target, LEFT, RIGHT, scale.y(chart.target),
                             points[0].point_id, points[-1].point_id))
    places = max((decimals_of(t) for t in ticks), default=0)
    with_year = len({p.on.year for p in points}) > 1

    def date_label(on: date) -> str:
        return month_label(on) if chart.monthly else short_date(on, with_year=with_year)

    return ChartGeometry(
        width=WIDTH,
        height=HEIGHT,
        scale=scale,
        points=tuple(
            PlacedPoint(p.point_id, p.on, p.value, slots.x(i), scale.y(p.value),
                        classes.get(p.point_id, PointClass.COMMON))
            for i, p in enumerate(points)
        ),
        lines=tuple(lines),
        value_ticks=tuple(Tick(scale.y(t), number(t, places)) for t in ticks),
        date_ticks=tuple(Tick(slots.xs.x(i), date_label(slots.dates[i]))
                         for i in _label_indices(len(slots.dates))),
        rebase_xs=tuple(slots.start(start) for start, _ in stretches[1:]),
        gap_xs=tuple(slots.xs.x(i) for i in slots.gap_indices),
    )


@dataclass(frozen=True, slots=True)
class Slots:
    """The places along the date axis: one for each point and, in date order among them, one
    left empty for each gap (a period with no value), so the axis keeps time evenly."""

    xs: IndexScale
    dates: tuple[date, ...]  # of every place
    point_slots: tuple[int, ...]  # the place of each point
    gap_indices: tuple[int, ...]

    @classmethod
    def of(cls, chart: MeasureChart) -> Slots:
        points = chart.points
        if not chart.gaps:  # each point in its own place, in order (even two on one date)
            count = len(points)
            return cls(IndexScale(count, LEFT, RIGHT), tuple(p.on for p in points),
                       tuple(range(count)), ())
        places = sorted([(p.on, False, i) for i, p in enumerate(points)]
                        + [(g.on, True, n) for n, g in enumerate(chart.gaps)])
        point_slots = [0] * len(points)
        gaps = []
        for slot, (_, is_gap, index) in enumerate(places):
            if is_gap:
                gaps.append(slot)
            else:
                point_slots[index] = slot
        return cls(IndexScale(len(places), LEFT, RIGHT), tuple(on for on, _, _ in places),
                   tuple(point_slots), tuple(gaps))

    def x(self, point_index: int) -> float:
        return self.xs.x(self.point_slots[point_index])

    def start(self, point_index: int) -> float:
        """Where the place of the point begins (a stretch of lines starts there)."""
        return self.xs.slot_start(self.point_slots[point_index])

    def end(self, point_index: int) -> float:
        """Where the place of the point ends."""
        return self.xs.slot_start(self.point_slots[point_index] + 1)


def _values_to_show(chart: MeasureChart) -> list[float]:
    lines = [v for p in chart.points for v in (p.centre, p.upper_limit, p.lower_limit)]
    values = [p.value for p in chart.points] + [v for v in lines if v is not None]
    if chart.target is not None:
        values.append(chart.target)
    return values


def _runs(stretch: tuple[int, int], points: Sequence[Point], slots: Slots,
          scale: ValueScale) -> list[LineRun]:
    start, end = stretch
    first, last = points[start], points[end - 1]
    x1, x2 = slots.start(start), slots.end(end - 1)
    kinds = ((LineKind.CENTRE, first.centre), (LineKind.UPPER_LIMIT, first.upper_limit),
             (LineKind.LOWER_LIMIT, first.lower_limit))
    return [LineRun(kind, value, x1, x2, scale.y(value), first.point_id, last.point_id)
            for kind, value in kinds if value is not None]


def _label_indices(count: int) -> list[int]:
    """At most MOST_DATE_LABELS points at an even step, always the first and the last."""
    if count <= MOST_DATE_LABELS:
        return list(range(count))
    step = math.ceil((count - 1) / (MOST_DATE_LABELS - 1))
    chosen = list(range(0, count, step))
    if chosen[-1] != count - 1:
        # Too near the last label to sit beside it: the last point takes its place.
        if count - 1 - chosen[-1] < step / 2:
            chosen.pop()
        chosen.append(count - 1)
    return chosen
