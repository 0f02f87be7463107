"""HTTP calls to subgraphs: pooled keep-alive connections, a timeout each, one retry on a reset."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from prometheus_client import Counter

from gateway.execution.http1 import ConnectFailed, ConnectionReset, Http1Client

log = logging.getLogger("gateway.fetcher")

SUBGRAPH_REQUESTS = Counter(
    "heroes_gateway_subgraph_requests_total", "Requests the gateway sent to subgraphs.", ["subgraph", "outcome"]
)


class SubgraphUnavailable(Exception):
    def __init__(self, subgraph: str, reason: str) -> None:
        super().__init__(f"{subgraph}: {reason}")
        self.subgraph = subgraph
        self.reason = reason


def header_lines(headers: dict[str, str]) -> bytes:
    """Headers as `name: value` lines; a value with a line break (never from a parsed request) is dropped."""
    return b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in headers.items()
                    if "\r" not in value and "\n" not in value)


@dataclass
class SubgraphClient:
    urls: dict[str, str]
    http: Http1Client  # GraphQL requests: the hot path
    control: httpx.AsyncClient  # everything else (readiness probes), where convenience beats speed
    timeout: float
    requests: int = 0  # how many subgraph requests were made (benchmarks, tests)
    _counters: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    @classmethod
    def create(cls, urls: dict[str, str], *, timeout: float, pool_size: int = 64) -> SubgraphClient:
        return cls(urls, Http1Client(pool_size=pool_size), httpx.AsyncClient(timeout=timeout), timeout)

    async def close(self) -> None:
        await self.http.close()
        await self.control.aclose()

    async def fetch(
        self,
        subgraph: str,
        query: str,
        variables: dict[str, Any],
        headers: dict[str, str] | bytes,
        *,
        retry_on_reset: bool,
    ) -> dict[str, Any]:
        """POST one GraphQL request; returns its decoded body or raises SubgraphUnavailable.
        `headers` may be given ready-made (`header_lines`), as the executor does once per request."""
        url = self.urls[subgraph]
        body = orjson.dumps({"query": query, "variables": variables})
        lines = headers if isinstance(headers, bytes) else header_lines(headers)
        attempts = 2 if retry_on_reset else 1
        for attempt in range(1, attempts + 1):
            self.requests += 1
            try:
                answer, _ = await self.http.post(url, body, lines, timeout=self.timeout)
                self._count(subgraph, "answered")
                break
            except ConnectionReset as error:
                self._count(subgraph, "reset")
                if attempt == attempts:
                    raise SubgraphUnavailable(subgraph, "connection reset") from error
                log.info("subgraph.retry_after_reset", extra={"subgraph": subgraph})
            except TimeoutError as error:
                self._count(subgraph, "timeout")
                raise SubgraphUnavailable(subgraph, f"no answer within {self.timeout:g}s") from error
            except ConnectFailed as error:
                self._count(subgraph, "unreachable")
                raise SubgraphUnavailable(subgraph, f"unreachable ({error})") from error
        if answer.status >= 500 or not answer.body:
            raise SubgraphUnavailable(subgraph, f"answered with HTTP {answer.status}")
        try:
            decoded = orjson.loads(answer.body)
        except orjson.JSONDecodeError as error:
            raise SubgraphUnavailable(subgraph, "answered with something that is not JSON") from error
        if not isinstance(decoded, dict) or not ("data" in decoded or "errors" in decoded):
            raise SubgraphUnavailable(subgraph, f"answered with HTTP {answer.status} and no GraphQL result")
        return decoded

    def _count(self, subgraph: str, outcome: str) -> None:
        counter = self._counters.get((subgraph, outcome))
        if counter is None:
            counter = self._counters[(subgraph, outcome)] = SUBGRAPH_REQUESTS.labels(subgraph, outcome)
        counter.inc()
