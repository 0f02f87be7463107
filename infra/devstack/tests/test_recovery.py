"""The network comes back by itself: the broker, a relay and the database, each killed with
SIGKILL again and again, are restarted by devstack's supervisor and events flow again.

Kafka and PostgreSQL here are our own (not the suite's), started by the same functions as
`make run`, on free ports, with short restart delays so that ten kills fit in a few minutes.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import psutil
import pytest
from aiokafka.errors import KafkaError
from devstack.kafka import free_port, free_ports
from devstack.processes import RestartPolicy, Supervisor, read_metrics
from devstack.servers import TOPICS_FILE, start_kafka, start_postgres
from devstack.services import REPO, SERVICES
from membership.events import OrganisationRegistered
from servicekit import outbox
from servicekit.db import create_engine, session_factory, transaction
from servicekit.kafka import broker_reachable, ensure_topics, load_topics
from servicekit.testing import eventually, header, migrated_database, read_topic
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]

KILLS = 10
RELAY = "membership-relay"
TOPIC = OrganisationRegistered.topic
# Quick restarts, so that ten kills of each fit in a few minutes.
QUICK = RestartPolicy(first_delay=0.2, max_delay=1.0, stable_after=5, check_every=0.2)


@dataclass
class Network:
    supervisor: Supervisor
    bootstrap: str
    sessions: async_sessionmaker[AsyncSession]

    async def record_organisation(self) -> UUID:
        """A committed write with its event in the outbox, as membership's API makes one."""
        organisation_id = uuid4()
        event = OrganisationRegistered(
            organisation_id=organisation_id, kind="trust", joined_network_at=datetime.now(UTC)
        )
        async with transaction(self.sessions) as session:
            message_id: UUID = await outbox.add(session, event, key=organisation_id)
        return message_id

    async def delivered(self, message_id: UUID) -> bool:
        """The event is on the topic and nothing waits in the outbox."""
        wanted = str(message_id)
        try:
            records = await asyncio.wait_for(
                read_topic(self.bootstrap, TOPIC, timeout=5,
                           until=lambda rs: wanted in {header(r, "ce_id") for r in rs}),
                timeout=15,
            )
        except (KafkaError, OSError, TimeoutError) as error:
            raise AssertionError(f"the broker does not answer yet: {error!r}") from error
        async with self.sessions() as session:
            backlog = await outbox.backlog(session)
        assert backlog == 0, f"{backlog} messages still wait in the outbox"
        return wanted in {header(r, "ce_id") for r in records}

    def supervision(self, name: str) -> tuple[float, float]:
        """(restarts, up) for `name`, as the supervisor's metrics file has them."""
        metrics = read_metrics(self.supervisor.metrics_file)
        label = f'{{process="{name}"}}'
        return (metrics[f"heroes_devstack_restarts_total{label}"],
                metrics[f"heroes_devstack_process_up{label}"])


def kill(pid: int | None) -> int:
    assert pid is not None, "the process is not running"
    os.kill(pid, signal.SIGKILL)
    return pid


async def gone(pid: int) -> bool:
    """The process has ended (an unreaped zombie counts: it can do nothing any more)."""
    try:
        status: str = psutil.Process(pid).status()
    except psutil.NoSuchProcess:
        return True
    return bool(status == psutil.STATUS_ZOMBIE)


@pytest.fixture(scope="module")
def root() -> Iterator[Path]:
    base = Path(os.environ.get("HEROES_TEST_ROOT", REPO / ".local" / "pytest"))
    folder = base / f"recovery-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def supervised(root: Path, database_server_url: str) -> Iterator[tuple[Supervisor, str, str]]:
    """Our own supervised Kafka broker plus membership's relay, as `make run` starts them;
    yields the supervisor, the broker's address and membership's database URL."""
    membership = next(spec for spec in SERVICES if spec.name == "membership")
    supervisor = Supervisor(root / "run", dict(os.environ), REPO, policy=QUICK)
    with migrated_database(database_server_url, membership.directory, "recovery") as database_url:
        try:
            port, controller_port = free_ports(2)
            kafka = start_kafka(root, port, controller_port, supervisor, heap="512m")
            asyncio.run(ensure_topics(kafka.bootstrap, load_topics(TOPICS_FILE)))
            supervisor.env = {
                **os.environ,
                "HEROES_DATABASE_URL": database_server_url,
                "MEMBERSHIP_DATABASE_URL": database_url,
                "HEROES_KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
                "HEROES_LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
            supervisor.start(RELAY, membership.processes(free_port())[RELAY])
            supervisor.watch()
            yield supervisor, kafka.bootstrap, database_url
        finally:
            supervisor.stop_all()


@pytest.fixture(scope="module")
async def network(supervised: tuple[Supervisor, str, str]) -> AsyncIterator[Network]:
    """The network once a first event has gone through it."""
    supervisor, bootstrap, database_url = supervised
    engine = create_engine(database_url, pool_size=2)
    network = Network(supervisor, bootstrap, session_factory(engine))
    first = await network.record_organisation()
    await eventually(lambda: network.delivered(first), timeout=60, interval=0.5)
    yield network
    await engine.dispose()


class TestTheNetworkComesBackByItself:
    async def test_after_the_broker_is_killed_ten_times(self, network: Network) -> None:
        for round_ in range(1, KILLS + 1):
            killed = kill(network.supervisor.pid("kafka"))
            written_while_down = await network.record_organisation()

            await eventually(lambda: broker_reachable(network.bootstrap), timeout=60, interval=0.5)
            await eventually(
                lambda: network.delivered(written_while_down),  # noqa: B023 - awaited in this round
                timeout=60, interval=0.5,
            )

            assert network.supervisor.pid("kafka") not in (None, killed)
            assert network.supervision("kafka") == (round_, 1)

    async def test_after_a_relay_is_killed_ten_times(self, network: Network) -> None:
        for round_ in range(1, KILLS + 1):
            killed = kill(network.supervisor.pid(RELAY))
            # Once it has ended, only a new relay can send what is written next.
            await eventually(lambda: gone(killed), timeout=10)  # noqa: B023 - awaited in this round
            written_while_down = await network.record_organisation()

            await eventually(
                lambda: network.delivered(written_while_down),  # noqa: B023 - awaited in this round
                timeout=60, interval=0.5,
            )

            assert network.supervisor.pid(RELAY) not in (None, killed)
            assert network.supervision(RELAY) == (round_, 1)


async def test_postgres_is_restarted_with_its_data_after_being_killed(root: Path) -> None:
    supervisor = Supervisor(root / "pg-run", dict(os.environ), REPO, policy=QUICK)
    try:
        postgres = start_postgres(root / "pg", free_port(), True, supervisor)
        supervisor.watch()
        connection = await asyncpg.connect(postgres.url)
        await connection.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)")
        await connection.close()

        async def rows_kept() -> int:
            try:
                connection = await asyncpg.connect(postgres.url, timeout=3)
            except (OSError, asyncpg.PostgresError) as error:
                raise AssertionError(f"not accepting connections yet: {error!r}") from error
            try:
                return int(await connection.fetchval("SELECT count(*) FROM kept"))
            finally:
                await connection.close()

        for round_ in range(1, 4):
            killed = kill(supervisor.pid("postgres"))
            await eventually(lambda: gone(killed), timeout=10)  # noqa: B023 - awaited in this round

            assert await eventually(rows_kept, timeout=60, interval=0.5) == 1
            restarts = read_metrics(supervisor.metrics_file)
            assert restarts['heroes_devstack_restarts_total{process="postgres"}'] == round_
    finally:
        supervisor.stop_all()
