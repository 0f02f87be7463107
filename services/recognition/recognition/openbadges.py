"""Open Badges 3.0: a member's badge as an OpenBadgeCredential, signed as a VC-JWT (RS256).

The credential is the JWT payload itself (Open Badges 3.0, section 8.2), with the
registered claims `iss` (issuer id), `jti` (credential id), `sub` (the holder),
`nbf` (validFrom) and `iat` added. Anyone can check one with the network's public
key, published at `/openbadges/jwks.json`, or ask `/openbadges/verify`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from recognition.domain.rules import BadgeText

ALGORITHM = "RS256"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# 1EdTech's extensions context defines `1EdTechJsonSchemaValidator2019`, the credentialSchema type
# Open Badges 3.0 requires; the 3.0 context does not.
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
REGISTERED_CLAIMS = ("iss", "jti", "sub", "nbf", "iat", "exp")


@dataclass(frozen=True, slots=True)
class Issuer:
    """The network as the issuer of every badge (an Open Badges Profile)."""

    id: str
    name: str
    url: str
    base_url: str

    def profile(self) -> dict[str, Any]:
        return {"id": self.id, "type": ["Profile"], "name": self.name, "url": self.url}

    def achievement_id(self, rule_id: UUID) -> str:
        return f"{self.base_url.rstrip('/')}/achievements/{rule_id}"


@dataclass(frozen=True, slots=True)
class BadgeClaim:
    """What a credential states: this member earned this badge at this time, with this evidence."""

    award_id: UUID
    rule_id: UUID
    member_id: UUID
    badge: BadgeText
    awarded_at: datetime
    evidence: tuple[UUID, ...]


def achievement_for(rule_id: UUID, badge: BadgeText, issuer: Issuer) -> dict[str, Any]:
    """The Achievement a rule's badge is, in Open Badges terms."""
    return {
        "id": issuer.achievement_id(rule_id),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge.name,
        "description": badge.description,
        "criteria": {"narrative": badge.criteria},
    }


def credential_for(claim: BadgeClaim, issuer: Issuer) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of one award."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT],
        "id": f"urn:uuid:{claim.award_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": claim.badge.name,
        "description": claim.badge.description,
        "issuer": issuer.profile(),
        "validFrom": _timestamp(claim.awarded_at),
        "credentialSubject": {
            "id": f"urn:uuid:{claim.member_id}",
            "type": ["AchievementSubject"],
            "achievement": achievement_for(claim.rule_id, claim.badge, issuer),
        },
        "evidence": [
            {
                "id": f"urn:uuid:{event_id}",
                "type": ["Evidence"],
                "name": "A recorded event in the MAC Heroes Network that earned this badge",
            }
            for event_id in claim.evidence
        ],
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


@dataclass(frozen=True, slots=True)
class Verification:
    is_valid: bool
    reason: str | None = None
    credential: dict[str, Any] | None = None


class BadgeSigner:
    """Signs and checks credentials with the network's RSA key."""

    def __init__(self, private_key_pem: bytes, key_id: str, issuer: Issuer) -> None:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the badge signing key must be an RSA private key")
        self._private = key
        self.public_key = key.public_key()
        self.key_id = key_id
        self.issuer = issuer

    def sign(self, credential: dict[str, Any], now: datetime) -> str:
        claims = {
            **credential,
            "iss": credential["issuer"]["id"],
            "jti": credential["id"],
            "sub": credential["credentialSubject"]["id"],
            "nbf": int(datetime.fromisoformat(credential["validFrom"]).timestamp()),
            "iat": int(now.timestamp()),
        }
        return jwt.encode(
            claims, self._private, algorithm=ALGORITHM, headers={"kid": self.key_id, "typ": "JWT"}
        )

    def public_jwks(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.public_key))
        jwk.update({"kid": self.key_id, "use": "sig", "alg": ALGORITHM})
        return {"keys": [jwk]}

    def verify(self, token: str) -> Verification:
        """Check the signature, the issuer and that the claims agree with the credential."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return Verification(False, "This is not a signed badge certificate.")
        if header.get("alg") != ALGORITHM:
            return Verification(False, "This certificate is signed in a way we do not accept.")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.public_key,
                algorithms=[ALGORITHM],
                issuer=self.issuer.id,
                leeway=60,
                options={"require": ["iss", "jti", "sub", "nbf"], "verify_aud": False},
            )
        except jwt.InvalidSignatureError:
            return Verification(
                False,
                "The signature does not match: the certificate was changed, "
                "or it was not issued by this network.",
            )
        except jwt.InvalidIssuerError:
            return Verification(False, "This certificate was not issued by this network.")
        except jwt.PyJWTError as error:
            return Verification(False, f"This certificate is not valid ({error}).")
        credential = {
            name: value for name, value in claims.items() if name not in REGISTERED_CLAIMS
        }
        problem = _disagreement(claims, credential)
        if problem:
            return Verification(False, problem)
        return Verification(True, None, credential)


def _disagreement(claims: dict[str, Any], credential: dict[str, Any]) -> str | None:
    try:
        if "OpenBadgeCredential" not in credential["type"]:
            return "This is not an Open Badges credential."
        if credential["issuer"]["id"] != claims["iss"] or credential["id"] != claims["jti"]:
            return "The certificate's issuer or id does not match its signed claims."
        if credential["credentialSubject"]["id"] != claims["sub"]:
            return "The certificate's holder does not match its signed claims."
    except (KeyError, TypeError):
        return "The certificate is missing required parts."
    return None


def award_id_of(credential: dict[str, Any]) -> UUID | None:
    """The award a (verified) credential is about, from its `urn:uuid:` id."""
    value = str(credential.get("id", ""))
    try:
        return UUID(value.removeprefix("urn:uuid:"))
    except ValueError:
        return None


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
