"""The development provider's settings: `DEVOIDC_*` variables (issuer, audience: `HEROES_*`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from servicekit.settings import NetworkSettings

from devstack.services import REPO


class Client(BaseModel):
    """A registered client (a portal): where it may send people back to. Public: no secret."""

    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = []


class ProviderSettings(BaseSettings):
    """`DEVOIDC_CLIENTS` is JSON: {"heroes-portal": {"redirect_uris": [...], ...}}.

    The provider issues tokens with the network's issuer (`HEROES_JWT_ISSUER`), so the access
    tokens it hands out are the ones every service already accepts; `public_url` is only where
    its endpoints are reached.
    """

    model_config = SettingsConfigDict(env_prefix="DEVOIDC_", extra="ignore")

    public_url: str = "http://127.0.0.1:8005"
    keys_dir: Path = REPO / ".local" / "keys"
    gateway_url: str = "http://127.0.0.1:8000/graphql"
    clients: dict[str, Client] = {}
    accounts_file: Path | None = None  # the demo accounts listed on the sign-in page (JSON)
    code_ttl_seconds: int = 60
    token_ttl_seconds: int = 3600
    issuer: str = ""  # empty: HEROES_JWT_ISSUER
    audience: str = ""  # empty: HEROES_JWT_AUDIENCE

    @model_validator(mode="after")
    def _fill_from_network(self) -> ProviderSettings:
        network = NetworkSettings()
        self.issuer = self.issuer or network.jwt_issuer
        self.audience = self.audience or network.jwt_audience
        self.public_url = self.public_url.rstrip("/")
        return self
