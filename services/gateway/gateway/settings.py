"""Gateway settings: `GATEWAY_*` variables, falling back to the network's `HEROES_*`."""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "gateway"
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    # "name=url,name=url": the subgraphs to compose.
    subgraphs: str = ""

    def subgraph_urls(self) -> dict[str, str]:
        pairs = [item.strip() for item in self.subgraphs.split(",") if item.strip()]
        urls: dict[str, str] = {}
        for pair in pairs:
            name, _, url = pair.partition("=")
            if not name or not url:
                raise ValueError(f"GATEWAY_SUBGRAPHS entry {pair!r} is not name=url")
            urls[name.strip()] = url.strip()
        return urls


@lru_cache
def get_settings() -> Settings:
    return Settings()
