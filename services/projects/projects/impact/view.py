"""`networkImpact`: who may see which figures, and each measure's monthly values with its chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from servicekit.errors import InvalidInput, NotAllowed
from servicekit.identity import Principal
from sqlalchemy.ext.asyncio import AsyncSession

from projects import spc
from projects.impact.catalogue import MEASURES, ImpactMeasure
from projects.impact.diagram import Diagram, read_diagram
from projects.impact.figures import Figures, Months, Value
from projects.repository import SettingsRepository

FEWEST_MONTHS, MOST_MONTHS = 3, 36
THIS_MONTH = "This month so far; it joins the chart when the month is over."


@dataclass(frozen=True, slots=True)
class MeasureView:
    measure: ImpactMeasure
    driver_id: UUID | None
    values: tuple[Value, ...]
    chart: spc.Chart | None


@dataclass(frozen=True, slots=True)
class ImpactView:
    organisation_id: UUID | None
    rule_set: spc.RuleSetName
    months: tuple[str, ...]
    diagram: Diagram
    measures: tuple[MeasureView, ...]


def check_access(principal: Principal, organisation_id: UUID | None) -> None:
    """The whole network's figures: any member. An organisation's: its coordinators and
    network administrators."""
    principal.require_member()
    if organisation_id is not None and not (
        principal.is_coordinator_of(organisation_id) or principal.is_network_admin
    ):
        raise NotAllowed("Only the organisation's coordinators can see its impact figures. "
                         "Everyone can see the whole network's.")


async def network_impact(session: AsyncSession, principal: Principal, organisation_id: UUID | None,
                         *, months: int, now: datetime) -> ImpactView:
    check_access(principal, organisation_id)
    if not FEWEST_MONTHS <= months <= MOST_MONTHS:
        raise InvalidInput(f"Ask for between {FEWEST_MONTHS} and {MOST_MONTHS} months.", field="months")
    window = Months.ending(now, months)
    figures = await Figures(session, window, organisation_id).all()
    rule_set = (spc.DEFAULT_RULE_SET if organisation_id is None
                else (await SettingsRepository(session).default_rule_sets([organisation_id]))[organisation_id])
    diagram = await read_diagram(session)
    return ImpactView(
        organisation_id=organisation_id,
        rule_set=rule_set,
        months=window.names,
        diagram=diagram,
        measures=tuple(_measure(m, diagram, figures[m.key], window, rule_set) for m in MEASURES),
    )


def _measure(measure: ImpactMeasure, diagram: Diagram, values: list[Value], window: Months,
             rule_set: spc.RuleSetName) -> MeasureView:
    shown = tuple(Value(v.month, v.value, v.note or THIS_MONTH) if v.month == window.current else v
                  for v in values)
    return MeasureView(measure, diagram.driver_of(measure.key), shown, chart_of(values, window, rule_set))


def chart_of(values: list[Value], window: Months, rule_set: spc.RuleSetName) -> spc.Chart | None:
    """Complete months only (a month so far would look like a fall); more is better for every
    measure. None with fewer than two months to chart."""
    observations = [
        spc.Observation(v.month, month_start(v.month), v.value)
        for v in values if v.value is not None and v.month != window.current
    ]
    if len(observations) < 2:
        return None
    return spc.build_chart(observations, rule_set=rule_set, direction=spc.Direction.UP)


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:]), 1)
