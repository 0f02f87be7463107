"""PostgreSQL and Kafka for a run: external ones named by `HEROES_*` variables, else embedded ones."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from servicekit.kafka import ensure_topics, load_topics
from servicekit.migrations import ensure_database, upgrade
from servicekit.settings import database_url_for

from devstack.console import detail, step
from devstack.kafka import EmbeddedKafka
from devstack.postgres import EmbeddedPostgres
from devstack.processes import Supervisor
from devstack.services import REPO, SERVICES

TOPICS_FILE = REPO / "infra" / "topics.toml"


def cache_root() -> Path:
    """Where the Kafka jars are kept; shared by every run and test of this checkout."""
    return Path(os.environ.get("HEROES_CACHE_DIR", REPO / ".local" / "cache"))


@dataclass
class Servers:
    database_url: str
    bootstrap: str
    postgres: EmbeddedPostgres | None = None
    kafka: EmbeddedKafka | None = None

    def stop(self) -> None:
        """Stop embedded servers found through their own pid files (`make stop` without a
        running `make run`); servers that a supervisor runs are stopped by `stop_all()`."""
        if self.kafka is not None:
            with step("Stopping Kafka"):
                self.kafka.stop()
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
    postgres = kafka = None
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
        else:
            kafka = start_kafka(root, kafka_port, controller_port, supervisor)
            bootstrap = kafka.bootstrap
    except BaseException:
        supervisor.stop_all()
        raise
    return Servers(database_url, bootstrap, postgres, kafka)


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
        created = asyncio.run(ensure_topics(bootstrap, load_topics(TOPICS_FILE)))
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
