"""Colours and CSS class names shared by the chart, the icons and charts.css.

Colours are also written as SVG attributes, so a chart reads the same without the stylesheet
(in an e-mail, a PDF or a feed) and needs no inline style under the portal's CSP.
"""

from __future__ import annotations

from portal.charts.patterns import PointClass

IMPROVEMENT_BLUE = "#41B6E6"  # NHS light blue, Making Data Count "improvement"
CONCERN_ORANGE = "#ED8B00"  # NHS orange, Making Data Count "concern"
COMMON_GREY = "#A6A6A6"  # Making Data Count "common cause"
NEITHER_PURPLE = "#490092"  # Making Data Count "neither improvement nor concern" icons
TEXT_GREY = "#425563"  # NHS dark grey
LINE_BLACK = "#231F20"  # NHS black
DATA_GREY = "#768692"  # NHS mid grey
GRID_GREY = "#E8EDEE"  # NHS pale grey
TARGET_PURPLE = "#330072"  # NHS purple: unlike any point colour
FONT = "Frutiger, Arial, sans-serif"

POINT_FILL = {
    PointClass.IMPROVEMENT: IMPROVEMENT_BLUE,
    PointClass.CONCERN: CONCERN_ORANGE,
    PointClass.NEITHER: COMMON_GREY,
    PointClass.COMMON: COMMON_GREY,
}


def point_css(point_class: PointClass) -> str:
    return f"spc-point spc-point--{point_class.value}"
