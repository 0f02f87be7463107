"""Test support shared by every service: fresh databases, polling, Kafka reading, fault
injection, tokens and GraphQL calls.

The servers themselves (the `database_server_url` and `kafka_bootstrap` fixtures) come from
`devstack.testing`, which knows the embedded ones: servicekit never depends on the local runner.
Registered as a pytest plugin by the repository's root conftest.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiokafka import ConsumerRecord, TopicPartition

from servicekit.kafka import new_consumer, topic_partitions
from servicekit.migrations import drop_database, ensure_database, upgrade
from servicekit.settings import database_url_for

T = TypeVar("T")


# --- polling ---------------------------------------------------------------------------------


async def eventually(
    check: Callable[[], Awaitable[T]], *, timeout: float = 10.0, interval: float = 0.05
) -> T:
    """Call `check` until it returns a truthy value without raising AssertionError; return it.

    The last AssertionError (or a timeout message) is raised at the deadline.
    """
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while True:
        try:
            result = await check()
            if result:
                return result
            last = AssertionError(f"still falsy: {result!r}")
        except AssertionError as error:
            last = error
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout}s: {last}") from last
        await asyncio.sleep(interval)


# --- databases -------------------------------------------------------------------------------


def fresh_database_url(server_url: str, prefix: str) -> str:
    """A database name of our own on the test server, created empty."""
    url = database_url_for(server_url, f"test_{prefix}_{secrets.token_hex(4)}")
    asyncio.run(ensure_database(url))
    return url


@contextlib.contextmanager
def migrated_database(server_url: str, service_dir: Path, prefix: str) -> Iterator[str]:
    """A fresh database migrated with the service's Alembic migrations; dropped afterwards."""
    url = fresh_database_url(server_url, prefix)
    upgrade(service_dir, url)
    try:
        yield url
    finally:
        asyncio.run(drop_database(url))


# --- Kafka reading ---------------------------------------------------------------------------


async def read_topic(
    bootstrap: str,
    topic: str,
    *,
    until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool],
    timeout: float = 20.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of `topic` from the beginning, read until `until(records)` holds."""
    reader = new_consumer(bootstrap, group_id=None)
    await reader.start()
    try:
        partitions = await _partitions(reader, topic, timeout)
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + timeout
        while not until(records):
            if time.monotonic() > deadline:
                raise AssertionError(f"{topic}: condition not met within {timeout}s ({len(records)} records)")
            batch = await reader.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
        return records
    finally:
        await reader.stop()


async def _partitions(reader: Any, topic: str, timeout: float) -> list[TopicPartition]:
    deadline = time.monotonic() + timeout
    while True:
        found = (await topic_partitions(reader, [topic]))[topic]
        if found:
            return [TopicPartition(topic, p) for p in sorted(found)]
        if time.monotonic() > deadline:
            raise AssertionError(f"topic {topic} not found")
        await asyncio.sleep(0.2)


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            text: str = value.decode()
            return text
    return None


# --- fault injection -------------------------------------------------------------------------


@dataclass
class TcpProxy:
    """A TCP proxy we can cut, to take a server "down" for one client without stopping it.

    `cut()` closes every open connection and refuses new ones, as an outage
    would; `restore()` lets connections through again.
    """

    target_host: str
    target_port: int
    port: int = 0
    _server: asyncio.Server | None = None
    _open: bool = True
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        self._open = False
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def restore(self) -> None:
        self._open = True

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self._open:
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update({writer, upstream_writer})

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()
                self._writers.discard(sink)

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


@contextlib.asynccontextmanager
async def proxied(url: str) -> AsyncIterator[tuple[TcpProxy, str]]:
    """A proxy in front of the server of a database URL, and the URL that goes through it."""
    from sqlalchemy.engine import make_url

    from servicekit.settings import to_sqlalchemy_url

    parsed = make_url(to_sqlalchemy_url(url))
    proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    await proxy.start()
    try:
        yield proxy, parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    finally:
        await proxy.stop()


@contextlib.asynccontextmanager
async def serve_app(app: Any, port: int = 0) -> AsyncIterator[str]:
    """Serve an ASGI app on loopback in this event loop (on `port`, else a free one); yields its
    base URL."""
    import socket

    import uvicorn

    if not port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: _started(server), timeout=20)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


async def _started(server: Any) -> bool:
    return bool(server.started)


# --- identities and GraphQL calls -------------------------------------------------------------


@dataclass
class Tokens:
    """Mints real RS256 tokens with a key pair made for the test session."""

    keys: Path
    issuer: str = "https://heroes.test/issuer"
    audience: str = "heroes-network"

    @property
    def jwks_file(self) -> str:
        return str(self.keys / "jwks.json")

    def mint(self, member_id: Any, organisation_id: Any = None, roles: tuple[str, ...] = ("hero",),
             ttl_seconds: int = 3600) -> str:
        from servicekit.tokens import mint

        return mint(self.keys, member_id=member_id, organisation_id=organisation_id, roles=list(roles),
                    issuer=self.issuer, audience=self.audience, ttl_seconds=ttl_seconds)


@pytest.fixture(scope="session")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Tokens:
    from servicekit.tokens import init_keys

    keys = tmp_path_factory.mktemp("keys")
    init_keys(keys)
    return Tokens(keys)


GATEWAY_TEST_SECRET = "test-gateway-secret"  # noqa: S105 - made up, for tests only


@dataclass
class GraphQLClient:
    """Posts GraphQL operations to one endpoint and returns the decoded response body."""

    url: str
    http: Any
    gateway_secret: str | None = None

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        as_gateway: bool = False,
    ) -> dict[str, Any]:
        from servicekit.graphql import GATEWAY_SECRET_HEADER

        headers = {}
        if token:
            headers["authorization"] = f"Bearer {token}"
        if as_gateway and self.gateway_secret:
            headers[GATEWAY_SECRET_HEADER] = self.gateway_secret
        response = await self.http.post(self.url, json={"query": query, "variables": variables or {}},
                                        headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """The `data` of a call that must succeed without errors."""
        body = await self(query, variables, **kwargs)
        assert "errors" not in body, body.get("errors")
        data: dict[str, Any] = body["data"]
        return data

    async def error_code(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> str:
        """The `extensions.code` of the first error of a call that must fail."""
        body = await self(query, variables, **kwargs)
        assert body.get("errors"), body
        code: str = body["errors"][0]["extensions"]["code"]
        return code


async def check_graphiql(client: Any, base: str, page_path: str) -> None:
    """A GraphiQL page names no outside address, and each file it loads is served by `base`
    exactly as pinned (the page's own sha384 integrity)."""
    import re

    from servicekit.graphiql import assets

    page = await client.get(f"{base}{page_path}", headers={"accept": "text/html"})
    assert page.status_code == 200, page.text[:200]
    assert "graphiql" in page.text.lower(), page.text[:200]
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', page.text) == []
    loaded = re.findall(r'(?:src|href)="(/graphiql-assets/[^"]+)"\s+integrity="([^"]+)"', page.text)
    assert len(loaded) == len(assets()) >= 5
    for path, integrity in loaded:
        served = await client.get(f"{base}{path}")
        asset = next(a for a in assets() if path.endswith(a.local_path))
        assert served.status_code == 200, path
        assert asset.integrity == integrity, path
        assert asset.matches(served.content), path
