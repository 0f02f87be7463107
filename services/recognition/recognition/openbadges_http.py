"""Open Badges over plain HTTP: the issuer profile, its public key, achievements, verification.

The gateway serves these same paths under the network's public address, so every link in a
certificate resolves from outside. Each answers JSON, or a page when a browser asks.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from recognition.domain.errors import BadgeNotFound, BadgeSigningNotSetUp
from recognition.openbadges import BadgeSigner, achievement_for
from recognition.openbadges_pages import achievement_page, issuer_page, verify_page, wants_html
from recognition.repository.rules import RuleRepository
from recognition.schema.context import AppServices
from recognition.service.credentials import verify_credential
from recognition.signing import OPENBADGES_PATH

router = APIRouter(prefix=OPENBADGES_PATH, include_in_schema=False)
# A VC-JWT of one badge is a few kilobytes; anything far larger is not a certificate.
MOST_CERTIFICATE_BYTES = 64 * 1024


def add_openbadges_routes(app: FastAPI) -> None:
    app.include_router(router)


@router.get("/issuer")
async def issuer(request: Request) -> Response:
    """The network's issuer Profile, as credentials name it."""
    signer = _signer(request)
    if _html(request):
        return _page(issuer_page(signer.issuer))
    return _json(signer.issuer.profile())


@router.get("/jwks.json")
async def keys(request: Request) -> Response:
    """The public key that verifies the network's credentials."""
    return _json(_signer(request).public_jwks())


@router.get("/keys/{name}")
async def key(request: Request, name: str) -> Response:
    """One public key (a JWK): what a certificate's `kid` header points at."""
    signer = _signer(request)
    [jwk] = signer.public_jwks()["keys"]
    if jwk["kid"] != f"{signer.issuer.base_url}/keys/{name}":
        raise BadgeNotFound()
    return _json(jwk)


@router.get("/achievements/{rule_id}")
async def achievement(request: Request, rule_id: UUID) -> Response:
    """The achievement (badge) a credential's `achievement.id` points at."""
    signer = _signer(request)
    async with request.app.state.sessions() as session:
        rule = await RuleRepository(session).find(rule_id)
    if rule is None:
        raise BadgeNotFound()
    found = achievement_for(rule.id, rule.badge, signer.issuer)
    if _html(request):
        return _page(achievement_page(found, signer.issuer))
    return _json({**found, "creator": signer.issuer.profile()})


@router.get("/verify")
async def verify_form(request: Request) -> Response:
    """A page where a person pastes a certificate to check it."""
    return _page(verify_page(_signer(request).issuer))


@router.post("/verify")
async def verify(request: Request) -> Response:
    """Check a credential. Body: the VC-JWT as text, JSON `{"credential": "<jwt>"}`, or the
    check page's form."""
    signer = _signer(request)
    body = await request.body()
    form = request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
    token = _token_in(body[:MOST_CERTIFICATE_BYTES], form=form)
    async with request.app.state.sessions() as session:
        result = await verify_credential(session, signer, token)
    if form or _html(request):
        return _page(verify_page(signer.issuer, result))
    return _json(
        {"isValid": result.is_valid, "reason": result.reason, "credential": result.credential}
    )


def _token_in(body: bytes, *, form: bool) -> str:
    text = body.decode("utf-8", "replace").strip()
    if form:
        return parse_qs(text).get("credential", [""])[0]
    if not text.startswith("{"):
        return text
    try:
        parsed = json.loads(text)
    except ValueError:
        return ""
    return str(parsed.get("credential", "")) if isinstance(parsed, dict) else ""


def _signer(request: Request) -> BadgeSigner:
    services: AppServices = request.app.state.recognition
    if services.signer is None:
        raise BadgeSigningNotSetUp()
    return services.signer


def _html(request: Request) -> bool:
    return wants_html(request.headers.get("accept", ""))


def _json(content: Any) -> Response:
    return JSONResponse(content, headers={"vary": "Accept"})


def _page(text: str) -> Response:
    return HTMLResponse(text, headers={"vary": "Accept"})
