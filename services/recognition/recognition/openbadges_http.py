"""Open Badges over plain HTTP: the issuer profile, its public key, achievements, verification."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from recognition.domain.errors import BadgeSigningNotSetUp
from recognition.repository.rules import RuleRepository
from recognition.schema.context import AppServices
from recognition.service.credentials import verify_credential
from recognition.signing import issuer_of


def add_openbadges_routes(app: FastAPI) -> None:
    @app.get("/openbadges/issuer", include_in_schema=False)
    async def issuer(request: Request) -> dict[str, Any]:
        """The network's issuer Profile, as credentials name it."""
        return issuer_of(_services(request).settings).profile()

    @app.get("/openbadges/jwks.json", include_in_schema=False)
    async def keys(request: Request) -> dict[str, Any]:
        """The public key that verifies the network's credentials."""
        signer = _services(request).signer
        if signer is None:
            raise BadgeSigningNotSetUp()
        return signer.public_jwks()

    @app.get("/openbadges/achievements/{rule_id}", include_in_schema=False)
    async def achievement(request: Request, rule_id: UUID) -> JSONResponse:
        """The achievement (badge) a credential's `achievement.id` points at."""
        async with request.app.state.sessions() as session:
            rule = await RuleRepository(session).find(rule_id)
        if rule is None:
            return JSONResponse(
                {"error": {"code": "badge_not_found", "message": "No such badge."}}, 404
            )
        issuer = issuer_of(_services(request).settings)
        return JSONResponse(
            {
                "id": issuer.achievement_id(rule.id),
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": rule.badge.name,
                "description": rule.badge.description,
                "criteria": {"narrative": rule.badge.criteria},
                "creator": issuer.profile(),
            }
        )

    @app.post("/openbadges/verify", include_in_schema=False)
    async def verify(request: Request) -> dict[str, Any]:
        """Check a credential. Body: the VC-JWT as text, or JSON `{"credential": "<jwt>"}`."""
        body = (await request.body()).decode("utf-8", "replace").strip()
        token = body
        if body.startswith("{"):
            try:
                token = str(json.loads(body).get("credential", ""))
            except ValueError:
                token = ""
        async with request.app.state.sessions() as session:
            result = await verify_credential(session, _services(request).signer, token)
        return {
            "isValid": result.is_valid,
            "reason": result.reason,
            "credential": result.credential,
        }


def _services(request: Request) -> AppServices:
    services: AppServices = request.app.state.recognition
    return services
