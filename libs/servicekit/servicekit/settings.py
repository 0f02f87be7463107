"""Settings shared by every service: network-wide `HEROES_*` values and per-service overrides."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from servicekit.jsondepth import DEFAULT_MAX_JSON_DEPTH

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:55432/postgres"
DEFAULT_KAFKA_BOOTSTRAP = "127.0.0.1:59092"


class NetworkSettings(BaseSettings):
    """Values every process of the network shares, read from `HEROES_*` variables.

    `database_url` names a PostgreSQL *server* (any database on it); each service
    connects to its own database on that server unless it is given a full URL of
    its own (`MEMBERSHIP_DATABASE_URL`, ...).
    """

    model_config = SettingsConfigDict(env_prefix="HEROES_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    kafka_bootstrap_servers: str = DEFAULT_KAFKA_BOOTSTRAP
    environment: Literal["development", "production"] = "production"
    log_level: str = "INFO"
    jwt_issuer: str = "https://heroes.local/issuer"
    jwt_audience: str = "heroes-network"
    jwks_file: str | None = None
    jwks_url: str | None = None
    gateway_secret: SecretStr = SecretStr("")
    # Where people and outside systems reach the network: the gateway's public address, e.g.
    # https://heroes.example.nhs.uk. Links that leave the network (Open Badges certificates) use it.
    public_url: str | None = None
    # An API answers "try again" within about a second while its database is away: these bound
    # a new connection and the wait for a pooled one.
    database_connect_timeout: float = 0.5
    database_pool_timeout: float = 0.5
    # Requests whose JSON nests deeper are refused (HTTP 400) before any parser recurses.
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH


class ServiceSettings(BaseSettings):
    """Base of each service's `Settings`; subclasses set `service_name` and `env_prefix`.

    Any field left unset falls back to the network-wide `HEROES_*` value, so a
    whole network is configured with a handful of variables and one service can
    still be pointed elsewhere.
    """

    service_name: ClassVar[str]
    model_config = SettingsConfigDict(extra="ignore")

    database_url: str | None = None
    kafka_bootstrap: str | None = None
    log_level: str | None = None
    environment: Literal["development", "production"] | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwks_file: str | None = None
    jwks_url: str | None = None
    gateway_secret: SecretStr | None = None
    public_url: str | None = None
    database_connect_timeout: float | None = None
    database_pool_timeout: float | None = None
    max_json_depth: int | None = None
    # Overrides the consumer's group and inbox name; isolated test runs on a shared broker set it.
    consumer_name: str | None = None
    # When set, the consumer process serves /healthz, /readyz and /metrics on this port.
    consumer_probe_port: int | None = None

    @model_validator(mode="after")
    def _fill_from_network(self) -> ServiceSettings:
        network = NetworkSettings()
        if self.database_url is None:
            self.database_url = database_url_for(network.database_url, self.service_name)
        for name in (
            "log_level",
            "environment",
            "jwt_issuer",
            "jwt_audience",
            "jwks_file",
            "jwks_url",
            "gateway_secret",
            "public_url",
            "database_connect_timeout",
            "database_pool_timeout",
            "max_json_depth",
        ):
            if getattr(self, name) is None:
                setattr(self, name, getattr(network, name))
        if self.kafka_bootstrap is None:
            self.kafka_bootstrap = network.kafka_bootstrap_servers
        return self

    @property
    def dsn(self) -> str:
        """The database URL as SQLAlchemy wants it (asyncpg driver)."""
        assert self.database_url is not None
        return to_sqlalchemy_url(self.database_url)

    @property
    def kafka(self) -> str:
        assert self.kafka_bootstrap is not None
        return self.kafka_bootstrap

    @property
    def is_development(self) -> bool:
        return self.environment == "development"


def to_sqlalchemy_url(url: str) -> str:
    """Accept `postgres://`, `postgresql://` or `postgresql+asyncpg://` and return the asyncpg form."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def to_asyncpg_dsn(url: str) -> str:
    """The same URL in the plain `postgresql://` form asyncpg.connect() takes."""
    parsed = make_url(to_sqlalchemy_url(url))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def database_url_for(server_url: str, database: str) -> str:
    """The URL of `database` on the server that `server_url` points at."""
    parsed = make_url(to_sqlalchemy_url(server_url))
    return parsed.set(database=database).render_as_string(hide_password=False)


def settings_for(service: str) -> ServiceSettings:
    """Generic settings of one service (for processes such as the relay that need no more)."""

    class _Settings(ServiceSettings):
        service_name = service
        model_config = SettingsConfigDict(env_prefix=f"{service.upper()}_", extra="ignore")

    return _Settings()
