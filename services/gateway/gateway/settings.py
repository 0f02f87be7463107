"""Gateway settings: `GATEWAY_*` variables, falling back to the network's `HEROES_*`."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings

from gateway.limits import Limits


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "gateway"
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    subgraphs: str = ""  # "name=url,name=url": the subgraphs to compose
    supergraph_file: str | None = None  # an Apollo supergraph SDL file to use instead of composing
    subgraphs_file: str | None = None  # a file of name=url lines, re-read on every reload
    reload_interval_seconds: float = 0  # recompose this often (0: only on demand)
    subgraph_timeout_seconds: float = 5.0
    # Where recognition serves Open Badges (e.g. http://recognition:8003); by default the host of
    # the subgraph named "recognition". The gateway serves them at the public address.
    openbadges_url: str | None = None
    compose_wait_seconds: float = 60.0
    introspection: bool | None = None  # default: on in development, off in production
    max_depth: int = 12
    max_aliases: int = 30
    max_cost: int = 5_000
    max_body_bytes: int = 64 * 1024
    max_json_depth: int = 32
    max_tokens: int = 2_000
    max_batch: int = 10
    default_list_size: int = 10
    default_page_size: int = 20
    max_page_size: int = 100
    max_planning_steps: int = 100_000
    max_planning_seconds: float = 2.0

    def subgraph_urls(self) -> dict[str, str]:
        pairs = [item.strip() for item in self.subgraphs.split(",") if item.strip()]
        urls: dict[str, str] = {}
        for pair in pairs:
            name, _, url = pair.partition("=")
            if not name or not url:
                raise ValueError(f"GATEWAY_SUBGRAPHS entry {pair!r} is not name=url")
            urls[name.strip()] = url.strip()
        return urls

    @property
    def limits(self) -> Limits:
        return Limits(
            max_depth=self.max_depth, max_aliases=self.max_aliases, max_cost=self.max_cost,
            max_body_bytes=self.max_body_bytes, max_json_depth=self.max_json_depth, max_tokens=self.max_tokens,
            max_batch=self.max_batch, default_list_size=self.default_list_size,
            default_page_size=self.default_page_size, max_page_size=self.max_page_size,
            max_planning_steps=self.max_planning_steps, max_planning_seconds=self.max_planning_seconds,
        )

    @property
    def introspection_on(self) -> bool:
        return self.is_development if self.introspection is None else self.introspection


@lru_cache
def get_settings() -> Settings:
    return Settings()
