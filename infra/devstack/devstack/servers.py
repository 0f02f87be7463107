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
        if self.kafka is not None:
            with step("Stopping Kafka"):
                self.kafka.stop()
        if self.postgres is not None:
            with step("Stopping PostgreSQL"):
                self.postgres.stop()


def start_servers(
    root: Path, *, pg_port: int, kafka_port: int, controller_port: int, durable: bool
) -> Servers:
    """Use external servers when configured, else start embedded ones with data under `root`."""
    external_db = os.environ.get("HEROES_DATABASE_URL")
    external_kafka = os.environ.get("HEROES_KAFKA_BOOTSTRAP_SERVERS")
    postgres = kafka = None
    if external_db:
        detail("Using the PostgreSQL server in HEROES_DATABASE_URL")
        database_url = external_db
    else:
        postgres = EmbeddedPostgres(root / "postgres" / "data", pg_port, durable=durable)
        with step(f"Starting PostgreSQL on 127.0.0.1:{pg_port} (data in {postgres.data_dir})"):
            postgres.start()
        database_url = postgres.url
    if external_kafka:
        detail("Using the Kafka brokers in HEROES_KAFKA_BOOTSTRAP_SERVERS")
        bootstrap = external_kafka
    else:
        kafka = EmbeddedKafka(root / "kafka", kafka_port, controller_port, cache_root())
        try:
            with step(f"Starting Apache Kafka (KRaft) on 127.0.0.1:{kafka_port} (data in {kafka.home})"):
                kafka.start()
        except BaseException:
            if postgres is not None:
                postgres.stop()
            raise
        bootstrap = kafka.bootstrap
    return Servers(database_url, bootstrap, postgres, kafka)


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
