"""A lean pooled HTTP/1.1 client for the gateway's POSTs to subgraphs.

Why not httpx: profiled under load, httpx and httpcore took most of the gateway's CPU per request
(connection-pool bookkeeping, expiry checks, a failing `import sniffio` on every request). The
gateway needs one thing: POST a small JSON body to a few known origins over kept-alive
connections, with a timeout. This does that on asyncio's transports, with httptools (the parser
uvicorn uses, a well-kept binding of llhttp) reading the responses, chunked ones included.

Errors: `ConnectionReset` when a connection that carried a request closes before its answer
(the caller may retry a read once), `ConnectFailed` when no connection can be made, and
`TimeoutError` when the answer does not come in time.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

import httptools

# Close a connection idle this long: shorter than uvicorn's default keep-alive (5 s), so the client
# is the one that closes, never racing a server that is closing the same connection.
IDLE_SECONDS = 4.0


class ConnectionReset(Exception):
    """The connection closed before the whole answer came."""


class ConnectFailed(Exception):
    """No connection could be made (refused, unreachable, TLS failure)."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str
    port: int
    path: bytes
    head: bytes  # the request line and the fixed headers, up to the variable part

    @classmethod
    def of(cls, url: str) -> Origin:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        head = (f"POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n"
                "accept: application/json\r\n").encode("latin-1")
        return cls(parts.scheme, parts.hostname, port, path.encode(), head)


class _Connection(asyncio.Protocol):
    """One kept-alive connection; one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.used_at = time.monotonic()
        self._chunks: list[bytes] = []
        self._answer: asyncio.Future[Answer] | None = None
        self._keep_alive = True
        self._headers_done = False
        self._length_known = False  # content-length or chunked: the answer ends by itself

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(ConnectionReset(f"unreadable answer ({error})"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if exc is None and self._headers_done and not self._length_known and self._answer is not None:
            self._keep_alive = False
            self.on_message_complete()  # an answer without a length ends when the connection does
        self._fail(ConnectionReset("the connection closed before the answer"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self._length_known = True

    def on_headers_complete(self) -> None:
        self._headers_done = True

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)

    def on_message_complete(self) -> None:
        self._keep_alive = self.parser.should_keep_alive()
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_result(Answer(self.parser.get_status_code(), b"".join(self._chunks)))
        self._chunks = []
        self._headers_done = self._length_known = False
        self._length_known = False  # content-length or chunked: the answer ends by itself

    # use
    def send(self, request: bytes) -> asyncio.Future[Answer]:
        assert self.transport is not None
        assert self._answer is None
        self._answer = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self._answer

    @property
    def reusable(self) -> bool:
        return not self.closed and self._keep_alive and self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, error: Exception) -> None:
        answer, self._answer = self._answer, None
        if answer is not None and not answer.done():
            answer.set_exception(error)


class _Pool:
    """Kept-alive connections to one origin, at most `size` at a time."""

    def __init__(self, origin: Origin, size: int, tls: ssl.SSLContext | None) -> None:
        self.origin = origin
        self.size = size
        self.tls = tls
        self.idle: deque[_Connection] = deque()
        self.open = 0
        self.waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> tuple[_Connection, bool]:
        """A connection, and whether it was reused (a reused one may turn out to be reset)."""
        while True:
            now = time.monotonic()
            while self.idle:
                connection = self.idle.pop()  # the most recently used: the least likely to be closed
                if connection.reusable and now - connection.used_at < IDLE_SECONDS:
                    return connection, True
                self._discard(connection)
            if self.open < self.size:
                self.open += 1
                try:
                    return await self._connect(), False
                except BaseException:
                    self.open -= 1
                    self._wake()
                    raise
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter in self.waiters:
                    self.waiters.remove(waiter)
                raise

    def release(self, connection: _Connection) -> None:
        if connection.reusable:
            connection.used_at = time.monotonic()
            self.idle.append(connection)
        else:
            self._discard(connection)
        self._wake()

    def discard(self, connection: _Connection) -> None:
        self._discard(connection)
        self._wake()

    def close(self) -> None:
        while self.idle:
            self._discard(self.idle.pop())

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(
                _Connection, self.origin.host, self.origin.port, ssl=self.tls,
                server_hostname=self.origin.host if self.tls else None)
        except (OSError, ssl.SSLError) as error:
            raise ConnectFailed(f"{type(error).__name__}: {error}") from error
        return connection

    def _discard(self, connection: _Connection) -> None:
        connection.close()
        self.open -= 1

    def _wake(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


class Http1Client:
    """POSTs JSON bodies to known URLs over pooled, kept-alive HTTP/1.1 connections."""

    def __init__(self, *, pool_size: int = 64) -> None:
        self.pool_size = pool_size
        self._origins: dict[str, Origin] = {}
        self._pools: dict[tuple[str, str, int], _Pool] = {}
        self._tls: ssl.SSLContext | None = None

    async def post(self, url: str, body: bytes, headers: bytes, *, timeout: float) -> tuple[Answer, bool]:
        """POST `body` (JSON) with extra `headers` (ready-made `name: value\\r\\n` lines); returns
        the answer and whether it came over a reused connection. Raises ConnectionReset (with
        `reused` as its second argument), ConnectFailed or TimeoutError."""
        origin = self._origins.get(url) or self._origin(url)
        pool = self._pool(origin)
        request = b"".join((origin.head, headers, b"content-length: ", str(len(body)).encode(), b"\r\n\r\n", body))
        async with asyncio.timeout(timeout):
            connection, reused = await pool.acquire()
            try:
                answer = await connection.send(request)
            except ConnectionReset as reset:
                pool.discard(connection)
                raise ConnectionReset(str(reset), reused) from None
            except BaseException:
                pool.discard(connection)  # a cancelled or timed-out request leaves the connection unusable
                raise
        pool.release(connection)
        return answer, reused

    async def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

    def _origin(self, url: str) -> Origin:
        origin = Origin.of(url)
        self._origins[url] = origin
        return origin

    def _pool(self, origin: Origin) -> _Pool:
        key = (origin.scheme, origin.host, origin.port)
        pool = self._pools.get(key)
        if pool is None:
            if origin.scheme == "https" and self._tls is None:
                self._tls = ssl.create_default_context()
            pool = self._pools[key] = _Pool(origin, self.pool_size, self._tls if origin.scheme == "https" else None)
        return pool
