"""Feed builders get the event contract from the recognition service: the checked-in files."""

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from recognition.api import create_app
from recognition.asyncapi_http import DOCUMENTS, add_asyncapi_routes
from recognition.settings import Settings

INFRA = Path(__file__).resolve().parents[4] / "infra"


async def get(app: FastAPI, path: str) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://r"
    ) as http:
        return await http.get(path)


class TestAsyncAPIEndpoints:
    def test_the_files_are_the_repository_infra_ones(self) -> None:
        assert DOCUMENTS == INFRA

    @pytest.mark.parametrize(
        ("name", "media_type"),
        [
            ("asyncapi.yaml", "application/yaml"),
            ("asyncapi.json", "application/json"),
            ("asyncapi.html", "text/html; charset=utf-8"),
        ],
    )
    async def test_the_service_serves_the_checked_in_file_byte_for_byte(
        self, name: str, media_type: str
    ) -> None:
        response = await get(create_app(Settings(environment="development")), f"/{name}")

        assert response.status_code == 200
        assert response.headers["content-type"] == media_type
        assert response.content == (INFRA / name).read_bytes()

    async def test_the_page_may_load_nothing_from_elsewhere(self) -> None:
        response = await get(create_app(Settings(environment="development")), "/asyncapi.html")

        assert response.headers["content-security-policy"].startswith("default-src 'none';")
        assert "<script" not in response.text

    async def test_a_file_not_installed_is_a_plain_404(self, tmp_path: Path) -> None:
        app = FastAPI()
        add_asyncapi_routes(app, tmp_path)

        response = await get(app, "/asyncapi.yaml")

        assert response.status_code == 404
        assert response.text == "asyncapi.yaml is not installed with this service."
