"""Render a measure's chart for a page: the SVG, icons, summary and table, all from one input."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.charts.describe import description_of, title_of
from portal.charts.geometry import ChartGeometry, LineKind, layout
from portal.charts.icons import Icon, assurance_icon, variation_icon
from portal.charts.model import MeasureChart
from portal.charts.patterns import PointClass, point_classes, variation_of
from portal.charts.summary import summarise
from portal.charts.svg import LegendItem, draw_chart
from portal.charts.table import ChartTable, build_table, point_notes
from portal.charts.words import Wording

POINT_LEGEND = (
    (PointClass.IMPROVEMENT, "Improvement"),
    (PointClass.CONCERN, "Concern"),
)


@dataclass(frozen=True, slots=True)
class ChartView:
    """Everything a page needs to show a chart.

    `svg` and the icons' `svg` are complete, escaped markup to place in the page as they are
    (in Jinja: `{{ view.svg | safe }}`); every other string is plain text for the template.
    `geometry` holds the numbers the SVG was drawn from.
    """

    svg: str
    element_id: str
    title: str
    description: str
    summary: str
    variation: Icon
    assurance: Icon | None
    table: ChartTable
    geometry: ChartGeometry
    notes: tuple[str, ...]


def render_chart(chart: MeasureChart, *, element_id: str | None = None) -> ChartView:
    """`element_id` must be unique on the page; by default it comes from the measure's id."""
    wording = Wording.for_chart(chart)
    classes = point_classes(chart)
    geometry = layout(chart, classes)
    chart_id = element_id or _element_id(chart)
    title, description = title_of(chart), description_of(chart, wording)
    notes = point_notes(chart)
    svg = draw_chart(
        geometry, element_id=chart_id, title=title, description=description,
        point_notes={p.point_id: f"{wording.day(p.on)}: {wording.value(p.value)}. "
                                 f"{notes[p.point_id]}" for p in chart.points},
        legend=_legend(chart, geometry), unit=chart.unit,
    )
    return ChartView(
        svg=svg,
        element_id=chart_id,
        title=title,
        description=description,
        summary=summarise(chart, wording),
        variation=variation_icon(variation_of(chart)),
        assurance=assurance_icon(chart.assurance) if chart.assurance else None,
        table=build_table(chart, wording, classes),
        geometry=geometry,
        notes=chart.notes,
    )


def _legend(chart: MeasureChart, geometry: ChartGeometry) -> list[LegendItem]:
    shown = {p.point_class for p in geometry.points}
    items: list[LegendItem] = [(kind, label) for kind, label in POINT_LEGEND if kind in shown]
    if PointClass.NEITHER in shown:
        items.append((PointClass.NEITHER, "Neither improvement nor concern"))
    elif PointClass.COMMON in shown:
        items.append((PointClass.COMMON, "Nothing unusual"))
    lines = {line.kind for line in geometry.lines}
    if LineKind.CENTRE in lines:
        items.append((LineKind.CENTRE, "Median" if chart.is_run_chart else "Average"))
    if LineKind.UPPER_LIMIT in lines or LineKind.LOWER_LIMIT in lines:
        items.append((LineKind.UPPER_LIMIT, "Process limits"))
    if LineKind.TARGET in lines:
        items.append((LineKind.TARGET, "Target"))
    return items


def _element_id(chart: MeasureChart) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", chart.measure_id or "")
    return f"spc-chart-{safe}" if safe else "spc-chart"
