"""Making Data Count icons, drawn simply: variation (H or L) and assurance (P, F, or hit and miss).

Each icon comes with its label for the page to show beside it; the SVG itself is hidden from
screen readers (its <title> is only a tooltip), so the label is read once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from portal.charts import palette
from portal.charts.model import Assurance
from portal.charts.patterns import Variation
from portal.charts.svg import SVG_NS, coordinate, element, text

SIZE = 40
DOT_XS = (9.0, 13.0, 17.0, 21.0, 25.0, 29.0, 33.0)
FLAT = (21.0, 18.0, 22.0, 19.0, 21.0, 18.0, 20.0)
RISING = (27.0, 28.0, 27.0, 28.0, 23.0, 22.0, 21.0)  # the last three are the unusual ones
FALLING = (13.0, 12.0, 13.0, 12.0, 17.0, 18.0, 19.0)
ZIGZAG = (20.0, 15.0, 25.0, 15.0, 25.0, 15.0, 20.0)
WANDERING = ((9.0, 24.0), (13.0, 14.0), (17.0, 26.0), (21.0, 13.0), (25.0, 25.0), (29.0, 15.0),
             (32.0, 21.0))

VARIATION_LABELS = {
    Variation.COMMON_CAUSE: "No unusual pattern: only the ups and downs expected by chance "
                            "(common cause variation)",
    Variation.IMPROVEMENT_HIGH: "Improvement: unusually high values (special cause variation)",
    Variation.IMPROVEMENT_LOW: "Improvement: unusually low values (special cause variation)",
    Variation.CONCERN_HIGH: "Concern: unusually high values (special cause variation)",
    Variation.CONCERN_LOW: "Concern: unusually low values (special cause variation)",
    Variation.NEITHER_HIGH: "Unusually high values, neither better nor worse "
                            "(special cause variation)",
    Variation.NEITHER_LOW: "Unusually low values, neither better nor worse "
                           "(special cause variation)",
    Variation.NEITHER: "An unusual pattern, neither better nor worse (special cause variation)",
}
ASSURANCE_LABELS = {
    Assurance.CONSISTENTLY_PASSING: "The target is met every time (consistently passing)",
    Assurance.CONSISTENTLY_FAILING: "The target will not be met without a change in the "
                                    "process (consistently failing)",
    Assurance.HIT_AND_MISS: "The target will be met some times and not others (hit and miss)",
}
VARIATION_COLOURS = {"improvement": palette.IMPROVEMENT_BLUE, "concern": palette.CONCERN_ORANGE,
                     "neither": palette.NEITHER_PURPLE}


@dataclass(frozen=True, slots=True)
class Icon:
    kind: str  # the Variation or Assurance it shows, e.g. "improvement-high", "hit-and-miss"
    label: str
    svg: str


def variation_icon(variation: Variation) -> Icon:
    """A ring in the news colour; dots whose last three are unusual; H or L for high or low."""
    nature, _, side = variation.value.partition("-")
    colour = VARIATION_COLOURS.get(nature, palette.COMMON_GREY)
    if variation is Variation.COMMON_CAUSE:
        body = _dots(FLAT, colour, unusual_from=len(DOT_XS))
    elif side == "high":
        body = _dots(RISING, colour, unusual_from=4) + _letter("H", 17, colour)
    elif side == "low":
        body = _dots(FALLING, colour, unusual_from=4) + _letter("L", 33, colour)
    else:
        body = _dots(ZIGZAG, colour, unusual_from=0)
    return _icon("variation", variation.value, VARIATION_LABELS[variation], colour, body)


def assurance_icon(assurance: Assurance) -> Icon:
    """P (passing) in blue or F (failing) in orange over a dashed target; grey hit and miss."""
    kind = assurance.value.lower().replace("_", "-")
    if assurance is Assurance.HIT_AND_MISS:  # the values wander either side of the target
        colour = palette.COMMON_GREY
        body = _target(20) + _polyline(WANDERING, palette.TEXT_GREY)
    else:
        passing = assurance is Assurance.CONSISTENTLY_PASSING
        colour = palette.IMPROVEMENT_BLUE if passing else palette.CONCERN_ORANGE
        body = _target(29) + _letter("P" if passing else "F", 24, colour, size=15)
    return _icon("assurance", kind, ASSURANCE_LABELS[assurance], colour, body)


def _icon(family: str, kind: str, label: str, colour: str, body: str) -> Icon:
    ring = element("circle", {"cx": 20, "cy": 20, "r": 17.5, "fill": "#FFFFFF", "stroke": colour,
                              "stroke-width": 2.5})
    svg = element("svg", {
        "xmlns": SVG_NS, "viewBox": f"0 0 {SIZE} {SIZE}", "width": SIZE, "height": SIZE,
        "class": f"spc-icon spc-icon--{family} spc-icon--{kind}", "aria-hidden": "true",
        "focusable": "false",
    }, element("title", {}, escape(label)) + ring + body)
    return Icon(kind, label, svg)


def _dots(ys: Sequence[float], colour: str, *, unusual_from: int) -> str:
    line = _polyline(tuple(zip(DOT_XS, ys, strict=True)), palette.COMMON_GREY)
    dots = "".join(
        element("circle", {"cx": x, "cy": y, "r": 2,
                           "fill": colour if i >= unusual_from else palette.COMMON_GREY})
        for i, (x, y) in enumerate(zip(DOT_XS, ys, strict=True))
    )
    return line + dots


def _target(y: float) -> str:
    return element("line", {"x1": 8, "y1": y, "x2": 32, "y2": y, "stroke": palette.LINE_BLACK,
                            "stroke-width": 1.5, "stroke-dasharray": "3 2"})


def _polyline(points: Sequence[tuple[float, float]], colour: str) -> str:
    route = " ".join(f"{coordinate(x)},{coordinate(y)}" for x, y in points)
    return element("polyline", {"points": route, "fill": "none", "stroke": colour,
                                "stroke-width": 1.5})


def _letter(letter: str, baseline: float, colour: str, *, size: int = 11) -> str:
    return text({"x": 20, "y": baseline, "text-anchor": "middle", "font-family": palette.FONT,
                 "font-size": size, "font-weight": "bold", "fill": colour}, letter)
