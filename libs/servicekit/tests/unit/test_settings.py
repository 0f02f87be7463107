from typing import ClassVar

import pytest
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for, to_asyncpg_dsn, to_sqlalchemy_url


class WidgetSettings(ServiceSettings):
    service_name: ClassVar[str] = "widgets"
    model_config = SettingsConfigDict(env_prefix="WIDGETS_", extra="ignore")


class TestFallbackToNetworkSettings:
    def test_service_database_is_its_own_database_on_the_network_server(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HEROES_DATABASE_URL", "postgresql://app:pw@db.example:5433/postgres")
        monkeypatch.setenv("HEROES_KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")

        settings = WidgetSettings()

        assert settings.dsn == "postgresql+asyncpg://app:pw@db.example:5433/widgets"
        assert settings.kafka == "kafka.example:9092"

    def test_a_service_variable_wins_over_the_network_one(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HEROES_DATABASE_URL", "postgresql://app@db.example/postgres")
        monkeypatch.setenv("WIDGETS_DATABASE_URL", "postgresql://other@db2.example/widgets_prod")
        monkeypatch.setenv("WIDGETS_JWT_AUDIENCE", "widgets-only")

        settings = WidgetSettings()

        assert settings.dsn == "postgresql+asyncpg://other@db2.example/widgets_prod"
        assert settings.jwt_audience == "widgets-only"


class TestUrls:
    def test_every_postgres_spelling_becomes_the_asyncpg_driver(self) -> None:
        for url in ("postgres://u@h/d", "postgresql://u@h/d", "postgresql+asyncpg://u@h/d"):
            assert to_sqlalchemy_url(url) == "postgresql+asyncpg://u@h/d"

    def test_asyncpg_gets_the_plain_form(self) -> None:
        assert to_asyncpg_dsn("postgresql+asyncpg://u:p@h:1/d") == "postgresql://u:p@h:1/d"

    def test_database_url_for_swaps_only_the_database(self) -> None:
        assert database_url_for("postgresql://u:p@h:1/postgres", "projects") == "postgresql+asyncpg://u:p@h:1/projects"


class TestLimits:
    def test_an_api_answers_within_a_second_and_refuses_json_past_64_levels_by_default(self) -> None:
        settings = WidgetSettings()

        assert (settings.database_connect_timeout, settings.database_pool_timeout) == (0.5, 0.5)
        assert settings.max_json_depth == 64

    def test_limits_follow_the_network_and_a_service_may_override_them(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("HEROES_DATABASE_CONNECT_TIMEOUT", "2")
        monkeypatch.setenv("HEROES_MAX_JSON_DEPTH", "32")
        monkeypatch.setenv("WIDGETS_MAX_JSON_DEPTH", "16")

        settings = WidgetSettings()

        assert settings.database_connect_timeout == 2.0
        assert settings.max_json_depth == 16


class TestMintRoles:
    def test_the_roles_a_token_may_name_are_checked_and_listed(self) -> None:
        import argparse

        import pytest
        from servicekit.tokens import _roles

        assert _roles("hero, network_admin") == ["hero", "network_admin"]
        with pytest.raises(argparse.ArgumentTypeError, match=r"unknown role.*admin: use hero, coordinator, sponsor, "
                                                             r"network_admin"):
            _roles("hero,admin")
