"""GraphiQL in development loads nothing from outside: every script and style comes from the service."""

from typing import ClassVar

import httpx
import pytest
import strawberry
from pydantic_settings import SettingsConfigDict
from servicekit.app import create_service_app
from servicekit.settings import ServiceSettings
from servicekit.testing import check_graphiql, serve_app

from .conftest import Kit


class KitSettings(ServiceSettings):
    service_name: ClassVar[str] = "kit"
    model_config = SettingsConfigDict(env_prefix="KIT_", extra="ignore")


@strawberry.type
class Query:
    ping: str = "pong"


@pytest.mark.parametrize("environment", ["development"])
async def test_a_services_graphiql_needs_no_cdn(kit: Kit, monkeypatch: pytest.MonkeyPatch, environment: str) -> None:
    monkeypatch.setenv("KIT_DATABASE_URL", kit.url)
    monkeypatch.setenv("KIT_KAFKA_BOOTSTRAP", kit.bootstrap)
    monkeypatch.setenv("KIT_ENVIRONMENT", environment)
    app = create_service_app(settings=KitSettings(), schema=strawberry.federation.Schema(query=Query))
    async with serve_app(app) as base, httpx.AsyncClient(timeout=10) as client:
        await check_graphiql(client, base, "/graphql")
        assert (await client.get(f"{base}/graphiql-assets/../../etc/passwd")).status_code == 404
        assert (await client.get(f"{base}/graphiql-assets/react@18.2.0/package.json")).status_code == 404
