"""The celebration wall of the person's organisation and of the network, live without a reload."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response, StreamingResponse

from portal.live import relay
from portal.visit import Visit, member_visit
from portal.wording import sentence

router = APIRouter()

CELEBRATION = """kind title description message postedAt
  member { id displayName } fromMember { id displayName }
  project { id title } relatedProject { id title }"""
FEED = f"""query Wall($scope: CelebrationScope!) {{
  celebrationFeed(scope: $scope, first: 30) {{ edges {{ node {{ id {CELEBRATION} }} }} }} }}"""
LIVE = f"subscription Live($scope: CelebrationScope!) {{ celebrations(scope: $scope) {{ id {CELEBRATION} }} }}"
SCOPES = {"organisation": "ORGANISATION", "network": "NETWORK"}


@router.get("/wall", name="wall")
async def wall(visit: Annotated[Visit, Depends(member_visit)], scope: str = "organisation") -> Response:
    chosen = scope if scope in SCOPES else "organisation"
    answer = await visit.ask(FEED, {"scope": SCOPES[chosen]})
    feed = (answer.data or {}).get("celebrationFeed") or {"edges": []}
    return visit.render("wall.html", scope=chosen, items=[edge["node"] for edge in feed["edges"]],
                        problems=[sentence(p) for p in answer.problems])


@router.get("/wall/live", name="wall_live")
async def wall_live(visit: Annotated[Visit, Depends(member_visit)], scope: str = "organisation") -> Response:
    assert visit.person is not None
    templates = visit.request.app.state.templates
    template = templates.get_template("partials/celebration.html")

    def render(item: dict[str, Any]) -> str:
        return str(template.render(item=item, request=visit.request))

    stream = relay(visit.gateway.url, visit.person.token, LIVE, {"scope": SCOPES.get(scope, "ORGANISATION")}, render)
    return StreamingResponse(stream, media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})
