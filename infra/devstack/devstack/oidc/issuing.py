"""The tokens a sign-in ends with: an access token like the network's own, and an ID token."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import jwt
from servicekit.tokens import KEY_ID, PRIVATE_KEY, mint

from devstack.oidc.grants import Grant


def access_token(
    keys_dir: Path, grant: Grant, *, issuer: str, audience: str, ttl_seconds: int, now: int
) -> str:
    """What services verify: RS256, the network's issuer and audience, sub, org and roles."""
    person = grant.person
    return mint(
        keys_dir,
        member_id=person.member_id,
        organisation_id=person.organisation_id,
        roles=list(person.roles),
        issuer=issuer,
        audience=audience,
        ttl_seconds=ttl_seconds,
        now=now,
    )


def id_token(
    keys_dir: Path, grant: Grant, *, issuer: str, access: str, ttl_seconds: int, now: int
) -> str:
    """For the client only (aud = its client id): who signed in, bound to its nonce."""
    person = grant.person
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": str(person.member_id),
        "aud": grant.request.client_id,
        "iat": now,
        "auth_time": now,
        "exp": now + ttl_seconds,
        "nonce": grant.request.nonce,
        "at_hash": at_hash(access),
    }
    if "profile" in grant.request.scope.split():
        claims["name"] = person.name
    if person.organisation_id is not None:
        claims["org"] = str(person.organisation_id)
    private_key = (keys_dir / PRIVATE_KEY).read_bytes()
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": KEY_ID})


def at_hash(token: str) -> str:
    """OpenID Connect's access token hash: the left half of its SHA-256, base64url."""
    digest = hashlib.sha256(token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")
