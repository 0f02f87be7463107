"""The chart as a table, point by point, for screen readers and anyone who prefers numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from portal.charts.model import Gap, MeasureChart, Nature, Point, Rule, Signal
from portal.charts.patterns import NATURE_PRIORITY, PointClass, points_by_id, side_of
from portal.charts.words import Wording

NATURE_WORDS = {Nature.CONCERN: "Concern", Nature.IMPROVEMENT: "Improvement",
                Nature.NEITHER: "Unusual pattern"}
NOTHING_UNUSUAL = "Nothing unusual"
NO_VALUE = "No value"


@dataclass(frozen=True, slots=True)
class TableRow:
    """One point: its numbers, and `cells` as written, in the order of the table's headings.

    A gap in the chart (a period with no value) is a row too: no point id, no value, and what
    it shows is the reason there is no value."""

    point_id: str | None
    on: date
    value: float | None
    centre: float | None
    lower_limit: float | None
    upper_limit: float | None
    point_class: PointClass
    shows: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChartTable:
    caption: str
    headings: tuple[str, ...]
    rows: tuple[TableRow, ...]


def build_table(chart: MeasureChart, wording: Wording,
                classes: Mapping[str, PointClass]) -> ChartTable:
    """Run charts have no limits, so their table leaves those columns out."""
    notes = point_notes(chart)
    value_heading = f"Value ({chart.unit})" if chart.unit else "Value"
    when = "Month" if chart.monthly else "Date"
    if chart.is_run_chart:
        headings: tuple[str, ...] = (when, value_heading, "Median", "What it shows")
    else:
        headings = (when, value_heading, "Average", "Lower process limit",
                    "Upper process limit", "What it shows")
    rows = tuple(sorted(
        [*(_row(p, chart, wording, classes, notes[p.point_id]) for p in chart.points),
         *(_gap_row(gap, chart, wording) for gap in chart.gaps)],
        key=lambda row: row.on))
    name = chart.name or "The measure"
    lines = "the median" if chart.is_run_chart else "the average and process limits"
    return ChartTable(f"{name}: each value with {lines}, and what it shows", headings, rows)


def _row(point: Point, chart: MeasureChart, wording: Wording,
         classes: Mapping[str, PointClass], shows: str) -> TableRow:
    cells = [wording.label(point.on), wording.value(point.value), wording.line(point.centre)]
    if not chart.is_run_chart:
        cells += [wording.line(point.lower_limit), wording.line(point.upper_limit)]
    return TableRow(point.point_id, point.on, point.value, point.centre, point.lower_limit,
                    point.upper_limit, classes.get(point.point_id, PointClass.COMMON), shows,
                    (*cells, shows))


def _gap_row(gap: Gap, chart: MeasureChart, wording: Wording) -> TableRow:
    lines = ("",) if chart.is_run_chart else ("", "", "")
    return TableRow(None, gap.on, None, None, None, None, PointClass.COMMON, gap.note,
                    (wording.label(gap.on), NO_VALUE, *lines, gap.note))


def point_notes(chart: MeasureChart) -> dict[str, str]:
    """For each point, what the signals it belongs to say, worst news first."""
    points = points_by_id(chart)
    found: dict[str, dict[Nature, list[str]]] = {p.point_id: {} for p in chart.points}
    for signal in chart.signals:
        phrase = _phrase(signal, side_of(signal, points), chart)
        for point_id in signal.point_ids:
            if point_id in found:
                found[point_id].setdefault(signal.nature, []).append(phrase)
    return {point_id: _note(natures) for point_id, natures in found.items()}


def _note(natures: dict[Nature, list[str]]) -> str:
    if not natures:
        return NOTHING_UNUSUAL
    return " ".join(f"{NATURE_WORDS[nature]}: {'; '.join(natures[nature])}."
                    for nature in NATURE_PRIORITY if nature in natures)


def _phrase(signal: Signal, side: int, chart: MeasureChart) -> str:
    """What one signal says about each of its points."""
    n, high = len(signal.point_ids), side > 0
    centre = "the median" if chart.is_run_chart else "the average"
    phrases = {
        Rule.POINT_BEYOND_LIMITS: "above the upper process limit" if high
        else "below the lower process limit",
        Rule.SHIFT: f"one of {n} points in a row {'above' if high else 'below'} {centre}",
        Rule.TREND: f"one of {n} points in a row going {'up' if high else 'down'}",
        Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA: "one of two out of three points in a row close to "
        f"the {'upper' if high else 'lower'} process limit",
        Rule.FIFTEEN_WITHIN_ONE_SIGMA: f"one of {n} points in a row unusually close to {centre}",
        Rule.TOO_FEW_RUNS: "in a stretch that crosses the median too few times",
        Rule.TOO_MANY_RUNS: "in a stretch that crosses the median too many times",
        Rule.ASTRONOMICAL_POINT: "marked as obviously unlike the others",
    }
    fallback = signal.description.strip().rstrip(".") or "an unusual pattern"
    return phrases.get(signal.rule, fallback[:1].lower() + fallback[1:])
