"""The list of projects, search for similar work across the network, and starting a project."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from portal.csrf import require_csrf
from portal.pages.projects import queries
from portal.pages.projects.common import (
    CO_PRODUCTION,
    STAGES,
    VISIBILITY,
    VISIBILITY_NAMES,
    Form,
    parse_day,
    tidy,
)
from portal.visit import Visit, member_visit, visit
from portal.wording import sentence

router = APIRouter()

SEARCH_MIN, SEARCH_MAX = 3, 500  # what similarProjects accepts, once spaces are tidied
PROPOSE_INPUTS = (
    "title",
    "summary",
    "aim_what",
    "aim_how_much",
    "aim_by_when",
    "themes",
    "visibility",
    "co_production_level",
)
# The API's input names (extensions.field) and the form fields they are about.
PROPOSE_FIELDS = {
    "title": "title",
    "summary": "summary",
    "aim": "aim_what",
    "aim.what": "aim_what",
    "aim.howMuch": "aim_how_much",
    "aim.byWhen": "aim_by_when",
    "themes": "themes",
    "visibility": "visibility",
    "coProductionLevel": "co_production_level",
}


@router.get("/projects", name="projects")
async def projects(
    request: Request,
    current: Annotated[Visit, Depends(visit)],
    q: str = "",
    stage: str = "",
    theme: str = "",
    partner: str = "",
    mine: str = "",
    after: str = "",
) -> Response:
    search = tidy(q)
    search_problem = None
    if search and not SEARCH_MIN <= len(search) <= SEARCH_MAX:
        search_problem = f"Please type between {SEARCH_MIN} and {SEARCH_MAX} characters to search."
    searching = bool(search) and search_problem is None
    chosen = {"stage": stage, "theme": theme, "partner": partner, "mine": mine}
    filters = _list_filter(current, **chosen)
    answer = await current.ask(
        queries.LIST,
        {
            "filter": filters or None,
            "first": queries.PAGE_SIZE,
            "after": after or None,
            "text": search if searching else "",
            "search": searching,
        },
    )
    data = answer.data or {}
    listed = data.get("projects") or {"edges": [], "pageInfo": {}}
    return current.render(
        "projects.html",
        q=q,
        search=search,
        search_problem=search_problem,
        searching=searching,
        similar=similar_nodes(data),
        items=[e["node"] for e in listed["edges"]],
        chosen=chosen,
        filtered=bool(filters),
        stages=STAGES,
        after=after,
        pager=_pager(request, {"q": q, **chosen}, listed["pageInfo"]),
        problems=[sentence(p) for p in answer.problems],
    )


def _list_filter(
    current: Visit, *, stage: str, theme: str, partner: str, mine: str
) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if stage in STAGES:
        filters["stages"] = [stage]
    if tidy(theme):
        filters["theme"] = tidy(theme).lower()
    if partner == "yes":
        filters["bigI"] = True
    if mine and current.person and current.person.organisation_id:
        filters["organisationId"] = current.person.organisation_id
    return filters


def _pager(request: Request, kept: dict[str, str], page: dict[str, Any]) -> dict[str, str | None]:
    """Links to the first page and to the next one, keeping the search and the choices."""
    kept = {name: value for name, value in kept.items() if value}
    here = str(request.url_for("projects"))
    end = page.get("endCursor")
    following = {**kept, "after": end} if page.get("hasNextPage") and end else None
    return {
        "newest_url": f"{here}?{urlencode(kept)}" if kept else here,
        "next_url": f"{here}?{urlencode(following)}" if following else None,
    }


@router.get("/projects/new", name="project_new")
async def project_new(current: Annotated[Visit, Depends(member_visit)], idea: str = "") -> Response:
    """The form to start a project; with an `idea` (from the search), similar work comes first."""
    form = Form(values={"summary": tidy(idea)[:2000], "visibility": "ORGANISATION"})
    similar = await _similar_to(current, form) if len(tidy(idea)) >= SEARCH_MIN else None
    return _new_page(current, form, similar)


@router.post("/projects/new", name="propose_project", dependencies=[Depends(require_csrf)])
async def propose_project(
    request: Request, current: Annotated[Visit, Depends(member_visit)]
) -> Response:
    posted = await request.form()
    form = Form.posted(posted, PROPOSE_INPUTS)
    if posted.get("action") == "check":
        return _new_page(current, form, await _similar_to(current, form))
    project_input = _proposal(form)
    if not form.ok:
        return _new_page(current, form, None, status_code=422)
    answer = await current.ask(queries.PROPOSE, {"input": project_input})
    created = ((answer.data or {}).get("proposeProject") or {}).get("project")
    if created is None or answer.problems:
        form.take(answer.problems, PROPOSE_FIELDS)
        return _new_page(current, form, None, status_code=422)
    return RedirectResponse(
        str(request.url_for("project", project_id=created["id"])), status_code=303
    )


def _proposal(form: Form) -> dict[str, Any]:
    """The ProposeProjectInput for the form; notes in `form` what must be put right first."""
    v = {name: tidy(value) for name, value in form.values.items()}
    if not v["title"]:
        form.errors["title"] = "Please give the project a title."
    by_when = parse_day(v["aim_by_when"]) if v["aim_by_when"] else None
    if v["aim_by_when"] and by_when is None:
        form.errors["aim_by_when"] = (
            "Please give the date as day, month and year, for example 31/12/2026."
        )
    if not v["aim_what"] and (v["aim_how_much"] or v["aim_by_when"]):
        form.errors["aim_what"] = "Please say what will improve, or leave the whole aim for later."
    if v["visibility"] not in VISIBILITY:
        form.errors["visibility"] = "Please choose who can see the project."
    aim = {
        "what": v["aim_what"],
        "howMuch": v["aim_how_much"],
        "byWhen": by_when.isoformat() if by_when else None,
    }
    level = v["co_production_level"]
    return {
        "title": v["title"],
        "summary": form.values["summary"].strip(),
        "aim": aim if v["aim_what"] else None,
        "themes": [theme for theme in (tidy(t).lower() for t in v["themes"].split(",")) if theme],
        "visibility": v["visibility"],
        "coProductionLevel": level if level in CO_PRODUCTION else None,
    }


def similar_nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The similar projects of a page of `similarProjects` (a connection, like every list)."""
    return [edge["node"] for edge in (data.get("similarProjects") or {}).get("edges") or []]


async def _similar_to(current: Visit, form: Form) -> list[dict[str, Any]] | None:
    """Projects like the one being described, so that a new idea finds existing work first."""
    described = " ".join(form.values.get(name, "") for name in ("title", "summary", "aim_what"))
    text = tidy(described)[:SEARCH_MAX]
    if len(text) < SEARCH_MIN:
        form.errors["title"] = (
            "Please describe your idea in a few words first, then look for similar work."
        )
        return None
    answer = await current.ask(queries.SIMILAR, {"text": text})
    form.problems.extend(sentence(p) for p in answer.problems)
    return similar_nodes(answer.data or {})


def _new_page(
    current: Visit, form: Form, similar: list[dict[str, Any]] | None, status_code: int = 200
) -> Response:
    form.values.setdefault("visibility", "ORGANISATION")
    return current.render(
        "project_new.html",
        status_code=status_code,
        form=form,
        similar=similar,
        visibility=VISIBILITY,
        visibility_names=VISIBILITY_NAMES,
        co_production=CO_PRODUCTION,
    )
