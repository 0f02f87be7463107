"""Changing a project's work from its page: drivers, change ideas and the steps of PDSA cycles.

Each is a plain form post: on success back to the page at the changed part (post/redirect/get),
else the page again with the form open and what is wrong next to each field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from portal.csrf import require_csrf
from portal.pages.projects import queries
from portal.pages.projects.common import DECISIONS, Form
from portal.pages.projects.page import project_page
from portal.visit import Visit, member_visit

router = APIRouter(dependencies=[Depends(require_csrf)])
Member = Annotated[Visit, Depends(member_visit)]


@router.post("/projects/{project_id}/drivers", name="add_driver")
async def add_driver(project_id: str, request: Request, current: Member) -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {
            "projectId": project_id,
            "text": form.need("text", "Please write the driver in a few words."),
            "parentDriverId": form.values["parent"] or None,
        }

    return await change(
        request,
        current,
        project_id,
        key="new-driver",
        names=("text", "parent"),
        build=build,
        document=queries.ADD_DRIVER,
        anchor="drivers",
        fields={"text": "text", "parentDriverId": "parent"},
    )


@router.post("/projects/{project_id}/ideas", name="add_change_idea")
async def add_change_idea(project_id: str, request: Request, current: Member) -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {
            "projectId": project_id,
            "driverId": form.need("driver", "Please choose the driver this idea is for."),
            "title": form.need("title", "Please write the idea in a few words."),
            "description": form.values["description"].strip(),
        }

    return await change(
        request,
        current,
        project_id,
        key="new-idea",
        names=("driver", "title", "description"),
        build=build,
        document=queries.ADD_CHANGE_IDEA,
        anchor="tests",
        fields={"driverId": "driver", "title": "title", "description": "description"},
    )


@router.post("/projects/{project_id}/ideas/{idea_id}/tests", name="start_pdsa_cycle")
async def start_pdsa_cycle(
    project_id: str, idea_id: str, request: Request, current: Member
) -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {
            "changeIdeaId": idea_id,
            "plan": form.need("plan", "Please write what you will try."),
            "prediction": form.need("prediction", "Please write what you expect to happen."),
        }

    return await change(
        request,
        current,
        project_id,
        key=f"plan-{idea_id}",
        names=("plan", "prediction"),
        build=build,
        document=queries.START_PDSA,
        anchor=f"idea-{idea_id}",
        fields={"plan": "plan", "prediction": "prediction"},
    )


@router.post("/projects/{project_id}/tests/{cycle_id}/study", name="study_pdsa_cycle")
async def study_pdsa_cycle(
    project_id: str, cycle_id: str, request: Request, current: Member
) -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {
            "cycleId": cycle_id,
            "whatHappened": form.need("what_happened", "Please write what happened."),
            "doNotes": form.values["do_notes"].strip(),
        }

    return await change(
        request,
        current,
        project_id,
        key=f"study-{cycle_id}",
        names=("what_happened", "do_notes"),
        build=build,
        document=queries.STUDY_PDSA,
        anchor=f"test-{cycle_id}",
        fields={"whatHappened": "what_happened", "doNotes": "do_notes"},
    )


@router.post("/projects/{project_id}/tests/{cycle_id}/decision", name="complete_pdsa_cycle")
async def complete_pdsa_cycle(
    project_id: str, cycle_id: str, request: Request, current: Member
) -> Response:
    def build(form: Form) -> dict[str, Any]:
        if form.values["decision"] not in DECISIONS:
            form.errors["decision"] = "Please choose what the team decided."
        return {
            "cycleId": cycle_id,
            "decision": form.values["decision"],
            "notes": form.values["notes"].strip(),
        }

    return await change(
        request,
        current,
        project_id,
        key=f"decide-{cycle_id}",
        names=("decision", "notes"),
        build=build,
        document=queries.COMPLETE_PDSA,
        anchor=f"test-{cycle_id}",
        fields={"decision": "decision", "notes": "notes"},
    )


async def change(
    request: Request,
    current: Visit,
    project_id: str,
    *,
    key: str,
    names: tuple[str, ...],
    build: Callable[[Form], dict[str, Any]],
    document: str,
    anchor: str,
    fields: dict[str, str],
) -> Response:
    """Send the form's mutation; back to the page at `anchor`, or the page with the form again."""
    form = Form.posted(await request.form(), names)
    change = build(form)
    if form.ok:
        answer = await current.ask(document, {"input": change})
        if answer.data and all(answer.data.values()) and not answer.problems:
            page = str(request.url_for("project", project_id=project_id))
            return RedirectResponse(f"{page}#{anchor}", status_code=303)
        form.take(answer.problems, fields)
    return await project_page(current, project_id, forms={key: form}, status_code=422)
