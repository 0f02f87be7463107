"""Recognition settings: `RECOGNITION_*` variables, falling back to the network's `HEROES_*`."""

from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings

RULES_FILE = Path(__file__).resolve().parent / "rules.toml"
# `make run`'s gateway: where certificates issued in development point when nothing else is set.
DEVELOPMENT_PUBLIC_URL = "http://127.0.0.1:8000"


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "recognition"
    model_config = SettingsConfigDict(env_prefix="RECOGNITION_", extra="ignore")

    # The checked-in network rules; seeded into the rules table at startup.
    rules_file: str = str(RULES_FILE)
    # Kudos a member may give in one UTC day.
    kudos_daily_limit: int = 10
    # Open Badges: the network's issuer name and the RSA key that signs credentials (the issuer's
    # and achievements' addresses are under the public address). A PEM (PKCS#8) private key; when
    # unset in development, one is made next to the JWKS file (`badge-signing-key.pem`); in
    # production credentials are then unavailable.
    badge_signing_key_file: str | None = None
    badge_key_id: str = "heroes-badges-1"
    badge_issuer_name: str = "MAC Heroes Network"
    # The issuer's home page, shown to whoever checks a certificate; the public address when unset.
    badge_issuer_url: str | None = None

    def public_base(self) -> str | None:
        """The network's public address (`HEROES_PUBLIC_URL`) without a trailing slash: every link
        in a certificate starts with it. In development, the local gateway's when unset."""
        url = self.public_url or (DEVELOPMENT_PUBLIC_URL if self.is_development else None)
        return url.rstrip("/") if url else None

    def signing_key_path(self) -> Path | None:
        """Where the badge signing key lives, or None when badge signing is not set up."""
        if self.badge_signing_key_file:
            return Path(self.badge_signing_key_file)
        if self.is_development and self.jwks_file:
            return Path(self.jwks_file).parent / "badge-signing-key.pem"
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
