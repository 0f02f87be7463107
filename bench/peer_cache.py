"""A memoising HTTP proxy in front of one subgraph, for bench/gateway_peers.py's gateway-bound phase.

`python bench/peer_cache.py <upstream graphql url> <port>` listens on 127.0.0.1:<port>. The first
time it sees a request body it forwards it to the upstream subgraph and keeps the answer; after
that it answers the same body from memory at once. With the subgraphs answered from memory, a
gateway in front of them, not the subgraphs, limits how many requests per second get through.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httptools

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services" / "gateway"))

from gateway.execution.http1 import Http1Client


class _Request(asyncio.Protocol):
    def __init__(self, proxy: Proxy) -> None:
        self.proxy = proxy
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.chunks: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.close()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        body, self.chunks = b"".join(self.chunks), []
        cached = self.proxy.answers.get(body)
        if cached is not None:
            self._send(cached)
        else:
            asyncio.get_running_loop().create_task(self._forward(body))

    async def _forward(self, body: bytes) -> None:
        answer, _ = await self.proxy.upstream.post(self.proxy.url, body, b"", timeout=30)
        response = b"HTTP/1.1 %d OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
            answer.status, len(answer.body), answer.body)
        if answer.status == 200:
            self.proxy.answers[body] = response
        self._send(response)

    def _send(self, response: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(response)


class Proxy:
    def __init__(self, url: str) -> None:
        self.url = url
        self.upstream = Http1Client()
        self.answers: dict[bytes, bytes] = {}


async def main(url: str, port: int) -> None:
    proxy = Proxy(url)
    server = await asyncio.get_running_loop().create_server(lambda: _Request(proxy), "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    import uvloop

    uvloop.run(main(sys.argv[1], int(sys.argv[2])))
