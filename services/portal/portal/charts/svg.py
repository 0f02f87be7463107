"""Write a chart's geometry as an inline SVG: no script, no inline style, no outside resources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from portal.charts import palette
from portal.charts.geometry import ChartGeometry, LineKind, LineRun, PlacedPoint
from portal.charts.patterns import PointClass

SVG_NS = "http://www.w3.org/2000/svg"
POINT_RADIUS = 4.5
Attrs = Mapping[str, str | float | None]
LegendItem = tuple[PointClass | LineKind, str]  # what the key shows, and its label

LINE_LOOK: dict[LineKind, dict[str, str | float | None]] = {
    LineKind.CENTRE: {"class": "spc-centre", "stroke": palette.LINE_BLACK, "stroke-width": 1.5},
    LineKind.UPPER_LIMIT: {"class": "spc-limit spc-limit--upper", "stroke": palette.TEXT_GREY,
                           "stroke-width": 1.5, "stroke-dasharray": "6 4"},
    LineKind.LOWER_LIMIT: {"class": "spc-limit spc-limit--lower", "stroke": palette.TEXT_GREY,
                           "stroke-width": 1.5, "stroke-dasharray": "6 4"},
    LineKind.TARGET: {"class": "spc-target", "stroke": palette.TARGET_PURPLE, "stroke-width": 2,
                      "stroke-dasharray": "10 4 2 4"},
}


def coordinate(value: float) -> str:
    """Two decimals at most, no trailing zeros: "12.5", "40"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def element(tag: str, attrs: Attrs, content: str = "") -> str:
    """An SVG element; `content` must already be escaped markup."""
    written = "".join(
        f" {name}={quoteattr(coordinate(value) if isinstance(value, float | int) else value)}"
        for name, value in attrs.items() if value is not None
    )
    return f"<{tag}{written}>{content}</{tag}>" if content else f"<{tag}{written}/>"


def text(attrs: Attrs, words: str) -> str:
    return element("text", attrs, escape(words))


def draw_chart(geometry: ChartGeometry, *, element_id: str, title: str, description: str,
               point_notes: Mapping[str, str], legend: Sequence[LegendItem], unit: str) -> str:
    """The whole chart; `point_notes` are the points' tooltips, `legend` the keys under it."""
    g = geometry
    parts = [
        element("title", {"id": f"{element_id}-title"}, escape(title)),
        element("desc", {"id": f"{element_id}-desc"}, escape(description)),
        _value_axis(g, unit),
        _date_axis(g),
        element("g", {"class": "spc-lines"}, "".join(
            [*(element("line", {"class": "spc-rebase", "x1": x, "y1": g.top, "x2": x,
                                "y2": g.bottom, "stroke": palette.DATA_GREY,
                                "stroke-dasharray": "2 4"}) for x in g.rebase_xs),
             *(_line(run) for run in g.lines)])),
        _data_line(g),
        element("g", {"class": "spc-points"},
                "".join(_point(p, point_notes.get(p.point_id, "")) for p in g.points)),
        _legend(g, legend),
    ]
    if not g.points:
        parts.append(text({"class": "spc-empty", "x": (g.left + g.right) / 2,
                           "y": (g.top + g.bottom) / 2, "text-anchor": "middle",
                           "fill": palette.TEXT_GREY}, "No values yet"))
    return element("svg", {
        "xmlns": SVG_NS, "viewBox": f"0 0 {g.width} {g.height}", "width": "100%",
        "preserveAspectRatio": "xMidYMid meet", "role": "img",
        "aria-labelledby": f"{element_id}-title", "aria-describedby": f"{element_id}-desc",
        "class": "spc-chart", "id": element_id, "font-family": palette.FONT, "font-size": 12,
    }, "".join(parts))


def _value_axis(g: ChartGeometry, unit: str) -> str:
    grid = "".join(element("line", {"x1": g.left, "y1": t.position, "x2": g.right,
                                    "y2": t.position}) for t in g.value_ticks)
    labels = "".join(text({"class": "spc-axis-label", "x": g.left - 8, "y": t.position + 4,
                           "text-anchor": "end"}, t.label) for t in g.value_ticks)
    parts = [element("g", {"class": "spc-grid", "stroke": palette.GRID_GREY, "stroke-width": 1},
                     grid),
             element("g", {"fill": palette.TEXT_GREY}, labels)]
    if unit:
        middle = coordinate((g.top + g.bottom) / 2)
        parts.append(text({"class": "spc-axis-title", "transform": f"translate(14 {middle}) "
                           "rotate(-90)", "text-anchor": "middle", "fill": palette.TEXT_GREY},
                          unit))
    return "".join(parts)


def _date_axis(g: ChartGeometry) -> str:
    axis = element("line", {"class": "spc-axis", "x1": g.left, "y1": g.bottom, "x2": g.right,
                            "y2": g.bottom, "stroke": palette.TEXT_GREY})
    marks = "".join(element("line", {"x1": t.position, "y1": g.bottom, "x2": t.position,
                                     "y2": g.bottom + 4}) for t in g.date_ticks)
    labels = "".join(text({"class": "spc-axis-label", "x": t.position, "y": g.bottom + 20,
                           "text-anchor": "middle"}, t.label) for t in g.date_ticks)
    return (axis + element("g", {"stroke": palette.TEXT_GREY}, marks)
            + element("g", {"fill": palette.TEXT_GREY}, labels))


def _line(run: LineRun) -> str:
    return element("line", {**LINE_LOOK[run.kind], "x1": run.x1, "y1": run.y, "x2": run.x2,
                            "y2": run.y, "data-value": repr(run.value)})


def _data_line(g: ChartGeometry) -> str:
    """The line joining the points, broken where a period has no value."""
    runs: list[list[PlacedPoint]] = []
    for point in g.points:
        if runs and not any(runs[-1][-1].cx < x < point.cx for x in g.gap_xs):
            runs[-1].append(point)
        else:
            runs.append([point])
    return "".join(
        element("polyline", {"class": "spc-data-line", "points": _route(run), "fill": "none",
                             "stroke": palette.DATA_GREY, "stroke-width": 1.5})
        for run in runs if len(run) >= 2)


def _route(points: Sequence[PlacedPoint]) -> str:
    return " ".join(f"{coordinate(p.cx)},{coordinate(p.cy)}" for p in points)


def _point(point: PlacedPoint, note: str) -> str:
    return element("circle", {
        "class": palette.point_css(point.point_class), "cx": point.cx, "cy": point.cy,
        "r": POINT_RADIUS, "fill": palette.POINT_FILL[point.point_class],
        "stroke": palette.TEXT_GREY, "stroke-width": 0.75, "data-point-id": point.point_id,
        "data-value": repr(point.value),
    }, element("title", {}, escape(note)) if note else "")


def _legend(g: ChartGeometry, items: Sequence[LegendItem]) -> str:
    """A row of keys under the dates; each key is a small circle or line, then its label."""
    y, x, parts = g.height - 14.0, g.left, []
    for what, label in items:
        parts.append(_swatch(what, x, y))
        parts.append(text({"class": "spc-legend-label", "x": x + 18, "y": y + 4}, label))
        x += 18 + 6 * len(label) + 20  # about 6 units a character at font size 12
    return element("g", {"class": "spc-legend", "fill": palette.TEXT_GREY}, "".join(parts))


def _swatch(what: PointClass | LineKind, x: float, y: float) -> str:
    if isinstance(what, PointClass):
        return element("circle", {"class": f"spc-legend-swatch spc-point--{what.value}",
                                  "cx": x + 6, "cy": y, "r": POINT_RADIUS,
                                  "fill": palette.POINT_FILL[what], "stroke": palette.TEXT_GREY,
                                  "stroke-width": 0.75})
    return element("line", {**LINE_LOOK[what], "x1": x, "y1": y, "x2": x + 14, "y2": y})
