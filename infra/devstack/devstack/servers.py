"""PostgreSQL and Kafka for a run: external ones named by `HEROES_*` variables, else embedded ones."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from servicekit.kafka import count_brokers, ensure_topics, load_topics
from servicekit.migrations import ensure_database, upgrade
from servicekit.settings import database_url_for

from devstack.console import detail, step
from devstack.kafka import EmbeddedKafka, cluster, free_ports
from devstack.postgres import EmbeddedPostgres
from devstack.processes import Supervisor
from devstack.services import REPO, SERVICES

TOPICS_FILE = REPO / "infra" / "topics.toml"


def cache_root() -> Path:
    """Where the Kafka jars are kept; shared by every run and test of this checkout."""
    return Path(os.environ.get("HEROES_CACHE_DIR", REPO / ".local" / "cache"))


def broker_count() -> int:
    """`HEROES_KAFKA_BROKERS`: 1 (default) runs one embedded broker, 3 a three-node cluster."""
    count = int(os.environ.get("HEROES_KAFKA_BROKERS", "1"))
    if count < 1:
        raise SystemExit("HEROES_KAFKA_BROKERS must be 1 or more")
    return count


@dataclass
class Servers:
    database_url: str
    bootstrap: str
    postgres: EmbeddedPostgres | None = None
    kafka: EmbeddedKafka | None = None
    kafka_nodes: tuple[EmbeddedKafka, ...] = ()  # every embedded broker (`kafka` is the first)

    def stop(self) -> None:
        """Stop embedded servers found through their own pid files (`make stop` without a
        running `make run`); servers that a supervisor runs are stopped by `stop_all()`."""
        for node in self.kafka_nodes or ((self.kafka,) if self.kafka else ()):
            with step(f"Stopping Kafka ({node.name})"):
                node.stop()
        if self.postgres is not None:
            with step("Stopping PostgreSQL"):
                self.postgres.stop()


def start_servers(
    root: Path, *, pg_port: int, kafka_port: int, controller_port: int, durable: bool,
    supervisor: Supervisor,
) -> Servers:
    """Use external servers when configured, else start embedded ones with data under `root`,
    supervised by `supervisor` (which restarts them once its `watch()` has begun)."""
    external_db = os.environ.get("HEROES_DATABASE_URL")
    external_kafka = os.environ.get("HEROES_KAFKA_BOOTSTRAP_SERVERS")
    postgres = None
    nodes: list[EmbeddedKafka] = []
    try:
        if external_db:
            detail("Using the PostgreSQL server in HEROES_DATABASE_URL")
            database_url = external_db
        else:
            postgres = start_postgres(root, pg_port, durable, supervisor)
            database_url = postgres.url
        if external_kafka:
            detail("Using the Kafka brokers in HEROES_KAFKA_BOOTSTRAP_SERVERS")
            bootstrap = external_kafka
        elif broker_count() == 1:
            nodes = [start_kafka(root, kafka_port, controller_port, supervisor)]
            bootstrap = nodes[0].bootstrap
        else:
            nodes = start_kafka_cluster(root, broker_count(), supervisor, kafka_port=kafka_port,
                                        controller_port=controller_port)
            bootstrap = ",".join(node.bootstrap for node in nodes)
    except BaseException:
        supervisor.stop_all()
        raise
    return Servers(database_url, bootstrap, postgres, nodes[0] if nodes else None, tuple(nodes))


def start_postgres(
    root: Path, port: int, durable: bool, supervisor: Supervisor
) -> EmbeddedPostgres:
    postgres = EmbeddedPostgres(root / "postgres" / "data", port, durable=durable)
    with step(f"Starting PostgreSQL on 127.0.0.1:{port} (data in {postgres.data_dir})"):
        if postgres.is_running():
            detail("stopping a PostgreSQL server left from an earlier run")
            postgres.stop()
        supervisor.start_program(postgres.program())
        supervisor.wait_until("postgres", postgres.ready, timeout=90)
    return postgres


def start_kafka(root: Path, port: int, controller_port: int, supervisor: Supervisor,
                heap: str = "768m") -> EmbeddedKafka:
    kafka = EmbeddedKafka(root / "kafka", port, controller_port, cache_root(), heap=heap)
    with step(f"Starting Apache Kafka (KRaft) on 127.0.0.1:{port} (data in {kafka.home})"):
        if kafka.is_running():
            detail("stopping a Kafka broker left from an earlier run")
            kafka.stop()
        supervisor.start_program(kafka.program())
        supervisor.wait_until("kafka", kafka.ready, timeout=90)
    return kafka


def cluster_ports(count: int, kafka_port: int | None, controller_port: int | None) -> tuple[list[int], list[int]]:
    """Node n's ports: the given ones plus 10 x n (59092, 59102, 59112 ...), or free ones."""
    if kafka_port is None or controller_port is None:
        free = free_ports(2 * count)
        return free[:count], free[count:]
    return ([kafka_port + 10 * n for n in range(count)], [controller_port + 10 * n for n in range(count)])


def start_kafka_cluster(root: Path, count: int, supervisor: Supervisor, *, kafka_port: int | None = None,
                        controller_port: int | None = None, heap: str = "512m") -> list[EmbeddedKafka]:
    """A KRaft cluster of `count` combined broker-controller nodes, each supervised; returns
    when every node accepts connections."""
    ports, controller_ports = cluster_ports(count, kafka_port, controller_port)
    nodes = cluster(root / "kafka-cluster", ports, controller_ports, cache_root(), heap=heap)
    with step(f"Starting an Apache Kafka cluster of {count} (KRaft) on 127.0.0.1:{','.join(map(str, ports))}"):
        for node in nodes:
            if node.is_running():
                detail(f"stopping {node.name} left from an earlier run")
                node.stop()
        for node in nodes:
            supervisor.start_program(node.program())
        for node in nodes:
            supervisor.wait_until(node.name, node.ready, timeout=120)
    return nodes


def prepare_databases(database_url: str, names: dict[str, str] | None = None) -> dict[str, str]:
    """Create each service's database if missing and migrate it; returns service -> URL."""
    urls: dict[str, str] = {}
    for spec in SERVICES:
        database = (names or {}).get(spec.name, spec.name)
        url = database_url_for(database_url, database)
        with step(f"Migrating the {spec.name} database ({database})"):
            asyncio.run(ensure_database(url))
            upgrade(spec.directory, url)
        urls[spec.name] = url
    return urls


def prepare_topics(bootstrap: str) -> None:
    with step("Creating Kafka topics declared in infra/topics.toml"):
        brokers = asyncio.run(count_brokers(bootstrap))
        created = asyncio.run(ensure_topics(bootstrap, load_topics(TOPICS_FILE, brokers=brokers)))
        detail(f"created: {', '.join(created)}" if created else "all topics already exist")


def prepare(*, keys: str | None = None) -> int:
    """One-shot setup against external servers (the compose init job)."""
    database_url = os.environ.get("HEROES_DATABASE_URL")
    bootstrap = os.environ.get("HEROES_KAFKA_BOOTSTRAP_SERVERS")
    if not database_url or not bootstrap:
        raise SystemExit("prepare needs HEROES_DATABASE_URL and HEROES_KAFKA_BOOTSTRAP_SERVERS")
    prepare_databases(database_url)
    prepare_topics(bootstrap)
    if keys:
        from servicekit.tokens import init_keys

        init_keys(Path(keys))
        init_keys(Path(keys) / "badges")  # a separate key signs Open Badges credentials
        for folder in (Path(keys), Path(keys) / "badges"):
            folder.chmod(0o755)
            for file in folder.iterdir():
                file.chmod(0o644)
    return 0
