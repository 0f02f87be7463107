"""Statistical process control charts as inline SVG, in the NHS England Making Data Count style.

Pass the API's `Measure` JSON (with its `chart`) to `chart_from_api`, then the result to
`render_chart`. Pure: no I/O. The portal serves `charts.css` beside it.
"""

from portal.charts.geometry import ChartGeometry, LineKind, LineRun, PlacedPoint, Tick
from portal.charts.icons import Icon
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
from portal.charts.parse import (
    CHART_FRAGMENT,
    MEASURE_CHART_FRAGMENT,
    ChartDataError,
    chart_from_api,
)
from portal.charts.patterns import PointClass, Variation
from portal.charts.render import ChartView, render_chart
from portal.charts.table import ChartTable, TableRow

__all__ = [
    "CHART_FRAGMENT",
    "MEASURE_CHART_FRAGMENT",
    "Assurance",
    "CentreLine",
    "ChartDataError",
    "ChartGeometry",
    "ChartTable",
    "ChartView",
    "Direction",
    "Gap",
    "Icon",
    "LineKind",
    "LineRun",
    "MeasureChart",
    "Nature",
    "PlacedPoint",
    "Point",
    "PointClass",
    "Rule",
    "RuleSetName",
    "Segment",
    "Signal",
    "TableRow",
    "Tick",
    "Variation",
    "chart_from_api",
    "render_chart",
]
