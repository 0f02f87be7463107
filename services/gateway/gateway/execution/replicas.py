"""Several copies of one subgraph: the gateway spreads requests over them in turn, and passes
over a copy that just failed to connect, answer or stay connected, for a short while.

A subgraph's address may list its copies separated by `|`
(`projects=http://10.0.0.5:8002/graphql|http://10.0.0.6:8002/graphql`); the first is the one
composition and readiness use. Behind a load balancer (a Kubernetes Service), give one address.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

SEPARATOR = "|"
RESTING_SECONDS = 2.0  # a copy that failed is passed over this long, unless every copy failed


def split(address: str) -> list[str]:
    return [part.strip() for part in address.split(SEPARATOR) if part.strip()]


@dataclass
class Replicas:
    urls: list[str]
    _next: int = 0
    _resting_until: dict[str, float] = field(default_factory=dict)

    @property
    def primary(self) -> str:
        return self.urls[0]

    def pick(self, avoid: str | None = None) -> str:
        """The next copy in turn that is not resting (nor `avoid`); any copy if all are resting."""
        now = time.monotonic()
        count = len(self.urls)
        for step in range(count):
            url = self.urls[(self._next + step) % count]
            if url != avoid and self._resting_until.get(url, 0.0) <= now:
                self._next = (self._next + step + 1) % count
                return url
        url = self.urls[self._next % count]
        self._next = (self._next + 1) % count
        return url

    def failed(self, url: str) -> None:
        self._resting_until[url] = time.monotonic() + RESTING_SECONDS

    def has_another(self, url: str) -> bool:
        return any(other != url for other in self.urls)
