"""Membership settings: `MEMBERSHIP_*` variables, falling back to the network's `HEROES_*`."""

from functools import lru_cache
from typing import ClassVar

from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "membership"
    model_config = SettingsConfigDict(env_prefix="MEMBERSHIP_", extra="ignore")

    # One query per batch of entity ids (DataLoader). Off only to measure what batching saves.
    batch_loading: bool = True
    # Each API process closes ended pulse months when it starts and then this often (seconds);
    # 0 turns it off in this process. Several copies may run it: each month is announced once.
    pulse_close_interval_seconds: float = 600


@lru_cache
def get_settings() -> Settings:
    return Settings()
