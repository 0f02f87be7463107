"""Coordinator pages: invite members, decide nominations, read the pulse, erase a member.

Every page acts on the coordinator's own organisation (the one their sign-in names), and each
asks the gateway once (twice at most, when a form needs the page's data again to show a problem).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response

from portal.csrf import require_csrf
from portal.gateway import Answer
from portal.visit import Visit, member_visit
from portal.wording import sentence

router = APIRouter()
Signed = Annotated[Visit, Depends(member_visit)]

MEMBER_TYPES = {
    "STAFF_CLINICAL": ("Staff in a clinical role",
                       "For example a nurse, doctor, therapist or healthcare assistant."),
    "STAFF_NON_CLINICAL": ("Staff in a non-clinical role",
                           "For example admin, reception, estates, IT or management."),
    "SERVICE_USER": ("Someone who uses services",
                     "A patient, or someone who uses care or support."),
    "CARER": ("A carer", "Someone who looks after a family member or friend."),
    "COMMUNITY_PARTNER": ("A community partner",
                          "For example someone from a voluntary or community group."),
}
ROLES = {
    "HERO": ("Hero", "Takes part in improving care. Most people start here."),
    "COORDINATOR": ("Coordinator", "Runs the network in your organisation: invites people, "
                    "decides awards and sees the pulse results."),
    "SPONSOR": ("Sponsor", "A senior person who supports the network and its projects."),
    "NETWORK_ADMIN": ("Network administrator", "Looks after the whole network. Only network "
                      "administrators can give this role."),
}
STATUSES = {"INVITED": "Invited, not joined yet", "ACTIVE": "Active", "PAUSED": "Paused",
            "LEFT": "Left", "ERASED": "Erased"}
INVITE_FIELDS = ("displayName", "email", "memberType", "networkRole")
PULSE_MONTHS = 12
PAGE = 50

DASHBOARD = """query CoordinatorDashboard($organisationId: ID!) {
  organisation(id: $organisationId) { id name
    members(first: 100) { edges { node { id status } } pageInfo { hasNextPage } } }
  nominationsToDecide(first: 100) { edges { node { id } } pageInfo { hasNextPage } } }"""
INVITE = """mutation InviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) { inviteCode
    member { id displayName memberType networkRole organisation { id name } } } }"""
NOMINATION = """id awardName status submittedAt decidedAt reason decisionNote
  member { id displayName } project { id title } nominatedBy { id displayName }"""
QUEUE = f"""query NominationQueue {{
  nominationsToDecide(first: {PAGE}) {{
    edges {{ node {{ {NOMINATION} }} }} pageInfo {{ hasNextPage }} }} }}"""
DECIDE = f"""mutation DecideNomination($input: DecideNominationInput!) {{
  decideNomination(input: $input) {{ nomination {{ {NOMINATION} }} }} }}"""
PULSE = """query PulseResults($organisationId: ID!, $months: [String!]!) {
  pulseStatements
  pulseResults(organisationId: $organisationId, months: $months) {
    month responses averages } }"""
MEMBERS = f"""query CoordinatorMembers($organisationId: ID!, $after: String) {{
  members(organisationId: $organisationId, first: {PAGE}, after: $after) {{
    edges {{ node {{ id displayName email memberType networkRole status }} }}
    pageInfo {{ hasNextPage endCursor }} }} }}"""
ERASE_CHECK = """query EraseCheck($memberId: ID!) {
  member(id: $memberId) { id displayName status organisation { id } } }"""
ERASE = """mutation EraseMember($input: EraseMemberInput!) {
  eraseMember(input: $input) { memberId status } }"""


def _coordinating(visit: Visit) -> str | Response:
    """The organisation the person coordinates, or the plain 403 page for anyone else."""
    person = visit.person
    if person is None or not (person.is_coordinator or person.is_network_admin):
        return visit.render("coordinator_only.html", status_code=403, reason="role")
    if not person.organisation_id:
        return visit.render("coordinator_only.html", status_code=403, reason="organisation")
    return person.organisation_id


def _is_htmx(visit: Visit) -> bool:
    return visit.request.headers.get("hx-request") == "true"


def _sentences(answer: Answer) -> list[str]:
    return [sentence(p) for p in answer.problems]


@dataclass(frozen=True)
class Count:
    """A number counted from one page of a list: `more` when the list goes on past that page."""

    number: int
    more: bool = False


def _count(connection: dict[str, Any] | None,
           keep: Callable[[dict[str, Any]], bool] | None = None) -> Count | None:
    if connection is None:
        return None
    nodes = [edge["node"] for edge in connection["edges"]]
    kept = sum(1 for node in nodes if keep is None or keep(node))
    return Count(kept, bool(connection["pageInfo"]["hasNextPage"]))


@router.get("/coordinator", name="coordinator")
async def dashboard(visit: Signed) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    answer = await visit.ask(DASHBOARD, {"organisationId": organisation_id})
    data = answer.data or {}
    organisation = data.get("organisation") or {}
    members = organisation.get("members")
    return visit.render(
        "coordinator.html", organisation_name=organisation.get("name"),
        members=_count(members, lambda m: m["status"] in ("ACTIVE", "PAUSED")),
        invited=_count(members, lambda m: m["status"] == "INVITED"),
        waiting=_count(data.get("nominationsToDecide")), problems=_sentences(answer))


# --- invite a member -----------------------------------------------------------------------------


def _roles_for(visit: Visit) -> dict[str, tuple[str, str]]:
    if visit.person is not None and visit.person.is_network_admin:
        return ROLES
    return {key: value for key, value in ROLES.items() if key != "NETWORK_ADMIN"}


def _invite_form(visit: Visit, entered: dict[str, str], mistakes: dict[str, str],
                 problems: list[str], status_code: int = 200) -> Response:
    return visit.render("invite.html", status_code=status_code, entered=entered,
                        mistakes=mistakes, problems=problems, member_types=MEMBER_TYPES,
                        roles=_roles_for(visit))


@router.get("/coordinator/invite", name="coordinator_invite")
async def invite(visit: Signed) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    return _invite_form(visit, {"networkRole": "HERO"}, {}, [])


@router.post("/coordinator/invite", name="coordinator_invite_send",
             dependencies=[Depends(require_csrf)])
async def invite_send(visit: Signed) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    form = await visit.request.form()
    entered = {name: str(form.get(name) or "").strip() for name in INVITE_FIELDS}
    entered["networkRole"] = entered["networkRole"] or "HERO"
    mistakes = _invite_mistakes(entered, _roles_for(visit))
    if mistakes:
        return _invite_form(visit, entered, mistakes, [], status_code=422)
    answer = await visit.ask(INVITE, {"input": {"organisationId": organisation_id, **entered}})
    invited = (answer.data or {}).get("inviteMember")
    if invited and invited.get("inviteCode"):
        # The code exists now and never again: show it whatever else went wrong, and keep it
        # nowhere (not in the session, not in a URL, not in a cache).
        response = visit.render("invite_done.html", code=invited["inviteCode"],
                                invited=invited.get("member"), entered=entered,
                                join_url=str(visit.request.url_for("join")),
                                problems=_sentences(answer))
        response.headers["cache-control"] = "no-store"
        return response
    for problem in answer.problems:
        if problem.field in INVITE_FIELDS and problem.field not in mistakes:
            mistakes[problem.field] = sentence(problem)
    general = [sentence(p) for p in answer.problems if p.field not in INVITE_FIELDS]
    if not mistakes and not general:
        general = ["The invitation could not be made. Please try again."]
    return _invite_form(visit, entered, mistakes, general, status_code=422)


def _invite_mistakes(entered: dict[str, str], roles: dict[str, tuple[str, str]]) -> dict[str, str]:
    """What the form is missing, found before asking the API (which checks everything again)."""
    mistakes = {}
    if not entered["displayName"]:
        mistakes["displayName"] = "Please enter the name they would like to be known by."
    if not entered["email"]:
        mistakes["email"] = "Please enter their email address."
    elif "@" not in entered["email"]:
        mistakes["email"] = "Please enter an email address like name@example.org."
    if entered["memberType"] not in MEMBER_TYPES:
        mistakes["memberType"] = "Please choose how they will take part."
    if entered["networkRole"] not in roles:
        mistakes["networkRole"] = "Please choose one of the roles shown."
    return mistakes


# --- the nomination queue ------------------------------------------------------------------------


def _queue_items(answer: Answer) -> list[dict[str, Any]]:
    queue = (answer.data or {}).get("nominationsToDecide")
    return [edge["node"] for edge in queue["edges"]] if queue else []


def _queue_page(visit: Visit, answer: Answer, *, decided: str | None = None,
                trouble: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    queue = (answer.data or {}).get("nominationsToDecide")
    return visit.render("nominations.html", status_code=status_code, items=_queue_items(answer),
                        decided=decided, more=bool(queue and queue["pageInfo"]["hasNextPage"]),
                        trouble=trouble or {}, problems=_sentences(answer))


@router.get("/coordinator/nominations", name="coordinator_nominations")
async def nominations(visit: Signed, decided: str | None = None) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    # nominationsToDecide is the caller's own organisation's queue: the token says which.
    answer = await visit.ask(QUEUE)
    return _queue_page(visit, answer,
                       decided=decided if decided in ("granted", "declined") else None)


@router.post("/coordinator/nominations/{nomination_id}/decide",
             name="coordinator_decide_nomination", dependencies=[Depends(require_csrf)])
async def decide(nomination_id: str, visit: Signed) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    form = await visit.request.form()
    decision = str(form.get("decision") or "")
    note = str(form.get("note") or "").strip()
    if decision in ("GRANT", "DECLINE"):
        answer = await visit.ask(DECIDE, {"input": {"nominationId": nomination_id,
                                                    "decision": decision, "note": note or None}})
        decided = ((answer.data or {}).get("decideNomination") or {}).get("nomination")
        if decided and not answer.problems:
            if _is_htmx(visit):
                return visit.render("partials/coordinator_nomination.html", item=decided,
                                    trouble={})
            outcome = "granted" if decision == "GRANT" else "declined"
            queue_url = visit.request.url_for("coordinator_nominations")
            return RedirectResponse(f"{queue_url}?decided={outcome}", status_code=303)
        problems = _sentences(answer) or ["That did not work. Please try again."]
    else:
        problems = ["Please choose Grant or Decline."]
    # Show the problem next to the nomination it is about, with the note as it was typed.
    trouble = {"id": nomination_id, "problems": problems, "note": note}
    queue = await visit.ask(QUEUE)
    if _is_htmx(visit):
        item = next((i for i in _queue_items(queue) if i["id"] == nomination_id), None)
        # htmx swaps only successful answers, so the problem comes back as a 200 to show in place.
        return visit.render("partials/coordinator_nomination.html", item=item, trouble=trouble,
                            missing_id=nomination_id)
    return _queue_page(visit, queue, trouble=trouble, status_code=422)


# --- pulse results -------------------------------------------------------------------------------


def recent_months(today: date, count: int = PULSE_MONTHS) -> list[str]:
    """The last `count` months as YYYY-MM, newest first, this month included."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def month_in_words(month: str) -> str:
    """2026-03 -> March 2026."""
    return f"{date(int(month[:4]), int(month[5:7]), 1):%B %Y}"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def pulse_summary(statements: list[str], shown: list[dict[str, Any]]) -> list[str]:
    """Plain sentences about the newest month with results (`shown` is newest first)."""
    if not shown:
        return [f"No month in the last {PULSE_MONTHS} months had 5 or more answers, so there are "
                "no results to show yet. Results appear once at least 5 people in your "
                "organisation answer in the same month."]
    latest = shown[0]
    overall = _mean(latest["averages"])
    said = [f"In {month_in_words(latest['month'])}, {latest['responses']} people answered. "
            f"Their average answer was {overall:.1f} out of 5, where 5 means they strongly agree."]
    if len(shown) > 1:
        before = shown[1]
        earlier = _mean(before["averages"])
        change = ("up from" if overall >= earlier + 0.05 else
                  "down from" if overall <= earlier - 0.05 else "about the same as")
        said.append(f"That is {change} {earlier:.1f} in {month_in_words(before['month'])}.")
    if statements and len(statements) == len(latest["averages"]):
        ranked = sorted(zip(latest["averages"], statements, strict=True))
        (low, least), (high, most) = ranked[0], ranked[-1]
        said.append(f"People agreed most with “{most}” ({high:.1f}) and least with “{least}” "
                    f"({low:.1f}).")
    return said


@router.get("/coordinator/pulse", name="coordinator_pulse")
async def pulse(visit: Signed) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    months = recent_months(datetime.now(UTC).date())
    answer = await visit.ask(PULSE, {"organisationId": organisation_id, "months": months})
    data = answer.data or {}
    statements: list[str] = data.get("pulseStatements") or []
    # The API leaves out months with fewer than 5 answers; the page says so for each of them.
    results = {result["month"]: result for result in data.get("pulseResults") or ()}
    rows: list[dict[str, Any]] = [
        {"month": month, "words": month_in_words(month), "result": results.get(month)}
        for month in months]
    shown = [row["result"] for row in rows if row["result"]]
    return visit.render("pulse.html", statements=statements, rows=rows,
                        loaded=data.get("pulseResults") is not None,
                        summary=pulse_summary(statements, shown), hidden=len(rows) - len(shown),
                        problems=_sentences(answer))


# --- members, and erasing one --------------------------------------------------------------------


@router.get("/coordinator/members", name="coordinator_members")
async def members(visit: Signed, after: str | None = None, erased: str | None = None) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    answer = await visit.ask(MEMBERS, {"organisationId": organisation_id, "after": after or None})
    connection = (answer.data or {}).get("members") or {"edges": [],
                                                        "pageInfo": {"hasNextPage": False}}
    page = connection["pageInfo"]
    return visit.render("coordinator_members.html",
                        people=[edge["node"] for edge in connection["edges"]],
                        next_cursor=page.get("endCursor") if page["hasNextPage"] else None,
                        later_page=bool(after), erased=erased == "1", member_types=MEMBER_TYPES,
                        roles=ROLES, statuses=STATUSES, problems=_sentences(answer))


async def _member_to_erase(visit: Visit, organisation_id: str,
                           member_id: str) -> dict[str, Any] | Response:
    """The member, if this coordinator may erase them; else the page that says why not."""
    answer = await visit.ask(ERASE_CHECK, {"memberId": member_id})
    member = (answer.data or {}).get("member")
    if member is None and answer.problems:
        return visit.render("erase.html", status_code=422, state="problem",
                            problems=_sentences(answer))
    if member is None:
        return visit.render("erase.html", status_code=404, state="missing")
    if (member.get("organisation") or {}).get("id") != organisation_id:
        return visit.render("erase.html", status_code=403, state="elsewhere")
    if member["status"] == "ERASED":
        return visit.render("erase.html", state="already")
    return dict(member)


def _confirmation(visit: Visit, member: dict[str, Any], *, mistake: str | None = None,
                  problems: list[str] | None = None) -> Response:
    return visit.render("erase.html", status_code=422 if mistake or problems else 200,
                        member=member, state="confirm", mistake=mistake, problems=problems or [])


@router.get("/coordinator/members/{member_id}/erase", name="coordinator_erase")
async def erase(member_id: str, visit: Signed) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    member = await _member_to_erase(visit, organisation_id, member_id)
    return member if isinstance(member, Response) else _confirmation(visit, member)


@router.post("/coordinator/members/{member_id}/erase", name="coordinator_erase_confirm",
             dependencies=[Depends(require_csrf)])
async def erase_confirm(member_id: str, visit: Signed) -> Response:
    organisation_id = _coordinating(visit)
    if isinstance(organisation_id, Response):
        return organisation_id
    form = await visit.request.form()
    # Checked again, not trusted from the page before: only a member of one's own organisation.
    member = await _member_to_erase(visit, organisation_id, member_id)
    if isinstance(member, Response):
        return member
    if form.get("understood") != "yes":
        return _confirmation(visit, member, mistake="Please tick the box to show you understand "
                                                    "this cannot be undone.")
    answer = await visit.ask(ERASE, {"input": {"memberId": member_id}})
    if (answer.data or {}).get("eraseMember") and not answer.problems:
        members_url = visit.request.url_for("coordinator_members")
        return RedirectResponse(f"{members_url}?erased=1", status_code=303)
    return _confirmation(visit, member, problems=_sentences(answer)
                         or ["That did not work. Please try again."])
