"""GraphiQL that works on a locked-down network: its scripts and styles are served by the service.

Strawberry's GraphiQL page loads React, GraphiQL and its explorer plugin from a public CDN, so
on a hospital network that blocks CDNs (or offline) it stays blank. `python -m servicekit.graphiql
install` (run by `make` when it prepares the environment) fetches each of those files once from
the npm registry, at exactly the version the page names, checks it against the page's own
integrity hash (sha384), and keeps it in `HEROES_GRAPHIQL_ASSETS_DIR` (default
`.local/cache/graphiql`). The page served in development then points at `/graphiql-assets/...`
on the same service. Nothing is fetched when a page is served.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import re
import sys
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from strawberry.http.ides import get_graphql_ide_html

ROUTE = "/graphiql-assets"
REGISTRY = "https://registry.npmjs.org"
_ASSET = re.compile(r'(?:src|href)="https://unpkg\.com/((?:@[^/"]+/)?[^@/"]+)@([^/"]+)/([^"]+)"\s+'
                    r'integrity="(sha384-[^"]+)"')
_TYPES = {".js": "text/javascript", ".css": "text/css"}


@dataclass(frozen=True)
class Asset:
    package: str  # e.g. "@graphiql/plugin-explorer"
    version: str
    path: str  # inside the package, e.g. "dist/index.umd.js"
    integrity: str  # "sha384-..." as the page states it

    @property
    def cdn_url(self) -> str:
        return f"https://unpkg.com/{self.package}@{self.version}/{self.path}"

    @property
    def local_path(self) -> str:
        return f"{self.package}@{self.version}/{self.path}"

    def matches(self, content: bytes) -> bool:
        return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode() == self.integrity


def assets_dir() -> Path:
    default = Path(__file__).resolve().parents[3] / ".local" / "cache" / "graphiql"
    return Path(os.environ.get("HEROES_GRAPHIQL_ASSETS_DIR", default))


@cache
def assets() -> tuple[Asset, ...]:
    """What Strawberry's page loads, read from the page itself (its pinned versions and hashes)."""
    return tuple(Asset(*found) for found in _ASSET.findall(get_graphql_ide_html(graphql_ide="graphiql")))


@cache
def page(prefix: str = "") -> str:
    """The GraphiQL page with every CDN address replaced by this service's own `ROUTE`."""
    html = get_graphql_ide_html(graphql_ide="graphiql")
    for asset in assets():
        html = html.replace(asset.cdn_url, f"{prefix}{ROUTE}/{asset.local_path}")
    return html


def add_graphiql_assets(app: FastAPI) -> None:
    """Serve the installed assets at `ROUTE`; only the files the page names, nothing else."""
    known = {asset.local_path: asset for asset in assets()}

    @app.get(ROUTE + "/{path:path}", include_in_schema=False)
    async def graphiql_asset(path: str) -> Response:
        asset = known.get(path)
        file = assets_dir() / path if asset is not None else None
        if file is None or not file.is_file():
            return Response("Not here. Install GraphiQL's files with `python -m servicekit.graphiql install`.",
                            status_code=404, media_type="text/plain")
        return Response(file.read_bytes(), media_type=_TYPES.get(file.suffix, "application/octet-stream"),
                        headers={"cache-control": "public, max-age=86400"})


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(page())


def install(target: Path | None = None) -> list[str]:
    """Fetch every asset the page names into `target` (checked against its hash); returns what was
    fetched (files already there and intact are kept)."""
    import httpx

    target = target or assets_dir()
    fetched = []
    for asset in assets():
        destination = target / asset.local_path
        if destination.is_file() and asset.matches(destination.read_bytes()):
            continue
        name = asset.package.rsplit("/", 1)[-1]
        tarball = httpx.get(f"{REGISTRY}/{asset.package}/-/{name}-{asset.version}.tgz", timeout=60,
                            follow_redirects=True)
        tarball.raise_for_status()
        with tarfile.open(fileobj=io.BytesIO(tarball.content), mode="r:gz") as archive:
            member = archive.extractfile(f"package/{asset.path}")
            if member is None:
                raise RuntimeError(f"{asset.package}@{asset.version} has no {asset.path}")
            content = member.read()
        if not asset.matches(content):
            raise RuntimeError(f"{asset.package}@{asset.version}/{asset.path} does not match the page's hash")
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
        fetched.append(asset.local_path)
    return fetched


def main() -> None:
    parser = argparse.ArgumentParser(description="GraphiQL's scripts and styles, served locally.")
    parser.add_argument("command", choices=["install"])
    parser.parse_args()
    fetched = install()
    kept = len(assets()) - len(fetched)
    print(f"GraphiQL: {len(fetched)} file(s) fetched, {kept} already there, in {assets_dir()}",  # noqa: T201 - a CLI
          file=sys.stderr)


if __name__ == "__main__":
    main()
