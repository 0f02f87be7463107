"""API-shaped `Measure` JSON for chart tests, computed by the projects SPC engine in-process.

The JSON goes through the projects service's own GraphQL chart types and the portal's
MEASURE_CHART_FRAGMENT, so it has exactly the names and shapes the gateway returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import strawberry
from portal.charts import CHART_FRAGMENT, MEASURE_CHART_FRAGMENT
from projects import spc
from projects.schema.charts import Chart as ApiChart

FIRST_WEEK = date(2026, 1, 5)  # a Monday; one value a week

# Falls per week on a ward, lower is better (the projects README's worked example): a bad
# week (40), then after a change at week 10 seven weeks below the mean.
FALLS = (20, 21, 19, 20, 40, 20, 21, 19, 20, 21, 14, 13, 14, 13, 14, 13, 14)
# Around 20 with no pattern: mean 20, limits 15.06 and 24.94.
STEADY = (20, 21, 19, 20, 22, 18, 20, 21, 19, 20, 21, 19, 20, 22, 18)
# Around 80, then higher from week 10.
RISES_AT_THE_END = (80, 82, 79, 81, 80, 83, 79, 81, 80, 82, 86, 88, 87, 89, 88, 90, 89)
# Around 80, then lower from week 10.
FALLS_AT_THE_END = (80, 82, 79, 81, 80, 83, 79, 81, 80, 82, 74, 73, 75, 72, 74, 73, 74)
# Rising every week from week 8.
CLIMBS = (50, 52, 49, 51, 50, 52, 49, 51, 50, 53, 55, 57, 59, 61, 63)
# Steady, then the latest week far above the upper limit.
LAST_WEEK_HIGH = (20, 21, 19, 20, 22, 18, 20, 21, 19, 20, 21, 19, 20, 22, 35)


@strawberry.type(name="Measure")
class ApiMeasure:
    """The fields of the projects service's Measure that the fragment asks for."""

    id: strawberry.ID
    name: str
    unit: str
    improvement_direction: spc.Direction  # the API's ImprovementDirection enum
    target: float | None
    chart: ApiChart


@strawberry.type
class Query:
    measure: ApiMeasure | None = None
    chart: ApiChart | None = None


SCHEMA = strawberry.Schema(query=Query)
QUERY = "query { measure { ...MeasureChartFields } }\n" + MEASURE_CHART_FRAGMENT
CHART_QUERY = "query { chart { ...ChartFields } }\n" + CHART_FRAGMENT
FIRST_MONTH = date(2025, 4, 1)  # one value a month, as the network's impact measures have


def month(n: int) -> date:
    """The first day of the nth month from FIRST_MONTH."""
    months = FIRST_MONTH.month - 1 + n
    return date(FIRST_MONTH.year + months // 12, months % 12 + 1, 1)


def month_key(n: int) -> str:
    """The nth month as the API names it (and as its chart's point id): "2025-04"."""
    return month(n).strftime("%Y-%m")


def monthly_chart_json(values: Sequence[float | None], *, direction: str = "UP",
                       rule_set: str = "MDC") -> dict[str, Any]:
    """The gateway's `Chart` for monthly values, as ImpactMeasure.chart gives it: points keyed
    by month, on the month's first day; a month whose value is None has no point."""
    observations = [spc.Observation(month_key(n), month(n), float(v))
                    for n, v in enumerate(values) if v is not None]
    chart = spc.build_chart(observations, rule_set=spc.RuleSetName(rule_set.lower()),
                            direction=spc.Direction(direction.lower()))
    result = SCHEMA.execute_sync(CHART_QUERY, root_value=Query(chart=ApiChart.from_spc(chart)))
    assert result.errors is None, result.errors
    assert result.data is not None
    answer: dict[str, Any] = result.data["chart"]
    return answer


def week(n: int) -> date:
    return FIRST_WEEK + timedelta(weeks=n)


def point_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def measure_json(
    values: Sequence[float],
    *,
    direction: str = "DOWN",
    target: float | None = None,
    rule_set: str = "MDC",
    rebase_on: Sequence[date] = (),
    name: str = "Falls per week",
    unit: str = "falls",
) -> dict[str, Any]:
    """The gateway's answer for a measure with these weekly values."""
    observations = [spc.Observation(point_id(n), week(n), float(v)) for n, v in enumerate(values)]
    chart = spc.build_chart(
        observations,
        rule_set=spc.RuleSetName(rule_set.lower()),
        direction=spc.Direction(direction.lower()),
        target=target,
        rebase_on=rebase_on,
    )
    measure = ApiMeasure(
        id=strawberry.ID("measure-1"),
        name=name,
        unit=unit,
        improvement_direction=spc.Direction(direction.lower()),
        target=target,
        chart=ApiChart.from_spc(chart),
    )
    result = SCHEMA.execute_sync(QUERY, root_value=Query(measure=measure))
    assert result.errors is None, result.errors
    assert result.data is not None
    answer: dict[str, Any] = result.data["measure"]
    return answer
