"""A project's page: aim, team, driver diagram, tests of change and each measure's SPC chart;
adding a value to a measure, which redraws its chart."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from portal.charts import ChartDataError, ChartView, chart_from_api, render_chart
from portal.csrf import require_csrf
from portal.gateway import Answer
from portal.pages.projects import queries
from portal.pages.projects.common import STAGE_MOVES, Form, parse_day, parse_number, today, words
from portal.templating import when
from portal.visit import Visit, member_visit, visit
from portal.wording import sentence

log = logging.getLogger("portal.projects")
router = APIRouter()

CHARTS_CSS = Path(__file__).parents[2] / "charts" / "charts.css"
NOTICE_KEY = "project_notice"  # post/redirect/get: what a new value showed, for the next page
RECORD_FIELDS = {"on": "on", "value": "value", "annotation": "note"}
SIGNAL_LEADS = {
    "IMPROVEMENT": "This looks like a real improvement",
    "CONCERN": "This looks like a real change for the worse",
    "NEITHER": "This looks like a real change",
}


@dataclass
class MeasureView:
    """One measure on the page: the API's JSON, its drawn chart, and its form for a new value."""

    measure: dict[str, Any]
    chart: ChartView | None  # None when there is nothing to draw yet
    form: Form
    notice: list[str] | None = None  # just after a value was added: what it showed

    @property
    def id(self) -> str:
        return str(self.measure["id"])


@router.get("/projects/{project_id}", name="project")
async def project(project_id: str, current: Annotated[Visit, Depends(visit)]) -> Response:
    notice = current.request.session.pop(NOTICE_KEY, None)
    return await project_page(current, project_id, notice=notice)


async def project_page(
    current: Visit,
    project_id: str,
    *,
    notice: dict[str, Any] | None = None,
    forms: dict[str, Form] | None = None,
    status_code: int = 200,
) -> Response:
    """The project's page, from one gateway request.

    `forms` are forms sent back with what is wrong with them, by their key on the page
    (`record-<measure id>`, `driver`, `plan-<change idea id>`, ...)."""
    forms = forms or {}
    answer = await current.ask(queries.PAGE, {"id": project_id})
    found = (answer.data or {}).get("project")
    if found is None:
        return _missing(current, answer)
    measures = []
    for measure in found["measures"]:
        form = forms.get(f"record-{measure['id']}") or blank_record_form()
        news = notice.get("signals") if notice and notice.get("measure") == measure["id"] else None
        measures.append(MeasureView(measure, draw(measure), form, news))
    return current.render(
        "project.html",
        status_code=status_code,
        project=found,
        measures=measures,
        tests=tests_by_idea(found),
        forms=forms,
        choices=_choices(found),
        problems=[sentence(p) for p in answer.problems],
        **words(),
    )


def _missing(current: Visit, answer: Answer) -> Response:
    unavailable = ("SERVICE_UNAVAILABLE", "SUBGRAPH_UNAVAILABLE")
    if any(p.retryable or p.code in unavailable for p in answer.problems):
        return current.render(
            "problem.html",
            status_code=503,
            heading="This project cannot be shown just now",
            message=sentence(answer.problems[0]),
            retry_url=str(current.request.url),
        )
    message = "There is no project at this address, or it is not shared with you."
    if current.person is None:
        message += " Signing in may let you see it."
    return current.render(
        "problem.html", status_code=404, heading="Project not found", message=message
    )


def tests_by_idea(found: dict[str, Any]) -> list[dict[str, Any]]:
    """Each change idea of the driver diagram, in tree order, with its PDSA cycles."""
    cycles: dict[str, list[dict[str, Any]]] = {}
    for cycle in found.get("pdsaCycles") or ():
        cycles.setdefault(cycle["changeIdeaId"], []).append(cycle)
    ideas = []
    for primary in found["driverDiagram"]["primaryDrivers"]:
        for driver in (primary, *(primary.get("secondaryDrivers") or ())):
            ideas += [
                {"idea": idea, "driver": driver, "cycles": cycles.get(idea["id"], [])}
                for idea in driver.get("changeIdeas") or ()
            ]
    return ideas


def _choices(found: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The choices of the page's forms: drivers (for a driver or a change idea) and stages."""
    primaries = found["driverDiagram"]["primaryDrivers"]
    drivers = [("", "Choose a driver")]
    for primary in primaries:
        drivers.append((primary["id"], primary["text"]))
        drivers += [
            (secondary["id"], f"{primary['text']}: {secondary['text']}")
            for secondary in primary.get("secondaryDrivers") or ()
        ]
    parents = [("", "None: it is a primary driver, a big thing that affects the aim")]
    parents += [(primary["id"], f"Under: {primary['text']}") for primary in primaries]
    stages = [("", "Choose a stage")]
    stages += [(stage, STAGE_MOVES.get(stage, stage)) for stage in found.get("allowedNextStages") or ()]
    return {"drivers": drivers, "parents": parents, "stages": stages}


def draw(measure: dict[str, Any]) -> ChartView | None:
    """The measure's chart, drawn; None when it has no points yet or cannot be drawn."""
    if not (measure.get("chart") or {}).get("points"):
        return None
    try:
        return render_chart(chart_from_api(measure))
    except ChartDataError:
        log.warning("project.chart_unreadable", extra={"measure_id": measure.get("id")})
        return None


@router.post(
    "/projects/{project_id}/measures/{measure_id}/data",
    name="record_measurement",
    dependencies=[Depends(require_csrf)],
)
async def record_measurement(
    project_id: str,
    measure_id: str,
    request: Request,
    current: Annotated[Visit, Depends(member_visit)],
) -> Response:
    """With htmx, answers with the measure's redrawn chart (or only the form, saying what is
    wrong); without, redirects to the project page, which then says what the new value showed."""
    form = Form.posted(await request.form(), ("on", "value", "note"))
    record_input = _record_input(measure_id, form)
    htmx = request.headers.get("hx-request") == "true"
    if form.ok:
        answer = await current.ask(queries.RECORD, {"input": record_input})
        payload = (answer.data or {}).get("recordMeasurement")
        if payload and not answer.problems:
            news = [signal_sentence(signal) for signal in payload["newSignals"]]
            if htmx:
                measure = payload["measure"]
                view = MeasureView(measure, draw(measure), blank_record_form(), news)
                return current.render(
                    "partials/project_measure.html",
                    view=view,
                    project={"id": project_id, "canChange": True},
                    **words(),
                )
            request.session[NOTICE_KEY] = {"measure": measure_id, "signals": news}
            page = str(request.url_for("project", project_id=project_id))
            return RedirectResponse(f"{page}#measure-{measure_id}", status_code=303)
        form.take(answer.problems, RECORD_FIELDS)
    if htmx:  # only the form is swapped: the chart stays as it was
        response = current.render(
            "partials/project_record_form.html",
            project={"id": project_id},
            view=MeasureView({"id": measure_id}, None, form),
        )
        response.headers["HX-Retarget"] = f"#record-{measure_id}"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    return await project_page(
        current, project_id, forms={f"record-{measure_id}": form}, status_code=422
    )


def _record_input(measure_id: str, form: Form) -> dict[str, Any]:
    """The RecordMeasurementInput for the form; notes in `form` what must be put right first."""
    typed_on, typed_value = form.values["on"].strip(), form.values["value"].strip()
    on = parse_day(typed_on) if typed_on else None
    if on is None:
        form.errors["on"] = (
            "Please give the date as day, month and year, for example 31/12/2026."
            if typed_on
            else "Please give the date the value is for."
        )
    value = parse_number(typed_value)
    if value is None:
        form.errors["value"] = (
            "Please give the value as a number, for example 12 or 3.5."
            if typed_value
            else "Please give the value."
        )
    return {
        "measureId": measure_id,
        "on": on.isoformat() if on else None,
        "value": value,
        "annotation": form.values["note"].strip() or None,
    }


def blank_record_form() -> Form:
    return Form(values={"on": today().isoformat(), "value": "", "note": ""})


def signal_sentence(signal: dict[str, Any]) -> str:
    """A new signal in plain words: "This looks like a real improvement: seven points ..."."""
    lead = SIGNAL_LEADS.get(str(signal.get("nature")), SIGNAL_LEADS["NEITHER"])
    description = str(signal.get("description") or "").strip().rstrip(".")
    first, last = signal.get("firstPointOn"), signal.get("lastPointOn")
    dates = f"on {when(first)}" if first == last else f"from {when(first)} to {when(last)}"
    if not description:
        return f"{lead} ({dates})."
    return f"{lead}: {description[0].lower()}{description[1:]} ({dates})."


@router.get("/charts.css", name="charts_css")
async def charts_css() -> Response:
    """The charts' own stylesheet, which lives beside the chart code rather than in static/."""
    if not CHARTS_CSS.is_file():
        raise HTTPException(status_code=404)
    return FileResponse(
        CHARTS_CSS, media_type="text/css", headers={"cache-control": "public, max-age=3600"}
    )
