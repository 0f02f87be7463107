"""HTTP calls to subgraphs: pooled keep-alive connections, a timeout each, one retry on a reset."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from opentelemetry.trace import SpanKind
from prometheus_client import Counter
from servicekit import telemetry
from servicekit.graphql import GATEWAY_SECRET_HEADER

from gateway.execution.http1 import ConnectFailed, ConnectionReset, Http1Client
from gateway.execution.replicas import Replicas, split
from gateway.supergraph.loader import FetchSdl, SdlUnavailable, sdl_from_result

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
    urls: dict[str, str]  # each subgraph's first (or only) address: composition and readiness
    http: Http1Client  # GraphQL requests: the hot path
    control: httpx.AsyncClient  # everything else (readiness probes), where convenience beats speed
    timeout: float
    requests: int = 0  # how many subgraph requests were made (benchmarks, tests)
    replicas: dict[str, Replicas] = field(default_factory=dict)  # subgraphs given several copies
    _counters: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    @classmethod
    def create(cls, urls: dict[str, str], *, timeout: float, pool_size: int = 64) -> SubgraphClient:
        """`urls`: name -> address, or several `|`-separated copies to spread requests over."""
        copies = {name: split(address) for name, address in urls.items()}
        return cls({name: found[0] for name, found in copies.items()}, Http1Client(pool_size=pool_size),
                   httpx.AsyncClient(timeout=timeout), timeout,
                   replicas={name: Replicas(found) for name, found in copies.items() if len(found) > 1})

    async def close(self) -> None:
        await self.http.close()
        await self.control.aclose()

    def sdl_fetcher(self, secret: str) -> FetchSdl:
        """What the supergraph loader is handed: each subgraph's `_service { sdl }`, asked with the
        gateway secret (subgraphs show their SDL only to the gateway)."""
        headers = {GATEWAY_SECRET_HEADER: secret} if secret else {}

        async def fetch_sdl(subgraph: str) -> str:
            try:
                body = await self.fetch(subgraph, "{ _service { sdl } }", {}, headers, retry_on_reset=True)
            except SubgraphUnavailable as error:
                raise SdlUnavailable(subgraph, error.reason) from error
            return sdl_from_result(subgraph, body)

        return fetch_sdl

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
        if telemetry.enabled():
            attributes = {"graphql.subgraph": subgraph}
            with telemetry.span(f"POST {subgraph}", kind=SpanKind.CLIENT, attributes=attributes):
                lines = headers if isinstance(headers, bytes) else header_lines(headers)
                traced = lines + header_lines({"traceparent": telemetry.current_traceparent() or ""})
                return await self._fetch(subgraph, query, variables, traced, retry_on_reset=retry_on_reset)
        return await self._fetch(subgraph, query, variables, headers, retry_on_reset=retry_on_reset)

    async def _fetch(
        self, subgraph: str, query: str, variables: dict[str, Any], headers: dict[str, str] | bytes, *,
        retry_on_reset: bool,
    ) -> dict[str, Any]:
        replicas = self.replicas.get(subgraph)
        url = replicas.pick() if replicas else self.urls[subgraph]
        body = orjson.dumps({"query": query, "variables": variables})
        lines = headers if isinstance(headers, bytes) else header_lines(headers)
        attempts = 2 if retry_on_reset else 1
        refused = 0
        attempt = 0
        while True:
            attempt += 1
            self.requests += 1
            try:
                answer, _ = await self.http.post(url, body, lines, timeout=self.timeout)
                self._count(subgraph, "answered")
                break
            except ConnectionReset as error:
                self._count(subgraph, "reset")
                if replicas:
                    replicas.failed(url)
                if attempt >= attempts:
                    raise SubgraphUnavailable(subgraph, "connection reset") from error
                log.info("subgraph.retry_after_reset", extra={"subgraph": subgraph})
                url = replicas.pick(avoid=url) if replicas else url
            except TimeoutError as error:
                self._count(subgraph, "timeout")
                if replicas:
                    replicas.failed(url)
                raise SubgraphUnavailable(subgraph, f"no answer within {self.timeout:g}s") from error
            except ConnectFailed as error:
                self._count(subgraph, "unreachable")
                # Nothing was sent, so another copy may take the request, mutation or not.
                if replicas is None or refused + 1 >= len(replicas.urls):
                    raise SubgraphUnavailable(subgraph, f"unreachable ({error})") from error
                replicas.failed(url)
                refused += 1
                attempt -= 1
                url = replicas.pick(avoid=url)
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
