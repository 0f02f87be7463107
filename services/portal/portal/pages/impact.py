"""Network impact: what the page will show once the network measures itself (issue 14), and
what the API can already say about the person's organisation today."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from portal.pages.coordinator import MEMBER_TYPES
from portal.visit import Visit, visit
from portal.wording import sentence

router = APIRouter()

# TODO(#14): show `networkImpact(organisationId)` (the network's driver diagram and its measures
# as charts) once the API has it. Introspection is off outside development, so the page does not
# probe for it: it says in plain words that the charts are still to come.
TODAY = """query ImpactToday($organisationId: ID!) {
  organisation(id: $organisationId) { id name
    members(first: 100) { edges { node { id memberType status } } pageInfo { hasNextPage } }
    projects(first: 100) { edges { node { id stage bigI } } pageInfo { hasNextPage } } } }"""
STAGES = {
    "IDEA": "An idea", "SCOPING": "Working out the problem", "TESTING": "Testing changes",
    "IMPLEMENTING": "Putting changes in place", "SPREADING": "Spreading to other places",
    "SUSTAINING": "Making it last", "CLOSED": "Finished", "ABANDONED": "Stopped",
}
CURRENT = ("ACTIVE", "PAUSED", "INVITED")  # members who left or were erased are not counted


def tally(connection: dict[str, Any] | None, key: str, order: dict[str, Any],
          keep: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """Counts of one field over a page of a list, in `order`; None when the API gave no list."""
    if connection is None:
        return None
    nodes = [edge["node"] for edge in connection["edges"]]
    if keep is not None:
        nodes = [node for node in nodes if node.get("status") in keep]
    counts = dict.fromkeys(order, 0)
    for node in nodes:
        counts[node[key]] = counts.get(node[key], 0) + 1
    return {"counts": counts, "total": len(nodes), "more": connection["pageInfo"]["hasNextPage"],
            "big_i": sum(1 for node in nodes if node.get("bigI"))}


@router.get("/impact", name="impact")
async def impact(current: Annotated[Visit, Depends(visit)]) -> Response:
    person = current.person
    shared: dict[str, Any] = {"member_types": MEMBER_TYPES, "stages": STAGES}
    if person is None or not person.organisation_id:
        return current.render("impact.html", asked=False, **shared)
    answer = await current.ask(TODAY, {"organisationId": person.organisation_id})
    organisation = (answer.data or {}).get("organisation") or {}
    return current.render(
        "impact.html", asked=True, organisation_name=organisation.get("name"),
        members=tally(organisation.get("members"), "memberType", MEMBER_TYPES, keep=CURRENT),
        projects=tally(organisation.get("projects"), "stage", STAGES),
        problems=[sentence(p) for p in answer.problems], **shared)
