"""People pages: my profile (level, badges and their certificates, thanks, consent), a person's
card (give kudos, nominate), joining with an invite code, and checking a badge certificate."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Annotated, Any, TypeAlias
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from portal.csrf import require_csrf
from portal.gateway import Answer, Problem
from portal.visit import Visit, member_visit, visit
from portal.wording import sentence

router = APIRouter()
SignedIn: TypeAlias = Annotated[Visit, Depends(member_visit)]
Anyone: TypeAlias = Annotated[Visit, Depends(visit)]
CSRF = [Depends(require_csrf)]

# --- what the pages ask the gateway (tests fake the gateway by operation name) -----------------

CONSENT = "consent { contact nameInOrganisation nameAcrossNetwork storyPublished }"
MY_PROFILE = f"""query MyProfile($organisationId: ID) {{
  me {{
    id displayName memberType profileVisibility organisation {{ id name }}
    learningLevel training {{ moduleId completedOn }}
    {CONSENT}
    badges {{ id name description criteria awardedAt evidence projectCount project {{ id title }} }}
    kudosReceived(first: 20) {{
      edges {{ node {{ id message givenAt isPublic fromMember {{ id displayName }} }} }}
      pageInfo {{ hasNextPage }}
    }}
  }}
  learningLevels {{ level meaning }}
  trainingModules(organisationId: $organisationId) {{ id title description level required }}
}}"""
BADGE_CERTIFICATE = """query BadgeCertificate {
  me { id badges { id name openBadgeCredential { jwt credentialJson } } }
}"""
CHECK_BADGE = """query CheckBadge($credential: String!) {
  verifyBadgeCredential(credential: $credential) { isValid reason credentialJson }
}"""
RECORD_CONSENT = f"""mutation RecordConsent($input: ConsentInput!) {{
  recordConsent(input: $input) {{ {CONSENT} }}
}}"""
WITHDRAW_CONSENT = f"""mutation WithdrawConsent($input: ConsentInput!) {{
  withdrawConsent(input: $input) {{ {CONSENT} }}
}}"""
PERSON_CARD = """query PersonCard($id: ID!) {
  member(id: $id) {
    id displayName memberType organisation { id name } interests skills
    badges { id name description awardedAt projectCount project { id title } }
  }
  kudosMessageLimit
}"""
GIVE_KUDOS = """mutation GiveKudos($input: GiveKudosInput!) {
  giveKudos(input: $input) { kudos { id isPublic } }
}"""
NOMINATE = """mutation Nominate($input: NominateInput!) {
  nominate(input: $input) { nomination { id status } }
}"""
JOIN_NETWORK = """mutation JoinNetwork($input: JoinNetworkInput!) {
  joinNetwork(input: $input) { member { id displayName organisation { id name } } }
}"""

# --- plain words --------------------------------------------------------------------------------

MEMBER_TYPES = {
    "STAFF_CLINICAL": "Clinical staff",
    "STAFF_NON_CLINICAL": "Non-clinical staff",
    "SERVICE_USER": "Patient or person who uses services",
    "CARER": "Carer",
    "COMMUNITY_PARTNER": "Community partner",
}
NEEDS_CONSENT = frozenset({"SERVICE_USER", "CARER"})
VISIBILITY = {
    "ORGANISATION": "People in your own organisation",
    "NETWORK": "Everyone in the network, in every organisation",
}


@dataclass(frozen=True)
class Level:
    value: str
    number: int
    name: str
    meaning: str  # used when the API does not say


LEVELS = (
    Level("EXPLORER", 1, "Explorer", "Knows what improving care means and how to take part."),
    Level("PRACTITIONER", 2, "Practitioner",
          "Tries changes in small steps and measures what happens."),
    Level("LEADER", 3, "Leader", "Leads improvement projects and coaches others."),
)
LEVEL_BY_VALUE = {level.value: level for level in LEVELS}


@dataclass(frozen=True)
class Purpose:
    """Something a service user or carer may agree to, as they read it."""

    value: str  # the API's ConsentPurpose
    key: str  # its field in ConsentStatus
    title: str
    meaning: str
    given: str  # what agreeing changes, said once they agree
    withdrawn: str  # what withdrawing changes, said once they withdraw


PURPOSES = (
    Purpose("CONTACT", "contact", "Being contacted",
            "The network may get in touch with you, for example about a project or an event.",
            "The network may now get in touch with you.",
            "The network will no longer contact you, from now."),
    Purpose("NAME_IN_ORGANISATION", "nameInOrganisation", "Your name in your organisation",
            "People in your own organisation may see your name, for example on the celebration "
            "wall and on projects you help with.",
            "People in your organisation may now see your name.",
            "Your name will no longer be shown to people in your organisation, from now."),
    Purpose("NAME_ACROSS_NETWORK", "nameAcrossNetwork", "Your name across the network",
            "People in other organisations in the network may see your name, if your profile is "
            "also open to the whole network.",
            "People in other organisations may now see your name, if your profile is open to the "
            "whole network.",
            "Your name will no longer be shown to other organisations, from now."),
    Purpose("STORY_PUBLISHED", "storyPublished", "Your story or words",
            "Your story, or things you have said, may be published, for example in a newsletter.",
            "Your story or words may now be published.",
            "Your story and words will no longer be published, from now."),
)
PURPOSE_BY_VALUE = {purpose.value: purpose for purpose in PURPOSES}
STILL_SHOWN = ("You still agree to your name being shown across the network, so people in your "
               "organisation can still see it. Withdraw that too to hide your name.")

JOIN_CODE_PROBLEMS = {"invite_not_found", "invite_expired", "already_joined"}  # about the code
JOIN_SENTENCES = {
    "already_joined": "This invite code has already been used. If you used it yourself, your "
                      "membership is ready: please sign in.",
}
NOMINATION_LIMITS = {"awardName": 80, "reason": 1000}
KUDOS_LIMIT = 280  # the API's kudosMessageLimit, for when it is not in the answer
KUDOS_SENT = "Your thank-you has been sent."
NOMINATION_SENT = "Your nomination has been sent. Coordinators of their organisation will decide."
TRY_AGAIN = "That did not work. Please try again."
CERTIFICATE_MAX_BYTES = 64 * 1024
CERTIFICATE_TYPE = "application/vc+jwt"  # a VC-JWT (W3C VC-JOSE-COSE), as Open Badges 3.0 has it


# --- my profile ---------------------------------------------------------------------------------

@router.get("/me", name="my_profile")
async def my_profile(current: SignedIn, consent: str | None = None,
                     purpose: str | None = None) -> Response:
    answer = await _ask_profile(current)
    return _render_profile(current, answer, change=(consent, purpose))


async def _ask_profile(current: Visit) -> Answer:
    organisation_id = current.person.organisation_id if current.person else None
    return await current.ask(MY_PROFILE, {"organisationId": organisation_id})


def _render_profile(current: Visit, answer: Answer, *,
                    change: tuple[str | None, str | None] = (None, None),
                    consent_problems: list[str] | None = None,
                    status_code: int = 200) -> Response:
    data = answer.data or {}
    me = data.get("me")
    if me is None:
        return current.render("profile_missing.html", status_code=status_code,
                              problems=[sentence(p) for p in answer.problems])
    kudos = me.get("kudosReceived") or {}
    consent = _consent_view(me)
    learning = _learning(me, data.get("learningLevels") or [], data.get("trainingModules") or [])
    return current.render(
        "profile.html", status_code=status_code, me=me, learning=learning,
        member_type=MEMBER_TYPES.get(me.get("memberType") or "", ""),
        visibility=VISIBILITY.get(me.get("profileVisibility") or "", ""),
        badges=me.get("badges") or [],
        kudos=[edge["node"] for edge in kudos.get("edges") or ()],
        more_kudos=bool((kudos.get("pageInfo") or {}).get("hasNextPage")),
        consent=consent, changed=_consent_change(*change, consent),
        consent_problems=consent_problems or [],
        problems=[sentence(p) for p in answer.problems],
    )


def _learning(me: dict[str, Any], described: list[dict[str, Any]],
              modules: list[dict[str, Any]]) -> dict[str, Any]:
    """The member's level, what each level means, and how far they are towards the next."""
    meanings = {item["level"]: _meaning(item) for item in described if item.get("level")}
    levels = [{"value": level.value, "number": level.number, "name": level.name,
               "meaning": meanings.get(level.value) or level.meaning} for level in LEVELS]
    current = LEVEL_BY_VALUE.get(me.get("learningLevel") or "")
    if current is None:
        following: Level | None = LEVELS[0]
    else:
        following = LEVELS[current.number] if current.number < len(LEVELS) else None
    progress = None
    if following is not None:
        # Membership reaches a level once its required modules are done; this only counts.
        completed = {item["moduleId"] for item in me.get("training") or ()}
        needed = [m for m in modules if m.get("level") == following.value and m.get("required")]
        to_do = [m for m in needed if m["id"] not in completed]
        progress = {"level": levels[following.number - 1], "needed": len(needed),
                    "done": len(needed) - len(to_do), "to_do": to_do}
    return {"levels": levels, "current": levels[current.number - 1] if current else None,
            "progress": progress}


def _meaning(item: dict[str, Any]) -> str:
    """The API's meaning without the level's name ("Explorer: knows ..." -> "Knows ...")."""
    meaning = str(item.get("meaning") or "")
    level = LEVEL_BY_VALUE.get(item.get("level") or "")
    if level and meaning.lower().startswith(level.name.lower() + ":"):
        meaning = meaning.split(":", 1)[1].strip()
        meaning = meaning[:1].upper() + meaning[1:]
    return meaning


def _consent_view(me: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Each consent choice and whether it is given now; None for members without (staff)."""
    state = me.get("consent")
    if me.get("memberType") not in NEEDS_CONSENT or state is None:
        return None
    return _choices(state)


def _choices(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"purpose": purpose, "given": bool(state.get(purpose.key))} for purpose in PURPOSES]


def _consent_change(change: str | None, purpose_value: str | None,
                    consent: list[dict[str, Any]] | None) -> dict[str, str] | None:
    """What a change just did, in words, given the choices as they stand now."""
    purpose = PURPOSE_BY_VALUE.get(purpose_value or "")
    if purpose is None or change not in ("given", "withdrawn"):
        return None
    across = any(c["given"] for c in consent or () if c["purpose"].value == "NAME_ACROSS_NETWORK")
    # Membership shows a name in the organisation while either of the name choices is given.
    still_shown = change == "withdrawn" and purpose.value == "NAME_IN_ORGANISATION" and across
    return {"change": change, "purpose": purpose.value,
            "sentence": purpose.given if change == "given" else purpose.withdrawn,
            "note": STILL_SHOWN if still_shown else ""}


@router.post("/me/consent/give", name="consent_give", dependencies=CSRF)
async def consent_give(current: SignedIn, purpose: Annotated[str, Form()] = "") -> Response:
    return await _change_consent(current, purpose, give=True)


@router.post("/me/consent/withdraw", name="consent_withdraw", dependencies=CSRF)
async def consent_withdraw(current: SignedIn, purpose: Annotated[str, Form()] = "") -> Response:
    return await _change_consent(current, purpose, give=False)


async def _change_consent(current: Visit, purpose_value: str, *, give: bool) -> Response:
    """One click: the change holds at once, and the page says what it changed."""
    purpose = PURPOSE_BY_VALUE.get(purpose_value)
    if purpose is None:
        answer = await _ask_profile(current)
        return _consent_problem(current, answer, ["Please choose one of the choices below."])
    document, field = ((RECORD_CONSENT, "recordConsent") if give
                       else (WITHDRAW_CONSENT, "withdrawConsent"))
    answer = await current.ask(document, {"input": {"purposes": [purpose.value]}})
    payload = (answer.data or {}).get(field)
    if answer.problems or not payload:
        problems = [sentence(p) for p in answer.problems] or [TRY_AGAIN]
        return _consent_problem(current, await _ask_profile(current), problems)
    change = "given" if give else "withdrawn"
    if _is_htmx(current.request):
        consent = _choices(payload["consent"])
        return current.render("partials/person_consent.html", consent=consent,
                              changed=_consent_change(change, purpose.value, consent),
                              consent_problems=[])
    query = urlencode({"consent": change, "purpose": purpose.value})
    return RedirectResponse(f"{current.request.url_for('my_profile')}?{query}#consent",
                            status_code=303)


def _consent_problem(current: Visit, answer: Answer, problems: list[str]) -> Response:
    if _is_htmx(current.request):
        me = (answer.data or {}).get("me") or {}
        return current.render("partials/person_consent.html", consent=_consent_view(me) or [],
                              changed=None, consent_problems=problems)
    return _render_profile(current, answer, consent_problems=problems, status_code=422)


# --- badge certificates (Open Badges 3.0) -------------------------------------------------------

@router.get("/me/badges/{badge_id}/certificate", name="badge_certificate")
async def badge_certificate(current: SignedIn, badge_id: str, format: str = "jwt") -> Response:
    """The holder's badge as a certificate file: the signed VC-JWT, or with `format=json` a
    readable copy of the credential it carries (which on its own proves nothing)."""
    found = await _my_credential(current, badge_id)
    if isinstance(found, Response):
        return found
    badge, credential = found
    stem = _file_stem(badge["name"])
    if format == "json":
        readable = json.loads(credential["credentialJson"])
        body = json.dumps(readable, indent=2, ensure_ascii=False) + "\n"
        filename, media_type = f"{stem}-open-badge.json", "application/json"
    else:
        body, filename, media_type = credential["jwt"], f"{stem}-open-badge.jwt", CERTIFICATE_TYPE
    return Response(body, media_type=media_type, headers={
        "content-disposition": f'attachment; filename="{filename}"',
        "cache-control": "private, no-store",
    })


@router.get("/me/badges/{badge_id}/check", name="badge_check_mine")
async def badge_check_mine(current: SignedIn, badge_id: str) -> Response:
    """Sends the holder on to the public check of their certificate: a page they can share."""
    found = await _my_credential(current, badge_id)
    if isinstance(found, Response):
        return found
    _, credential = found
    return RedirectResponse(_check_url(current.request, credential["jwt"]), status_code=303)


async def _my_credential(
    current: Visit, badge_id: str
) -> tuple[dict[str, Any], dict[str, Any]] | Response:
    answer = await current.ask(BADGE_CERTIFICATE)
    me = (answer.data or {}).get("me") or {}
    badge = next((b for b in me.get("badges") or () if b and b.get("id") == badge_id), None)
    if badge is None and (me or not answer.problems):
        return current.render("problem.html", status_code=404,
                              heading="We could not find that badge",
                              message="It is not one of your badges. Your badges are on your "
                                      "profile.")
    credential = (badge or {}).get("openBadgeCredential")
    if badge is None or not credential:
        message = " ".join(sentence(p) for p in answer.problems) or (
            "We could not make the certificate just now. Please try again later.")
        return current.render("problem.html", status_code=503,
                              heading="Your badge certificate is not ready", message=message)
    return badge, credential


def _file_stem(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-") or "badge"


def _check_url(request: Request, jwt: str) -> str:
    return f"{request.url_for('badge_check')}?{urlencode({'credential': jwt})}"


@router.get("/badges/check", name="badge_check")
async def badge_check(current: Anyone, credential: str | None = None) -> Response:
    """Anyone (an employer, say) can check a certificate here; no sign-in needed."""
    if not credential or not credential.strip():
        return current.render("profile_badge_check.html", result=None, problems=[])
    answer = await current.ask(CHECK_BADGE, {"credential": credential.strip()})
    check = (answer.data or {}).get("verifyBadgeCredential")
    if check is None:
        problems = [sentence(p) for p in answer.problems] or [
            "We could not check this certificate just now. Please try again."]
        return current.render("profile_badge_check.html", result=None, problems=problems)
    return current.render("profile_badge_check.html", result=_check_result(check), problems=[])


@router.post("/badges/check", name="badge_check_upload", dependencies=CSRF)
async def badge_check_upload(current: Anyone,
                             certificate: Annotated[UploadFile | None, File()] = None,
                             credential: Annotated[str, Form()] = "") -> Response:
    """A certificate file, or its pasted text, is checked on the page this sends to (which the
    person checking can share)."""
    text = credential.strip()
    too_big = False
    if certificate is not None and certificate.filename:
        raw = await certificate.read(CERTIFICATE_MAX_BYTES + 1)
        too_big = len(raw) > CERTIFICATE_MAX_BYTES
        text = raw.decode("utf-8", "replace").strip()
    problem = _certificate_problem(text, too_big=too_big)
    if problem:
        return current.render("profile_badge_check.html", status_code=422, result=None,
                              problems=[], certificate_problem=problem)
    return RedirectResponse(_check_url(current.request, text), status_code=303)


def _certificate_problem(text: str, *, too_big: bool) -> str | None:
    if too_big:
        return ("That file is too big to be a badge certificate. Please choose the file whose "
                "name ends in .jwt.")
    if not text:
        return "Please choose the certificate file, or paste its text."
    if text.startswith("{"):
        return ("That is the readable copy of a badge, which cannot be checked on its own. Please "
                "use the certificate file whose name ends in .jwt.")
    return None


def _check_result(check: dict[str, Any]) -> dict[str, Any]:
    """What a person checking needs to read: valid or not, why, and which badge it is."""
    try:
        credential = json.loads(check.get("credentialJson") or "{}")
    except ValueError:
        credential = {}
    credential = credential if isinstance(credential, dict) else {}
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement = achievement if isinstance(achievement, dict) else {}
    issuer, criteria = credential.get("issuer"), achievement.get("criteria")
    return {
        "valid": bool(check.get("isValid")),
        "reason": check.get("reason"),
        "name": achievement.get("name") or credential.get("name"),
        "description": achievement.get("description") or credential.get("description"),
        "criteria": criteria.get("narrative") if isinstance(criteria, dict) else None,
        "issuer": issuer.get("name") if isinstance(issuer, dict) else None,
        "valid_from": credential.get("validFrom"),
    }


# --- a person's card: give kudos, nominate ------------------------------------------------------

@router.get("/people/{member_id}", name="person_card")
async def person_card(current: SignedIn, member_id: str, sent: str | None = None) -> Response:
    notice = {"kudos": KUDOS_SENT, "nomination": NOMINATION_SENT}.get(sent or "")
    return await _card(current, member_id, notice=notice)


async def _card(current: Visit, member_id: str, *, status_code: int = 200,
                notice: str | None = None, kudos: dict[str, Any] | None = None,
                nomination: dict[str, Any] | None = None, partial: str | None = None) -> Response:
    """The card, or with `partial` one of its forms for htmx, from one gateway request."""
    if not _is_id(member_id):
        return _hidden(current)
    answer = await current.ask(PERSON_CARD, {"id": member_id})
    data = answer.data or {}
    member = data.get("member")
    if member is None:
        return _hidden(current)
    kudos_form = {"member": member, "limit": data.get("kudosMessageLimit") or KUDOS_LIMIT,
                  "values": {"message": "", "isPublic": True}, "problems": {}, "top": [],
                  "notice": None, **(kudos or {})}
    nominate_form = {"member": member, "limits": NOMINATION_LIMITS,
                     "values": {"awardName": "", "reason": ""}, "problems": {}, "top": [],
                     "notice": None, **(nomination or {})}
    # htmx swaps in only 2xx answers, so there a form sent back with its problems is a 200.
    if partial == "kudos":
        return current.render("partials/person_kudos_form.html", form=kudos_form)
    if partial == "nominate":
        return current.render("partials/person_nominate_form.html", form=nominate_form)
    is_me = current.person is not None and member["id"] == current.person.member_id
    return current.render(
        "person.html", status_code=status_code, member=member, notice=notice, is_me=is_me,
        member_type=MEMBER_TYPES.get(member.get("memberType") or "", ""),
        kudos_form=kudos_form, nominate_form=nominate_form,
        problems=[sentence(p) for p in answer.problems],
    )


def _hidden(current: Visit) -> Response:
    """People one may not see look exactly like people who do not exist: a plain page."""
    return current.render("person_hidden.html")


@router.post("/people/{member_id}/kudos", name="give_kudos", dependencies=CSRF)
async def give_kudos(current: SignedIn, member_id: str, message: Annotated[str, Form()] = "",
                     is_public: Annotated[str | None, Form(alias="isPublic")] = None) -> Response:
    values = {"message": message, "isPublic": is_public is not None}
    answer = await current.ask(GIVE_KUDOS, {"input": {
        "toMemberId": member_id, "message": message, "isPublic": values["isPublic"]}})
    htmx = _is_htmx(current.request)
    if answer.problems or not (answer.data or {}).get("giveKudos"):
        at_field, top = _sorted_problems(answer.problems, {"message"})
        return await _card(current, member_id, status_code=422,
                           partial="kudos" if htmx else None,
                           kudos={"values": values, "problems": at_field, "top": top})
    if htmx:
        return await _card(current, member_id, kudos={"notice": KUDOS_SENT}, partial="kudos")
    card = current.request.url_for("person_card", member_id=member_id)
    return RedirectResponse(f"{card}?sent=kudos", status_code=303)


@router.post("/people/{member_id}/nominate", name="nominate", dependencies=CSRF)
async def nominate(current: SignedIn, member_id: str,
                   award_name: Annotated[str, Form(alias="awardName")] = "",
                   reason: Annotated[str, Form()] = "") -> Response:
    values = {"awardName": award_name, "reason": reason}
    answer = await current.ask(NOMINATE, {"input": {
        "memberId": member_id, "awardName": award_name, "reason": reason}})
    htmx = _is_htmx(current.request)
    if answer.problems or not (answer.data or {}).get("nominate"):
        at_field, top = _sorted_problems(answer.problems, set(NOMINATION_LIMITS))
        return await _card(current, member_id, status_code=422,
                           partial="nominate" if htmx else None,
                           nomination={"values": values, "problems": at_field, "top": top})
    if htmx:
        return await _card(current, member_id, nomination={"notice": NOMINATION_SENT},
                           partial="nominate")
    card = current.request.url_for("person_card", member_id=member_id)
    return RedirectResponse(f"{card}?sent=nomination", status_code=303)


# --- joining with an invite code ----------------------------------------------------------------

@router.get("/join", name="join")
async def join(current: Anyone) -> Response:
    values = {"inviteCode": "", "displayName": "", "profileVisibility": "ORGANISATION"}
    return current.render("join.html", values=values, problems={}, top=[])


@router.post("/join", name="join_submit", dependencies=CSRF)
async def join_submit(
    current: Anyone,
    invite_code: Annotated[str, Form(alias="inviteCode")] = "",
    display_name: Annotated[str, Form(alias="displayName")] = "",
    profile_visibility: Annotated[str, Form(alias="profileVisibility")] = "ORGANISATION",
) -> Response:
    """No sign-in needed: the code is the proof. Then the person signs in as usual."""
    visibility = profile_visibility if profile_visibility in VISIBILITY else "ORGANISATION"
    values = {"inviteCode": invite_code.strip(), "displayName": display_name.strip(),
              "profileVisibility": visibility}
    if not values["inviteCode"]:
        problems = {"inviteCode": "Please enter the invite code from your invitation."}
        return current.render("join.html", status_code=422, values=values, problems=problems,
                              top=[])
    answer = await current.ask(JOIN_NETWORK, {"input": {
        "inviteCode": values["inviteCode"], "displayName": values["displayName"] or None,
        "profileVisibility": visibility}})
    member = ((answer.data or {}).get("joinNetwork") or {}).get("member")
    if answer.problems or not member:
        at_field, top = _sorted_problems(
            answer.problems, {"inviteCode", "displayName", "profileVisibility"},
            codes=dict.fromkeys(JOIN_CODE_PROBLEMS, "inviteCode"), sentences=JOIN_SENTENCES)
        return current.render("join.html", status_code=422, values=values, problems=at_field,
                              top=top if at_field or top else [TRY_AGAIN])
    # Said once on the next page (post/redirect/get), then forgotten.
    organisation = (member.get("organisation") or {}).get("name") or ""
    current.request.session["joined"] = {"name": member.get("displayName") or "",
                                         "organisation": organisation}
    current.request.session["login_hint"] = member.get("id") or ""
    return RedirectResponse(str(current.request.url_for("join_ready")), status_code=303)


@router.get("/join/ready", name="join_ready")
async def join_ready(current: Anyone) -> Response:
    joined = current.request.session.pop("joined", None) or {}
    return current.render("join_ready.html", joined=joined)


# --- shared helpers -----------------------------------------------------------------------------

def _sorted_problems(
    problems: list[Problem], fields: set[str], *, codes: dict[str, str] | None = None,
    sentences: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Each problem as a sentence next to the form field it is about; the others for the top."""
    at_field: dict[str, str] = {}
    top: list[str] = []
    for problem in problems:
        words = (sentences or {}).get(problem.code) or sentence(problem)
        field = problem.field if problem.field in fields else (codes or {}).get(problem.code)
        if field and field not in at_field:
            at_field[field] = words
        elif words not in top:
            top.append(words)
    return at_field, top


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _is_id(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True
