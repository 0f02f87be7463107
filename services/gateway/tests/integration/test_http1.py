"""The gateway's HTTP/1.1 client against a real socket server: reuse, framing, limits, failures."""

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from gateway.execution import http1
from gateway.execution.http1 import ConnectFailed, ConnectionReset, Http1Client


class Server:
    """Answers each POST with its body echoed back as JSON, framed as `framing` says."""

    def __init__(self, framing: str = "length", delay: float = 0.0) -> None:
        self.framing = framing
        self.delay = delay
        self.connections = 0
        self.open_now = 0
        self.most_open = 0
        self.requests: list[bytes] = []
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                body = await reader.readexactly(length)
                self.requests.append(head + body)
                await asyncio.sleep(self.delay)
                answer = json.dumps({"data": {"echo": body.decode()}}).encode()
                if self.framing == "length":
                    writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(answer), answer))
                elif self.framing == "chunked":
                    half = len(answer) // 2
                    writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                                 + b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (half, answer[:half], len(answer) - half,
                                                                          answer[half:]))
                else:  # "close": no length, the answer ends with the connection
                    writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n" + answer)
                    await writer.drain()
                    writer.close()
                    return
                await writer.drain()
        finally:
            self.open_now -= 1


async def serve(state: Server) -> AsyncIterator[Server]:
    listening = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listening.sockets[0].getsockname()[1]
    yield state
    listening.close()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    async for state in serve(Server()):
        yield state


def url(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}/graphql"


class TestAnswers:
    @pytest.mark.parametrize("framing", ["length", "chunked", "close"])
    async def test_each_framing_gives_the_whole_body(self, framing: str) -> None:
        async for state in serve(Server(framing)):
            client = Http1Client()
            try:
                answer, reused = await client.post(url(state), b'{"q":1}', b"x-test: yes\r\n", timeout=2)
            finally:
                await client.close()
            assert (answer.status, json.loads(answer.body), reused) == (200, {"data": {"echo": '{"q":1}'}}, False)
            head = state.requests[0].split(b"\r\n\r\n")[0].lower()
            assert head.startswith(b"post /graphql http/1.1")
            assert b"x-test: yes" in head
            assert b"content-type: application/json" in head
            assert b"content-length: 7" in head

    async def test_a_kept_alive_connection_is_reused(self, server: Server) -> None:
        client = Http1Client()
        try:
            first = await client.post(url(server), b"1", b"", timeout=2)
            second = await client.post(url(server), b"2", b"", timeout=2)
        finally:
            await client.close()
        assert (first[1], second[1]) == (False, True)
        assert server.connections == 1
        assert json.loads(second[0].body) == {"data": {"echo": "2"}}

    async def test_an_idle_connection_is_not_reused_after_the_idle_time(self, server: Server,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(http1, "IDLE_SECONDS", 0.0)  # every kept connection is already too old
        client = Http1Client()
        try:
            await client.post(url(server), b"1", b"", timeout=2)
            _, reused = await client.post(url(server), b"2", b"", timeout=2)
        finally:
            await client.close()
        assert not reused
        assert server.connections == 2


class TestLimits:
    async def test_never_more_connections_than_the_pool_allows(self) -> None:
        async for state in serve(Server(delay=0.02)):
            client = Http1Client(pool_size=2)
            try:
                answers = await asyncio.gather(*(client.post(url(state), str(n).encode(), b"", timeout=5)
                                                 for n in range(10)))
            finally:
                await client.close()
            assert sorted(json.loads(a.body)["data"]["echo"] for a, _ in answers) == sorted(str(n) for n in range(10))
            assert state.most_open == 2

    async def test_no_answer_in_time_is_a_timeout_and_the_connection_is_dropped(self) -> None:
        async for state in serve(Server(delay=1.0)):
            client = Http1Client(pool_size=1)
            try:
                with pytest.raises(TimeoutError):
                    await client.post(url(state), b"slow", b"", timeout=0.1)
                state.delay = 0
                answer, reused = await client.post(url(state), b"next", b"", timeout=2)
            finally:
                await client.close()
            assert not reused
            assert json.loads(answer.body) == {"data": {"echo": "next"}}


class TestFailures:
    async def test_nobody_listening_is_a_connect_failure(self) -> None:
        listening = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = listening.sockets[0].getsockname()[1]
        listening.close()
        await listening.wait_closed()
        client = Http1Client()
        try:
            with pytest.raises(ConnectFailed):
                await client.post(f"http://127.0.0.1:{port}/graphql", b"1", b"", timeout=2)
        finally:
            await client.close()

    async def test_a_connection_closed_before_the_answer_is_a_reset(self) -> None:
        async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.transport.abort()

        listening = await asyncio.start_server(hang_up, "127.0.0.1", 0)
        port = listening.sockets[0].getsockname()[1]
        client = Http1Client()
        try:
            with pytest.raises(ConnectionReset):
                await client.post(f"http://127.0.0.1:{port}/graphql", b"1", b"", timeout=2)
        finally:
            await client.close()
            listening.close()

    def test_only_http_urls_are_accepted(self) -> None:
        with pytest.raises(ValueError, match="not an http"):
            http1.Origin.of("ftp://example.org/graphql")
