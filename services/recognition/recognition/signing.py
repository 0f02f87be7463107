"""The network's badge signing key: read from the configured PEM file (made once in development)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from recognition.openbadges import BadgeSigner, Issuer
from recognition.settings import Settings

log = logging.getLogger("recognition.signing")


def issuer_of(settings: Settings) -> Issuer:
    return Issuer(
        id=settings.badge_issuer_id,
        name=settings.badge_issuer_name,
        url=settings.badge_issuer_url,
        base_url=settings.badge_base_url,
    )


def load_signer(settings: Settings) -> BadgeSigner | None:
    """The signer, or None when no key is configured (credentials then say signing is not set up).

    A key file named in settings must exist. In development with no key named, one is
    created next to the local JWKS so `make run` works out of the box.
    """
    path = settings.signing_key_path()
    if path is None:
        log.warning("openbadges.signing_not_configured")
        return None
    if not path.exists():
        if settings.badge_signing_key_file:
            raise FileNotFoundError(f"badge signing key not found: {path}")
        write_new_key(path)
        log.info("openbadges.key_created", extra={"path": str(path)})
    return BadgeSigner(path.read_bytes(), settings.badge_key_id, issuer_of(settings))


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
