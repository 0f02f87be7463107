"""HTTP calls to subgraphs: pooled keep-alive connections, a timeout each, one retry on a reset."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from prometheus_client import Counter

log = logging.getLogger("gateway.fetcher")

SUBGRAPH_REQUESTS = Counter(
    "heroes_gateway_subgraph_requests_total", "Requests the gateway sent to subgraphs.", ["subgraph", "outcome"]
)

# A connection the pool reused may have been closed by the server in between: that is
# safe to retry once for a read. Anything else (refused, timed out) is reported.
_RESET = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


class SubgraphUnavailable(Exception):
    def __init__(self, subgraph: str, reason: str) -> None:
        super().__init__(f"{subgraph}: {reason}")
        self.subgraph = subgraph
        self.reason = reason


@dataclass
class SubgraphClient:
    urls: dict[str, str]
    http: httpx.AsyncClient
    timeout: float
    requests: int = 0  # how many subgraph requests were made (benchmarks, tests)

    @classmethod
    def create(cls, urls: dict[str, str], *, timeout: float, pool_size: int = 64) -> SubgraphClient:
        http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size,
                                keepalive_expiry=30),
        )
        return cls(urls, http, timeout)

    async def close(self) -> None:
        await self.http.aclose()

    async def fetch(
        self,
        subgraph: str,
        query: str,
        variables: dict[str, Any],
        headers: dict[str, str],
        *,
        retry_on_reset: bool,
    ) -> dict[str, Any]:
        """POST one GraphQL request; returns its decoded body or raises SubgraphUnavailable."""
        url = self.urls[subgraph]
        body = json.dumps({"query": query, "variables": variables}, separators=(",", ":"))
        attempts = 2 if retry_on_reset else 1
        for attempt in range(1, attempts + 1):
            self.requests += 1
            try:
                response = await self.http.post(
                    url, content=body, headers={**headers, "content-type": "application/json"}
                )
                SUBGRAPH_REQUESTS.labels(subgraph, "answered").inc()
                break
            except _RESET as error:
                SUBGRAPH_REQUESTS.labels(subgraph, "reset").inc()
                if attempt == attempts:
                    raise SubgraphUnavailable(subgraph, f"connection reset ({type(error).__name__})") from error
                log.info("subgraph.retry_after_reset", extra={"subgraph": subgraph})
            except httpx.TimeoutException as error:
                SUBGRAPH_REQUESTS.labels(subgraph, "timeout").inc()
                raise SubgraphUnavailable(subgraph, f"no answer within {self.timeout:g}s") from error
            except httpx.HTTPError as error:
                SUBGRAPH_REQUESTS.labels(subgraph, "unreachable").inc()
                raise SubgraphUnavailable(subgraph, f"unreachable ({type(error).__name__})") from error
        if response.status_code >= 500 or not response.content:
            raise SubgraphUnavailable(subgraph, f"answered with HTTP {response.status_code}")
        try:
            decoded = response.json()
        except ValueError as error:
            raise SubgraphUnavailable(subgraph, "answered with something that is not JSON") from error
        if not isinstance(decoded, dict) or not ("data" in decoded or "errors" in decoded):
            raise SubgraphUnavailable(subgraph, f"answered with HTTP {response.status_code} and no GraphQL result")
        return decoded
