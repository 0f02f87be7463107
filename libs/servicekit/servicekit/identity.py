"""Who is calling: RS256 bearer tokens checked for issuer, audience and expiry, keys from a JWKS."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import jwt
from jwt import PyJWK, PyJWKClient, PyJWKSet

from servicekit.errors import Unauthenticated

ALGORITHM = "RS256"  # pinned: a token naming any other algorithm is refused

COORDINATOR = "coordinator"
NETWORK_ADMIN = "network_admin"
SPONSOR = "sponsor"
HERO = "hero"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a member of one organisation with network roles. Anonymous when `member_id` is None."""

    member_id: UUID | None = None
    organisation_id: UUID | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    expires_at: float | None = None  # when the token that named this caller expires (epoch seconds)

    @property
    def is_anonymous(self) -> bool:
        return self.member_id is None

    @property
    def is_network_admin(self) -> bool:
        return NETWORK_ADMIN in self.roles

    def is_coordinator_of(self, organisation_id: UUID | None) -> bool:
        return (
            COORDINATOR in self.roles
            and organisation_id is not None
            and self.organisation_id == organisation_id
        )

    def require_member(self) -> UUID:
        if self.member_id is None:
            raise Unauthenticated("Please sign in to do this.")
        return self.member_id


ANONYMOUS = Principal()


class InvalidToken(Unauthenticated):
    code = "invalid_token"


class TokenVerifier:
    """Validates bearer tokens against a fixed set of public keys (a JWKS file or URL)."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_file: str | None = None,
        jwks_url: str | None = None,
        leeway_seconds: int = 30,
        cache_size: int = 10_000,
    ) -> None:
        if not jwks_file and not jwks_url:
            raise ValueError("a JWKS file or URL is required to verify tokens")
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway_seconds
        self.cache_size = cache_size
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._file_keys: dict[str | None, PyJWK] = {}
        self._client: PyJWKClient | None = None
        if jwks_file:
            keyset = PyJWKSet.from_dict(json.loads(Path(jwks_file).read_text()))
            self._file_keys = {key.key_id: key for key in keyset.keys}
        else:
            assert jwks_url is not None
            self._client = PyJWKClient(jwks_url, cache_keys=True, lifespan=300)

    def verify(self, token: str) -> Principal:
        """The principal a valid token names; raises InvalidToken otherwise.

        A token seen before is answered from a small cache until it expires, so a
        portal's repeated calls cost one signature check, not one each.
        """
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires = cached
            if time.time() < expires:
                return principal
            del self._verified[token]
        principal, expires = self._verify(token)
        if len(self._verified) >= self.cache_size:
            self._verified.pop(next(iter(self._verified)))
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken("The sign-in token could not be read.") from error
        if header.get("alg") != ALGORITHM:
            raise InvalidToken("The sign-in token uses a signing method we do not accept.")
        key = self._key_for(header.get("kid"), token)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise InvalidToken("Your sign-in has expired. Please sign in again.") from error
        except jwt.PyJWTError as error:
            raise InvalidToken("The sign-in token is not valid.") from error
        return principal_from_claims(claims), float(claims["exp"])

    def _key_for(self, kid: str | None, token: str) -> PyJWK:
        if self._client is not None:
            try:
                return self._client.get_signing_key_from_jwt(token)
            except jwt.PyJWTError as error:
                raise InvalidToken("The sign-in token was signed with an unknown key.") from error
        key = self._file_keys.get(kid)
        if key is None and kid is None and len(self._file_keys) == 1:
            key = next(iter(self._file_keys.values()))
        if key is None:
            raise InvalidToken("The sign-in token was signed with an unknown key.")
        return key


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        member_id = UUID(str(claims["sub"]))
        organisation_id = UUID(str(claims["org"])) if claims.get("org") else None
    except (KeyError, ValueError) as error:
        raise InvalidToken("The sign-in token does not name a member.") from error
    roles = claims.get("roles") or []
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise InvalidToken("The sign-in token's roles are not a list of names.")
    expires = claims.get("exp")
    return Principal(member_id=member_id, organisation_id=organisation_id, roles=frozenset(roles),
                     expires_at=float(expires) if isinstance(expires, int | float) else None)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None when absent."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("The Authorization header must be 'Bearer <token>'.")
    return token.strip()
