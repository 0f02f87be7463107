"""One client's huge or pathological queries never hold up another client's requests."""

import asyncio
import itertools
import statistics
import time

import pytest
from servicekit.testing import Tokens

from .conftest import GatewayClient, Served, gateway

PING = "{ __typename }"
# 5,000 fields (about 25 KB): far over the token limit.
HUGE = '{ member(id: "m1") { ' + "name " * 5_000 + "} }"
# Just under the token limit, but validating it would compare 480 fields with each other.
REPETITIVE = '{ member(id: "m1") { ' + "organisation { name } " * 480 + "} }"
SECONDS = 3
ATTACKERS = 4


async def ping_latencies_while(client: GatewayClient, query: str) -> tuple[list[float], list[str]]:
    """Ping once every few milliseconds while ATTACKERS clients send `query` (a new text each
    time, so nothing comes from the cache) back to back; the pings' latencies and the codes the
    attackers got."""
    deadline = time.monotonic() + SECONDS
    latencies: list[float] = []
    codes: list[str] = []
    counter = itertools.count()

    async def ping() -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            assert await client.query(PING) == {"data": {"__typename": "Query"}}
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.005)

    async def attack() -> None:
        while time.monotonic() < deadline:
            body = await client.query(f"{query} # {next(counter)}")
            codes.append(body["errors"][0]["extensions"]["code"])

    await asyncio.gather(ping(), *(attack() for _ in range(ATTACKERS)))
    return latencies, codes


@pytest.mark.parametrize(("query", "code"), [(HUGE, "QUERY_TOO_LARGE"), (REPETITIVE, "QUERY_TOO_COMPLEX")],
                         ids=["5,000 fields", "fields repeated under the token limit"])
async def test_pings_stay_prompt_while_big_queries_are_refused(
    subgraphs: Served, tokens: Tokens, query: str, code: str
) -> None:
    async with gateway(subgraphs, tokens) as client:  # the default limits
        for _ in range(10):  # warm up: connections made, `{ __typename }` prepared
            await client.query(PING)
        latencies, codes = await ping_latencies_while(client, query)

    p99 = statistics.quantiles(latencies, n=100, method="inclusive")[98]
    assert set(codes) == {code}
    assert len(codes) >= 20
    assert len(latencies) >= 50
    assert p99 < 0.1, f"ping p99 {p99 * 1000:.0f} ms over {len(latencies)} pings"
