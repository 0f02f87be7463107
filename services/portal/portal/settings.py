"""Portal settings: `PORTAL_*` variables (the environment and log level fall back to `HEROES_*`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from servicekit.settings import NetworkSettings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    gateway_url: str = "http://127.0.0.1:8000/graphql"  # the only API the portal talks to
    public_url: str = "http://127.0.0.1:8004"  # where people reach the portal (for sign-in redirects)
    session_secret: SecretStr = SecretStr("")  # signs the session cookie; required in production
    session_max_age_seconds: int = 8 * 3600
    # One organisation from these variables, or several from a TOML file (see organisations.py).
    organisations_file: str | None = None
    oidc_issuer_url: str | None = None  # the identity provider (its /.well-known/openid-configuration)
    oidc_client_id: str = "heroes-portal"
    organisation_name: str = "MAC Heroes Network"
    request_timeout_seconds: float = 10.0
    environment: Literal["development", "production"] | None = None
    log_level: str | None = None

    @model_validator(mode="after")
    def _fill_from_network(self) -> Settings:
        network = NetworkSettings()
        self.environment = self.environment or network.environment
        self.log_level = self.log_level or network.log_level
        if not self.session_secret.get_secret_value():
            if self.environment == "production":
                raise ValueError("PORTAL_SESSION_SECRET is required in production")
            self.session_secret = SecretStr("development-only-session-secret")
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
