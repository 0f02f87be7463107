"""Changing who is on a project and where it is: adding someone to the team, moving the project
to its next stage, and choosing what to measure.

Adding someone has its own page (it lists the people of your organisation, which the project
page does not need); the stage and the measure are forms on the project page itself."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from portal.csrf import require_csrf
from portal.pages.projects import queries
from portal.pages.projects.common import (
    DIRECTIONS,
    MEASURE_KINDS,
    ROLES,
    STAGES,
    Form,
    parse_number,
    words,
)
from portal.pages.projects.work import change
from portal.visit import Visit, member_visit
from portal.wording import sentence

router = APIRouter()
Member = Annotated[Visit, Depends(member_visit)]
CSRF = [Depends(require_csrf)]
# A person who is a patient, carer or community member usually joins as a service user partner.
PARTNER_TYPES = {"SERVICE_USER", "CARER", "COMMUNITY_PARTNER"}
TEAM_FIELDS = {"memberId": "member", "role": "role"}


@router.get("/projects/{project_id}/team/add", name="team_add")
async def team_add(project_id: str, current: Member) -> Response:
    return await _team_page(current, project_id, Form(values={"member": "", "role": ""}))


@router.post("/projects/{project_id}/team", name="add_team_member", dependencies=CSRF)
async def add_team_member(project_id: str, request: Request, current: Member) -> Response:
    form = Form.posted(await request.form(), ("member", "role"))
    member_id = form.need("member", "Please choose who is joining the team.")
    if form.values["role"] not in ROLES:
        form.errors["role"] = "Please choose their role on the team."
    if form.ok:
        answer = await current.ask(queries.ADD_TEAM_MEMBER, {"input": {
            "projectId": project_id, "memberId": member_id, "role": form.values["role"]}})
        if ((answer.data or {}).get("addTeamMember") or {}).get("teamMember") and not answer.problems:
            page = str(request.url_for("project", project_id=project_id))
            return RedirectResponse(f"{page}#team", status_code=303)
        form.take(answer.problems, TEAM_FIELDS)
    return await _team_page(current, project_id, form, status_code=422)


async def _team_page(current: Visit, project_id: str, form: Form, *, status_code: int = 200) -> Response:
    person = current.person
    assert person is not None  # member_visit lets only signed-in people in
    answer = await current.ask(queries.TEAM_CHOICES, {
        "id": project_id, "organisationId": person.organisation_id or "", "first": 100})
    project = (answer.data or {}).get("project")
    if project is None:
        return current.render("problem.html", status_code=404, heading="Project not found",
                              message="There is no project at this address, or it is not shared with you.")
    on_team = {place["member"]["id"] for place in project["team"] if place.get("member")}
    people = [edge["node"] for edge in ((answer.data or {}).get("members") or {}).get("edges", [])
              if edge["node"]["id"] not in on_team]
    return current.render(
        "project_team_add.html",
        status_code=status_code if project["canChange"] else 403,
        project=project,
        people=people,
        more=bool(((answer.data or {}).get("members") or {}).get("pageInfo", {}).get("hasNextPage")),
        partner_types=PARTNER_TYPES,
        form=form,
        problems=[sentence(p) for p in answer.problems],
        **words(),
    )


@router.post("/projects/{project_id}/stage", name="advance_stage", dependencies=CSRF)
async def advance_stage(project_id: str, request: Request, current: Member) -> Response:
    def build(form: Form) -> dict[str, Any]:
        if form.values["stage"] not in STAGES:
            form.errors["stage"] = "Please choose the stage to move to."
        return {"projectId": project_id, "toStage": form.values["stage"]}

    return await change(
        request, current, project_id, key="move-stage", names=("stage",), build=build,
        document=queries.ADVANCE_STAGE, anchor="stage", fields={"toStage": "stage"},
    )


@router.post("/projects/{project_id}/measures", name="define_measure", dependencies=CSRF)
async def define_measure(project_id: str, request: Request, current: Member) -> Response:
    def build(form: Form) -> dict[str, Any]:
        name = form.need("name", "Please give the measure a short name.")
        unit = form.need("unit", "Please say what it is counted in, for example falls or days.")
        if form.values["kind"] not in MEASURE_KINDS:
            form.errors["kind"] = "Please choose what kind of measure it is."
        if form.values["direction"] not in DIRECTIONS:
            form.errors["direction"] = "Please choose which way is better."
        target = None
        if form.values["target"].strip():
            target = parse_number(form.values["target"])
            if target is None:
                form.errors["target"] = "Please write the target as a number, like 12 or 3.5."
        return {"projectId": project_id, "name": name, "unit": unit,
                "definition": form.values["definition"].strip(), "kind": form.values["kind"],
                "improvementDirection": form.values["direction"], "target": target}

    return await change(
        request, current, project_id, key="new-measure",
        names=("name", "definition", "kind", "unit", "direction", "target"), build=build,
        document=queries.DEFINE_MEASURE, anchor="measures",
        fields={"name": "name", "definition": "definition", "kind": "kind", "unit": "unit",
                "improvementDirection": "direction", "target": "target"},
    )
