"""Several copies of every process, as `HEROES_INSTANCES=2 make run` starts them: the gateway
spreads requests over the API copies and goes on when one is gone; each consumer group has two
members sharing the partitions; each service has a relay on standby."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx
import pytest
from devstack.services import SERVICES

from .conftest import Network

pytestmark = pytest.mark.slow

COPIES = 2
PROJECTS = "{ projects(first: 1) { edges { cursor } } }"


@pytest.fixture(scope="module")
def twice(network_factory: Callable[..., AbstractContextManager[Network]]) -> Iterator[Network]:
    with network_factory("instances", COPIES) as network:
        yield network


def copies_of(network: Network, service: str) -> list[str]:
    """The API copies' base addresses, as the gateway was given them."""
    [entry] = [entry for entry in network.env["GATEWAY_SUBGRAPHS"].split(",") if entry.startswith(f"{service}=")]
    return [url.removesuffix("/graphql") for url in entry.removeprefix(f"{service}=").split("|")]


def graphql_posts(http: httpx.Client, base: str) -> float:
    metrics = http.get(f"{base}/metrics").text
    found = re.findall(r'heroes_http_requests_total\{[^}]*method="POST",path="/graphql"[^}]*\} ([0-9.e+]+)', metrics)
    return sum(float(value) for value in found)


def test_every_process_runs_twice_and_each_relay_has_a_standby(twice: Network) -> None:
    running = {name for name, process in twice.supervisor.processes.items() if process.poll() is None}

    for spec in SERVICES:
        assert {f"{spec.name}-api", f"{spec.name}-api-2", f"{spec.name}-relay", f"{spec.name}-relay-standby"} <= running
        if spec.consumes:
            assert {f"{spec.name}-consumer", f"{spec.name}-consumer-2"} <= running


def test_the_gateway_spreads_requests_over_the_copies_and_survives_losing_one(twice: Network) -> None:
    admin = twice.admin
    first, second = copies_of(twice, "projects")
    before = [graphql_posts(twice.http, first), graphql_posts(twice.http, second)]

    for _ in range(10):
        assert "errors" not in twice.call(PROJECTS, token=admin)
    after = [graphql_posts(twice.http, first), graphql_posts(twice.http, second)]

    assert [a - b for a, b in zip(after, before, strict=True)] == [5.0, 5.0]

    process = twice.supervisor.processes["projects-api-2"]
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    started = time.monotonic()
    answers = [twice.call(PROJECTS, token=admin) for _ in range(6)]

    assert all("errors" not in answer for answer in answers), answers
    assert time.monotonic() - started < 5
