"""Local signing keys and demo tokens: `python -m servicekit.tokens init|mint`.

For development and tests only. Production tokens come from the network's
identity provider; services only ever need its public JWKS.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

PRIVATE_KEY = "signing-key.pem"
JWKS = "jwks.json"
KEY_ID = "heroes-local-1"


def init_keys(directory: Path) -> bool:
    """Create a key pair and its JWKS in `directory` unless present; True when created."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / PRIVATE_KEY
    if private_path.exists() and (directory / JWKS).exists():
        return False
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    public_jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    public_jwk.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
    (directory / JWKS).write_text(json.dumps({"keys": [public_jwk]}, indent=2))
    return True


def mint(
    directory: Path,
    *,
    member_id: UUID,
    organisation_id: UUID | None,
    roles: list[str],
    issuer: str,
    audience: str,
    ttl_seconds: int = 12 * 3600,
    now: int | None = None,
) -> str:
    """A signed RS256 token for a member, as the identity provider would issue it."""
    issued = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "sub": str(member_id),
        "roles": roles,
        "iss": issuer,
        "aud": audience,
        "iat": issued,
        "exp": issued + ttl_seconds,
    }
    if organisation_id is not None:
        claims["org"] = str(organisation_id)
    private_key = (directory / PRIVATE_KEY).read_bytes()
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": KEY_ID})


# The network roles a token may name; membership grants each member one (every member is a hero).
ROLES = ("hero", "coordinator", "sponsor", "network_admin")


def _roles(text: str) -> list[str]:
    roles = [role.strip() for role in text.split(",") if role.strip()]
    unknown = [role for role in roles if role not in ROLES]
    if unknown or not roles:
        raise argparse.ArgumentTypeError(f"unknown role(s) {', '.join(unknown) or '(none given)'}: "
                                         f"use {', '.join(ROLES)}")
    return roles


def main(argv: list[str] | None = None) -> None:
    from servicekit.settings import NetworkSettings

    network = NetworkSettings()
    parser = argparse.ArgumentParser(description="Local signing keys and demo tokens.")
    parser.add_argument("--dir", default=".local/keys", help="folder holding the keys")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create a key pair and jwks.json if missing")
    minting = sub.add_parser("mint", help="print a token for a member")
    minting.add_argument("--member", required=True, type=UUID)
    minting.add_argument("--org", type=UUID)
    minting.add_argument("--roles", default="hero", type=_roles,
                         help=f"comma-separated, of: {', '.join(ROLES)} (registerOrganisation needs network_admin)")
    minting.add_argument("--ttl", type=int, default=12 * 3600, help="seconds until it expires")
    args = parser.parse_args(argv)
    directory = Path(args.dir)
    if args.command == "init":
        created = init_keys(directory)
        print(f"{'created' if created else 'kept existing'} keys in {directory}", file=sys.stderr)  # noqa: T201 - a CLI
        return
    token = mint(
        directory,
        member_id=args.member,
        organisation_id=args.org,
        roles=args.roles,
        issuer=network.jwt_issuer,
        audience=network.jwt_audience,
        ttl_seconds=args.ttl,
    )
    print(token)  # noqa: T201 - a CLI's output


if __name__ == "__main__":
    main()
