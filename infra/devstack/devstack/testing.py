"""Servers for a test session: the pytest fixtures `database_server_url` and `kafka_bootstrap`.

Servers come from `HEROES_DATABASE_URL` / `HEROES_KAFKA_BOOTSTRAP_SERVERS` when
set (what `make test` does), else from testcontainers when a Docker engine
answers, else embedded ones started here (PostgreSQL wheel, Maven-resolved Kafka).
They live here, beside the embedded servers, so that servicekit (and its
`servicekit.testing`) never depends on the local runner. Registered as a pytest
plugin by the repository's root conftest.py.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from servicekit.kafka import ensure_topics, load_topics

from devstack.kafka import EmbeddedKafka, free_port, free_ports
from devstack.postgres import EmbeddedPostgres
from devstack.servers import TOPICS_FILE, cache_root
from devstack.services import REPO


def docker_available() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


def _test_root() -> Path:
    default = REPO / ".local" / "pytest" / f"run-{os.getpid()}"
    root = Path(os.environ.get("HEROES_TEST_ROOT", default))
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="session")
def database_server_url() -> Iterator[str]:
    """A PostgreSQL server URL (any database on it) for this test session."""
    if url := os.environ.get("HEROES_DATABASE_URL"):
        yield url
        return
    if docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16", driver=None) as container:
            yield container.get_connection_url()
        return
    server = EmbeddedPostgres(_test_root() / "postgres" / "data", free_port(), durable=False)
    server.start()
    try:
        yield server.url
    finally:
        server.stop(mode="immediate")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A Kafka bootstrap address for this test session, with the network's topics created."""
    if bootstrap := os.environ.get("HEROES_KAFKA_BOOTSTRAP_SERVERS"):
        asyncio.run(ensure_topics(bootstrap, load_topics(TOPICS_FILE)))
        yield bootstrap
        return
    if docker_available():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("confluentinc/cp-kafka:7.6.0").with_kraft() as container:
            bootstrap = container.get_bootstrap_server()
            asyncio.run(ensure_topics(bootstrap, load_topics(TOPICS_FILE)))
            yield bootstrap
        return
    broker = start_embedded_kafka(_test_root() / "kafka")
    try:
        asyncio.run(ensure_topics(broker.bootstrap, load_topics(TOPICS_FILE)))
        yield broker.bootstrap
    finally:
        broker.stop()


def start_embedded_kafka(home: Path) -> EmbeddedKafka:
    """A broker of our own (tests that stop and start it need one no other test uses)."""
    port, controller_port = free_ports(2)
    broker = EmbeddedKafka(home, port, controller_port, cache_root(), heap="512m")
    broker.start()
    return broker
