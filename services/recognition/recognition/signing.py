"""The network's badge signing key (read from the configured PEM file, made once in development)
and the issuer it signs as, at the network's public address."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from recognition.openbadges import BadgeSigner, Issuer
from recognition.settings import Settings

log = logging.getLogger("recognition.signing")

# Where the service serves Open Badges, and the gateway serves them under the public address.
OPENBADGES_PATH = "/openbadges"


def issuer_of(settings: Settings) -> Issuer | None:
    """The network as issuer, every address under its public one; None when that is not set."""
    base = settings.public_base()
    if base is None:
        return None
    return Issuer(
        id=f"{base}{OPENBADGES_PATH}/issuer",
        name=settings.badge_issuer_name,
        url=settings.badge_issuer_url or f"{base}/",
        base_url=f"{base}{OPENBADGES_PATH}",
    )


def key_url(issuer: Issuer, key_name: str) -> str:
    """The signing key's id in certificates (`kid`): an address that gives the public key (JWK),
    as Open Badges 3.0 asks of a `kid`."""
    return f"{issuer.base_url}/keys/{key_name}"


def load_signer(settings: Settings) -> BadgeSigner | None:
    """The signer, or None when no key is configured (credentials then say signing is not set up).

    A key file named in settings must exist. In development with no key named, one is
    created next to the local JWKS so `make run` works out of the box.
    """
    path = settings.signing_key_path()
    if path is None:
        log.warning("openbadges.signing_not_configured")
        return None
    issuer = issuer_of(settings)
    if issuer is None:
        # A certificate whose links lead nowhere cannot be checked by anyone: issue none.
        log.error("openbadges.public_url_not_configured", extra={"setting": "HEROES_PUBLIC_URL"})
        return None
    if not path.exists():
        if settings.badge_signing_key_file:
            raise FileNotFoundError(f"badge signing key not found: {path}")
        write_new_key(path)
        log.info("openbadges.key_created", extra={"path": str(path)})
    return BadgeSigner(path.read_bytes(), key_url(issuer, settings.badge_key_id), issuer)


def write_new_key(path: Path) -> None:
    """A new 2048-bit RSA key as unencrypted PKCS#8 PEM, readable by its owner only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pem)
    temporary.chmod(0o600)
    temporary.replace(path)  # atomic: a second process never reads half a key
