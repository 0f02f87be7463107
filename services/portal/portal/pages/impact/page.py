"""The impact page: the network's aim, each driver with the measures that show how it is going
(each drawn as an SPC chart by the month), and the measures attached to no driver.

Who sees what: coordinators and network administrators see their own organisation first, and
can switch to the whole network; network administrators can also choose any organisation;
everyone else who is signed in sees the whole network. The page asks the gateway once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from portal.charts import ChartDataError, ChartView, Gap, chart_from_api, render_chart
from portal.charts.describe import RULE_SET_WORDS
from portal.charts.model import RuleSetName
from portal.charts.words import month_label, month_words, number
from portal.gateway import Answer
from portal.pages.impact import queries
from portal.pages.projects.common import Form
from portal.people import Person
from portal.visit import Visit, visit
from portal.wording import sentence

log = logging.getLogger("portal.impact")
router = APIRouter()

UNAVAILABLE = ("SERVICE_UNAVAILABLE", "SUBGRAPH_UNAVAILABLE")
NO_VALUE = "No value for this month."
# Words for the chart's value axis and its table's value column.
UNIT_WORDS = {"PERCENT": "percent", "COUNT": ""}


@dataclass(frozen=True)
class Choice:
    """Whose figures the page shows, and which ways the person may switch."""

    organisation_id: str | None  # None: the whole network
    own_organisation_id: str | None  # set when the person may see their own organisation
    admin: bool  # a network administrator, who may also choose any organisation

    @property
    def scope(self) -> str:
        if self.organisation_id is None:
            return "network"
        return "organisation" if self.organisation_id == self.own_organisation_id else "other"

    def query(self) -> str:
        """The page's query string for this choice: forms post to it and come back to it."""
        if self.scope == "network":
            return "scope=network"
        if self.scope == "other":
            return urlencode({"organisation": self.organisation_id})
        return "scope=organisation"


def choose(person: Person, scope: str, organisation: str) -> Choice:
    """The organisation the person asked for, if they may see it; else their default."""
    admin = person.is_network_admin
    own = person.organisation_id if (person.is_coordinator or admin) else None
    if scope == "network" or (own is None and not (admin and organisation)):
        return Choice(None, own, admin)
    if admin and organisation:
        return Choice(organisation, own, admin)
    return Choice(own, own, admin)


@dataclass
class MeasureView:
    """One measure: the API's JSON, its chart drawn (None with too few months), its latest value
    as written, and each month as a row for when there is no chart."""

    measure: dict[str, Any]
    chart: ChartView | None
    latest: str | None
    latest_note: str | None
    months: list[tuple[str, str, str]] = field(default_factory=list)  # (month, value, note)

    @property
    def key(self) -> str:
        return str(self.measure["key"])


@dataclass
class Section:
    """A driver (None for the measures attached to no driver) and its measures, in order."""

    driver: dict[str, Any] | None
    measures: list[MeasureView]


def written(value: float | None, unit: str) -> str | None:
    """A value as people read it: 12, 1,234, or a share 63% (one decimal place at most)."""
    if value is None:
        return None
    if unit == "PERCENT":
        return f"{number(round(value, 1))}%"
    return number(value)


def month_start(month: str) -> date | None:
    """The first day of an API month ("2026-03"); None when it is not one."""
    try:
        return date.fromisoformat(f"{month}-01")
    except ValueError:
        return None


def month_name(month: str, *, short: bool = True) -> str:
    on = month_start(month)
    if on is None:
        return month
    return month_label(on) if short else month_words(on)


def measure_view(measure: dict[str, Any]) -> MeasureView:
    values = measure.get("values") or []
    unit = str(measure.get("unit") or "")
    rows = [(month_name(v["month"]), written(v.get("value"), unit) or "No value",
             v.get("note") or ("" if v.get("value") is not None else NO_VALUE)) for v in values]
    last = values[-1] if values else {}
    latest = written(measure.get("latest"), unit)
    # The latest month is this month so far: its note says why it has no figure, or that the
    # figure is not final yet.
    note = last.get("note") or (None if latest is not None else NO_VALUE)
    return MeasureView(measure, draw(measure), latest, note, rows)


def draw(measure: dict[str, Any]) -> ChartView | None:
    """The measure's chart by the month, with an empty place (and its reason) for each month
    up to the chart's last that has no value; None when the API has no chart for it yet.

    The API charts complete months only, so this month (its figure so far) is not a gap."""
    points = (measure.get("chart") or {}).get("points")
    if not points:
        return None
    charted_to = max(str(point.get("on")) for point in points)
    gaps = []
    for value in measure.get("values") or ():
        on = month_start(str(value.get("month")))
        if value.get("value") is None and on is not None and on.isoformat() <= charted_to:
            gaps.append(Gap(on, str(value.get("note") or NO_VALUE)))
    as_measure = {"id": measure.get("key"), "name": measure.get("name"),
                  "unit": UNIT_WORDS.get(str(measure.get("unit")), ""), "chart": measure["chart"]}
    try:
        return render_chart(chart_from_api(as_measure, monthly=True, gaps=gaps),
                            element_id=f"impact-chart-{measure.get('key')}")
    except ChartDataError:
        log.warning("impact.chart_unreadable", extra={"measure_key": measure.get("key")})
        return None


def sections(impact: dict[str, Any]) -> list[Section]:
    """Each driver in the diagram's order with its measures, then the measures of no driver
    (or of a driver no longer in the diagram); measures keep the API's order."""
    drivers = impact["diagram"]["drivers"]
    by_driver: dict[str | None, list[MeasureView]] = {d["id"]: [] for d in drivers}
    others: list[MeasureView] = []
    for measure in impact["measures"]:
        by_driver.get(measure.get("driverId"), others).append(measure_view(measure))
    return [*(Section(d, by_driver[d["id"]]) for d in drivers), Section(None, others)]


@router.get("/impact", name="impact")
async def impact(current: Annotated[Visit, Depends(visit)], scope: str = "",
                 organisation: str = "") -> Response:
    if current.person is None:
        return current.render("impact.html", signed_in=False)
    return await impact_page(current, choose(current.person, scope, organisation.strip()))


async def impact_page(current: Visit, choice: Choice, *, forms: dict[str, Form] | None = None,
                      status_code: int = 200) -> Response:
    """The page for `choice`, from one gateway request. `forms` are the edit forms sent back
    with what is wrong with them, by their key (`aim`, `new-driver`, `driver-<id>`, ...)."""
    answer = await current.ask(queries.PAGE, {
        "organisationId": choice.organisation_id, "months": queries.MONTHS, "admin": choice.admin})
    data = answer.data or {}
    found = data.get("networkImpact")
    if found is None and _unavailable(answer):
        return current.render(
            "problem.html", status_code=503,
            heading="The network's impact cannot be shown just now",
            message=sentence(answer.problems[0]), retry_url=str(current.request.url))
    organisations = [edge["node"] for edge in (data.get("organisations") or {}).get("edges", [])]
    return current.render(
        "impact.html",
        status_code=status_code,
        signed_in=True,
        choice=choice,
        impact=found,
        sections=sections(found) if found else [],
        months=[month_name(m, short=False) for m in (found or {}).get("months") or ()],
        rule_set=_rule_set_words(found),
        organisations=organisations,
        edit=edit_forms(found, forms or {}) if choice.admin and found else {},
        sent=set(forms or {}),
        choices=_choices(found) if choice.admin and found else {},
        problems=[sentence(p) for p in answer.problems],
    )


def edit_forms(found: dict[str, Any], sent: dict[str, Form]) -> dict[str, Form]:
    """The edit forms filled in with the diagram as it is, except those sent back."""
    diagram = found["diagram"]
    forms = {"aim": Form(values={"text": diagram["aim"]}), "new-driver": Form(values={"text": ""}),
             "attach": Form(values={"measure": "", "driver": ""})}
    for driver in diagram["drivers"]:
        forms[f"driver-{driver['id']}"] = Form(values={"text": driver["text"]})
        forms[f"remove-{driver['id']}"] = Form()
    return {**forms, **sent}


def _choices(found: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The choices of the form that links a measure to a driver."""
    measures = [("", "Choose a measure")]
    measures += [(m["key"], m["name"]) for m in found["measures"]]
    drivers = [("", "None: show it under Other measures")]
    drivers += [(d["id"], d["text"]) for d in found["diagram"]["drivers"]]
    return {"measures": measures, "drivers": drivers}


def _unavailable(answer: Answer) -> bool:
    return any(p.retryable or p.code in UNAVAILABLE for p in answer.problems)


def _rule_set_words(found: dict[str, Any] | None) -> str | None:
    rule_set = (found or {}).get("ruleSet")
    if not isinstance(rule_set, str) or rule_set not in RuleSetName.__members__:
        return None
    return RULE_SET_WORDS[RuleSetName(rule_set)]
