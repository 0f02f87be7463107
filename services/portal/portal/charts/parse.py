"""Read the API's `Measure` JSON (camelCase, as the gateway returns it) into a MeasureChart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from portal.charts.model import (
    Assurance,
    CentreLine,
    Direction,
    Gap,
    MeasureChart,
    Nature,
    Point,
    Rule,
    RuleSetName,
    Segment,
    Signal,
)

# The fields of a `Chart` that `chart_from_api` reads: `chart { ...ChartFields }` with
# CHART_FRAGMENT, wherever the API gives a Chart (Measure.chart, ImpactMeasure.chart).
CHART_FRAGMENT = """
fragment ChartFields on Chart {
  ruleSet
  centreLine
  assurance
  limitsProvisional
  notes
  points { pointId on value centre upperLimit lowerLimit specialCause }
  segments { startsOn endsOn pointCount centre upperLimit lowerLimit provisional }
  signals { rule nature pointIds firstPointOn lastPointOn description }
}
"""
# Ask for these fields and `chart_from_api` has all it needs. Spread it on a Measure:
#   query { project(id: $id) { measures { ...MeasureChartFields } } }  + MEASURE_CHART_FRAGMENT
MEASURE_CHART_FRAGMENT = """
fragment MeasureChartFields on Measure {
  id
  name
  unit
  improvementDirection
  target
  chart { ...ChartFields }
}
""" + CHART_FRAGMENT

E = TypeVar("E", bound=StrEnum)
Json = Mapping[str, Any]  # the API's answer: Any is confined to this edge


class ChartDataError(ValueError):
    """The API's answer lacks something a chart needs, or has a value of the wrong kind."""


def chart_from_api(measure_json: Json, *, monthly: bool = False,
                   gaps: Sequence[Gap] = ()) -> MeasureChart:
    """The chart of one measure from the API's JSON for it.

    `measure_json` is a `Measure` object with its `chart` (see MEASURE_CHART_FRAGMENT);
    fields left out of the query get safe defaults, except the chart's points.
    `monthly`: one value a month, each point on its month's first day. `gaps`: periods with
    no value and why, which the API gives beside the chart (as ImpactMeasure.values does).
    Raises ChartDataError when the answer cannot be read as a chart.
    """
    chart = measure_json.get("chart")
    if not isinstance(chart, Mapping):
        raise ChartDataError("The measure has no chart: ask for Measure.chart.")
    segments = tuple(_segment(raw) for raw in _list(chart, "segments"))
    points = sorted((_point(raw, segments) for raw in _list(chart, "points", required=True)),
                    key=lambda point: point.on)
    target = measure_json.get("target")
    return MeasureChart(
        measure_id=_optional_str(measure_json.get("id")),
        name=str(measure_json.get("name") or ""),
        unit=str(measure_json.get("unit") or ""),
        direction=_enum(Direction, measure_json.get("improvementDirection") or "NEITHER"),
        target=None if target is None else _number(target, "target"),
        rule_set=_optional_enum(RuleSetName, chart.get("ruleSet")),
        centre_line=_enum(CentreLine, chart.get("centreLine") or "MEAN"),
        points=tuple(points),
        segments=segments,
        signals=tuple(_signal(raw) for raw in _list(chart, "signals")),
        assurance=_optional_enum(Assurance, chart.get("assurance")),
        limits_provisional=bool(chart.get("limitsProvisional", False)),
        notes=tuple(str(note) for note in _list(chart, "notes")),
        monthly=monthly,
        gaps=tuple(sorted(gaps, key=lambda gap: gap.on)),
    )


def _point(raw: Json, segments: Sequence[Segment]) -> Point:
    on = _date(raw.get("on"), "on")
    # Lines the query did not ask for come from the segment holding the point.
    segment = next((s for s in segments if s.starts_on <= on <= s.ends_on), None)

    def line(key: str) -> float | None:
        if key in raw:
            return _optional_number(raw[key], key)
        return getattr(segment, _snake(key)) if segment is not None else None

    return Point(
        point_id=str(_required(raw, "pointId")),
        on=on,
        value=_number(_required(raw, "value"), "value"),
        centre=line("centre"),
        upper_limit=line("upperLimit"),
        lower_limit=line("lowerLimit"),
        special_cause=_optional_enum(Nature, raw.get("specialCause")),
    )


def _segment(raw: Json) -> Segment:
    return Segment(
        starts_on=_date(raw.get("startsOn"), "startsOn"),
        ends_on=_date(raw.get("endsOn"), "endsOn"),
        point_count=int(raw.get("pointCount") or 0),
        centre=_optional_number(raw.get("centre"), "centre"),
        upper_limit=_optional_number(raw.get("upperLimit"), "upperLimit"),
        lower_limit=_optional_number(raw.get("lowerLimit"), "lowerLimit"),
        provisional=bool(raw.get("provisional", False)),
    )


def _signal(raw: Json) -> Signal:
    rule = raw.get("rule")
    return Signal(
        rule=Rule(str(rule)) if rule in Rule.__members__ else Rule.OTHER,
        nature=_enum(Nature, raw.get("nature") or "NEITHER"),
        point_ids=tuple(str(point_id) for point_id in raw.get("pointIds") or ()),
        first_point_on=_date(raw.get("firstPointOn"), "firstPointOn"),
        last_point_on=_date(raw.get("lastPointOn"), "lastPointOn"),
        description=str(raw.get("description") or ""),
    )


def _list(raw: Json, key: str, *, required: bool = False) -> Sequence[Any]:
    value = raw.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list):
        raise ChartDataError(f"The chart's {key} should be a list.")
    return value


def _required(raw: Json, key: str) -> Any:
    if raw.get(key) is None:
        raise ChartDataError(f"A chart point has no {key}.")
    return raw[key]


def _date(raw: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ChartDataError(f"{field} should be a date, not {raw!r}.") from None


def _number(raw: Any, field: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ChartDataError(f"{field} should be a number, not {raw!r}.")
    return float(raw)


def _optional_number(raw: Any, field: str) -> float | None:
    return None if raw is None else _number(raw, field)


def _optional_str(raw: Any) -> str | None:
    return None if raw is None else str(raw)


def _enum(kind: type[E], raw: Any) -> E:
    try:
        return kind(raw)
    except ValueError:
        raise ChartDataError(f"{raw!r} is not a known {kind.__name__}.") from None


def _optional_enum(kind: type[E], raw: Any) -> E | None:
    return None if raw is None else _enum(kind, raw)


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)
