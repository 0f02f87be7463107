"""`make test`: isolated PostgreSQL and Kafka on free ports, the whole pytest suite, then teardown."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from devstack.console import say
from devstack.kafka import free_ports
from devstack.processes import Supervisor
from devstack.servers import cache_root, start_servers
from devstack.services import REPO

NO_TESTS_COLLECTED = 5


def test(pytest_args: list[str]) -> int:
    code = with_isolated_servers([sys.executable, "-m", "pytest", *pytest_args], "Running the test suite")
    if code == NO_TESTS_COLLECTED:
        say("No tests were collected: that counts as a failure.")
        return 1
    say("All tests passed." if code == 0 else f"Tests failed (pytest exit code {code}).")
    return code


def bench(script: str) -> int:
    """Run one benchmark script against isolated servers (benchmarks are not tests)."""
    return with_isolated_servers([sys.executable, script], f"Running benchmark {script}")


def with_isolated_servers(command: list[str], title: str) -> int:
    root = REPO / ".local" / "test" / f"run-{os.getpid()}"
    root.mkdir(parents=True, exist_ok=True)
    pg_port, kafka_port, controller_port = free_ports(3)
    # The same supervision as `make run`: a server that crashes mid-suite is restarted.
    supervisor = Supervisor(root / "run", dict(os.environ), REPO)
    try:
        servers = start_servers(
            root, pg_port=pg_port, kafka_port=kafka_port, controller_port=controller_port,
            durable=False, supervisor=supervisor,
        )
        supervisor.watch()
        env = {
            **os.environ,
            "HEROES_DATABASE_URL": servers.database_url,
            "HEROES_KAFKA_BOOTSTRAP_SERVERS": servers.bootstrap,
            "HEROES_TEST_ROOT": str(root),
            "HEROES_CACHE_DIR": str(cache_root()),
            "PYTHONUNBUFFERED": "1",
        }
        say(title)
        return subprocess.call(command, env=env, cwd=REPO)  # noqa: S603
    finally:
        supervisor.stop_all()
        shutil.rmtree(root, ignore_errors=True)
