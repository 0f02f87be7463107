"""Open Badges over plain HTTP: the issuer profile, its public key, achievements, verification."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Request

from recognition.domain.errors import BadgeNotFound, BadgeSigningNotSetUp
from recognition.openbadges import achievement_for
from recognition.repository.rules import RuleRepository
from recognition.schema.context import AppServices
from recognition.service.credentials import verify_credential
from recognition.signing import issuer_of

router = APIRouter(prefix="/openbadges", include_in_schema=False)


def add_openbadges_routes(app: FastAPI) -> None:
    app.include_router(router)


@router.get("/issuer")
async def issuer(request: Request) -> dict[str, Any]:
    """The network's issuer Profile, as credentials name it."""
    return issuer_of(_services(request).settings).profile()


@router.get("/jwks.json")
async def keys(request: Request) -> dict[str, Any]:
    """The public key that verifies the network's credentials."""
    signer = _services(request).signer
    if signer is None:
        raise BadgeSigningNotSetUp()
    return signer.public_jwks()


@router.get("/achievements/{rule_id}")
async def achievement(request: Request, rule_id: UUID) -> dict[str, Any]:
    """The achievement (badge) a credential's `achievement.id` points at."""
    async with request.app.state.sessions() as session:
        rule = await RuleRepository(session).find(rule_id)
    if rule is None:
        raise BadgeNotFound()
    issuer = issuer_of(_services(request).settings)
    return {**achievement_for(rule.id, rule.badge, issuer), "creator": issuer.profile()}


@router.post("/verify")
async def verify(request: Request) -> dict[str, Any]:
    """Check a credential. Body: the VC-JWT as text, or JSON `{"credential": "<jwt>"}`."""
    body = (await request.body()).decode("utf-8", "replace").strip()
    async with request.app.state.sessions() as session:
        result = await verify_credential(session, _services(request).signer, _token_in(body))
    return {"isValid": result.is_valid, "reason": result.reason, "credential": result.credential}


def _token_in(body: str) -> str:
    if not body.startswith("{"):
        return body
    try:
        parsed = json.loads(body)
    except ValueError:
        return ""
    return str(parsed.get("credential", "")) if isinstance(parsed, dict) else ""


def _services(request: Request) -> AppServices:
    services: AppServices = request.app.state.recognition
    return services
