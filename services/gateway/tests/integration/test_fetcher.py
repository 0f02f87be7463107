"""Subgraph calls: one retry when a pooled connection turns out to be reset, never for mutations."""

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from gateway.execution.fetcher import SubgraphClient, SubgraphUnavailable


class ResettingServer:
    """Answers GraphQL over HTTP/1.1, but drops the first `resets` requests without a reply."""

    def __init__(self, resets: int) -> None:
        self.resets = resets
        self.requests = 0
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        await reader.readexactly(length)
        self.requests += 1
        if self.requests <= self.resets:
            writer.transport.abort()  # the peer resets the connection mid-request
            return
        body = json.dumps({"data": {"ok": True}}).encode()
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body)
        await writer.drain()
        writer.close()


@pytest.fixture
async def server() -> AsyncIterator[ResettingServer]:
    state = ResettingServer(resets=1)
    listening = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listening.sockets[0].getsockname()[1]
    yield state
    listening.close()
    await listening.wait_closed()


class TestResets:
    async def test_a_read_is_retried_once_after_a_reset(self, server: ResettingServer) -> None:
        client = SubgraphClient.create({"s": f"http://127.0.0.1:{server.port}/graphql"}, timeout=2)
        try:
            body = await client.fetch("s", "{ ok }", {}, {}, retry_on_reset=True)
        finally:
            await client.close()

        assert body == {"data": {"ok": True}}
        assert server.requests == 2

    async def test_a_mutation_is_never_sent_twice(self, server: ResettingServer) -> None:
        client = SubgraphClient.create({"s": f"http://127.0.0.1:{server.port}/graphql"}, timeout=2)
        try:
            with pytest.raises(SubgraphUnavailable, match="reset"):
                await client.fetch("s", "mutation { ok }", {}, {}, retry_on_reset=False)
        finally:
            await client.close()

        assert server.requests == 1


class TestHeaders:
    def test_a_value_with_a_line_break_is_never_sent(self) -> None:
        from gateway.execution.fetcher import header_lines

        assert header_lines({"x-request-id": "abc", "x-evil": "a\r\nx-admin: yes"}) == b"x-request-id: abc\r\n"
