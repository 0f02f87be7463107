"""Network administrators change the network's driver diagram from the impact page: its aim, its
drivers, and which driver each measure shows how it is going.

Each is a plain form post: on success back to the page (post/redirect/get), keeping whose
figures it showed; else the page again with the form open and what is wrong next to each field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from portal.csrf import require_csrf
from portal.gateway import Problem
from portal.pages.impact import queries
from portal.pages.impact.page import choose, impact_page
from portal.pages.projects.common import Form
from portal.visit import Visit, member_visit

router = APIRouter(dependencies=[Depends(require_csrf)])
Member = Annotated[Visit, Depends(member_visit)]

ADMINS_ONLY = "Only network administrators can change the network's aim and drivers."
# The API's codes for these changes, in words that say what to do next.
SENTENCES = {
    "forbidden": ADMINS_ONLY,
    "not_found": "That driver or measure is no longer there: someone may have changed the "
                 "diagram just now. Please reload the page to see it as it is, then try again.",
}


@router.post("/impact/aim", name="set_network_aim")
async def set_network_aim(request: Request, current: Member, scope: str = "",
                          organisation: str = "") -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {"text": form.need("text", "Please write the network's aim.")}

    return await change(request, current, scope, organisation, key="aim", names=("text",),
                        build=build, document=queries.SET_AIM, fields={"text": "text"},
                        anchor="aim")


@router.post("/impact/drivers", name="add_network_driver")
async def add_network_driver(request: Request, current: Member, scope: str = "",
                             organisation: str = "") -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {"text": form.need("text", "Please write the driver in a few words.")}

    return await change(request, current, scope, organisation, key="new-driver",
                        names=("text",), build=build, document=queries.ADD_DRIVER,
                        fields={"text": "text"}, anchor="edit")


@router.post("/impact/drivers/{driver_id}", name="update_network_driver")
async def update_network_driver(driver_id: str, request: Request, current: Member,
                                scope: str = "", organisation: str = "") -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {"driverId": driver_id,
                "text": form.need("text", "Please write the driver in a few words.")}

    return await change(request, current, scope, organisation, key=f"driver-{driver_id}",
                        names=("text",), build=build, document=queries.UPDATE_DRIVER,
                        fields={"text": "text"}, anchor="edit")


@router.post("/impact/drivers/{driver_id}/remove", name="remove_network_driver")
async def remove_network_driver(driver_id: str, request: Request, current: Member,
                                scope: str = "", organisation: str = "") -> Response:
    def build(form: Form) -> dict[str, Any]:
        return {"driverId": driver_id}

    return await change(request, current, scope, organisation, key=f"remove-{driver_id}",
                        names=(), build=build, document=queries.REMOVE_DRIVER, fields={},
                        anchor="edit")


@router.post("/impact/measures", name="attach_impact_measure")
async def attach_impact_measure(request: Request, current: Member, scope: str = "",
                                organisation: str = "") -> Response:
    def build(form: Form) -> dict[str, Any]:
        # No driver chosen: the measure is shown under "Other measures".
        return {"measureKey": form.need("measure", "Please choose a measure."),
                "driverId": form.values["driver"] or None}

    return await change(request, current, scope, organisation, key="attach",
                        names=("measure", "driver"), build=build,
                        document=queries.ATTACH_MEASURE,
                        fields={"measureKey": "measure", "driverId": "driver"}, anchor="edit")


async def change(
    request: Request,
    current: Visit,
    scope: str,
    organisation: str,
    *,
    key: str,
    names: tuple[str, ...],
    build: Callable[[Form], dict[str, Any]],
    document: str,
    fields: dict[str, str],
    anchor: str,
) -> Response:
    """Send the form's mutation; back to the page at `anchor`, or the page with the form again.

    `scope` and `organisation` are the page's own query string, so the person comes back to
    the figures they were looking at."""
    person = current.person
    assert person is not None  # member_visit lets only signed-in people in
    if not person.is_network_admin:
        return current.render("problem.html", status_code=403,
                              heading="Only network administrators can do this",
                              message=ADMINS_ONLY)
    choice = choose(person, scope, organisation.strip())
    form = Form.posted(await request.form(), names)
    mutation_input = build(form)
    if form.ok:
        answer = await current.ask(document, {"input": mutation_input})
        if answer.data and all(answer.data.values()) and not answer.problems:
            page = str(request.url_for("impact"))
            return RedirectResponse(f"{page}?{choice.query()}#{anchor}", status_code=303)
        form.take([_plain(problem) for problem in answer.problems], fields)
    return await impact_page(current, choice, forms={key: form}, status_code=422)


def _plain(problem: Problem) -> Problem:
    if problem.code in SENTENCES:
        return replace(problem, message=SENTENCES[problem.code])
    return problem
