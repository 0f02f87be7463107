"""The network's event contract for feed builders: /asyncapi.yaml, /asyncapi.json, /asyncapi.html.

The AsyncAPI 3.0 document is generated from the event classes (`python -m devstack.asyncapi
write`) and checked in under infra/, where the tests validate it; these routes serve those files
byte for byte, so what a feed builder downloads is what was validated. The page is plain HTML
made with the document: no script, nothing fetched from elsewhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, Response

# The repository's infra/ (the image installs the services in place, infra/ beside them).
DOCUMENTS = Path(__file__).resolve().parents[3] / "infra"
MEDIA_TYPES = {
    "asyncapi.yaml": "application/yaml",
    "asyncapi.json": "application/json",
    "asyncapi.html": "text/html; charset=utf-8",
}
# The page needs only its own inline style sheet.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def add_asyncapi_routes(app: FastAPI, directory: Path = DOCUMENTS) -> None:
    """Serve the three files from `directory`, read once now; a missing file answers 404."""
    for name, media_type in MEDIA_TYPES.items():
        path = directory / name
        content = path.read_bytes() if path.is_file() else None
        app.add_api_route(
            f"/{name}", _serve(name, content, media_type), methods=["GET"], include_in_schema=False
        )


def _serve(name: str, content: bytes | None, media_type: str) -> Callable[[], Awaitable[Response]]:
    async def serve() -> Response:
        if content is None:
            return PlainTextResponse(f"{name} is not installed with this service.", status_code=404)
        headers = {"cache-control": "public, max-age=300"}
        if media_type.startswith("text/html"):
            headers["content-security-policy"] = PAGE_POLICY
        return Response(content, media_type=media_type, headers=headers)

    return serve
