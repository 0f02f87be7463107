"""The supervisor restarts what stops, never gives up, says so loudly, and stops cleanly."""

from __future__ import annotations

import os
import secrets
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from devstack.processes import Program, RestartPolicy, Supervisor, read_metrics

QUICK = RestartPolicy(first_delay=0.05, max_delay=0.2, stable_after=60, loud_after=0.5,
                      loud_every=0.5, check_every=0.05)


def poll(check: Callable[[], bool], timeout: float = 10) -> None:
    """Call `check` until it returns True without raising AssertionError; fail at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
            failure = AssertionError(f"{check.__name__} still false")
        except AssertionError as error:
            failure = error
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout}s: {failure}") from failure
        time.sleep(0.05)


def sleeper(marker: str) -> list[str]:
    """A process that runs until stopped, findable by `marker` in its command line."""
    return [sys.executable, "-c", "import sys, time; time.sleep(600)", marker]


def running_with(marker: str) -> list[psutil.Process]:
    """Live processes with `marker` in their command line."""
    return [
        process
        for process in psutil.process_iter(["cmdline", "status"])
        if marker in (process.info["cmdline"] or [])
        and process.info["status"] != psutil.STATUS_ZOMBIE
    ]


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    supervisor = Supervisor(tmp_path / "run", {}, tmp_path, policy=QUICK)
    yield supervisor
    supervisor.stop_all()


class TestRestartPolicy:
    def test_the_delay_doubles_up_to_the_cap(self) -> None:
        policy = RestartPolicy(first_delay=0.5, max_delay=30)

        assert [policy.delay(n) for n in range(1, 10)] == [0.5, 1, 2, 4, 8, 16, 30, 30, 30]
        assert policy.delay(10_000) == 30


class TestSupervisor:
    def test_a_killed_process_is_started_again_and_counted(self, supervisor: Supervisor) -> None:
        supervisor.start("sleeper", sleeper(marker := secrets.token_hex(4)))
        supervisor.watch()
        first = supervisor.pid("sleeper")
        assert first is not None

        os.kill(first, signal.SIGKILL)

        def restarted() -> bool:
            assert [process.pid != first for process in running_with(marker)] == [True]
            metrics = read_metrics(supervisor.metrics_file)
            assert metrics['heroes_devstack_restarts_total{process="sleeper"}'] == 1
            assert metrics['heroes_devstack_process_up{process="sleeper"}'] == 1
            return True

        poll(restarted)

    def test_a_process_that_keeps_failing_is_retried_without_end_and_reported_loudly(
        self, supervisor: Supervisor, capsys: pytest.CaptureFixture[str]
    ) -> None:
        supervisor.start_program(Program("flaky", [sys.executable, "-c", "raise SystemExit(3)"]))
        supervisor.watch()

        def retried_beyond_any_limit() -> bool:
            metrics = read_metrics(supervisor.metrics_file)
            assert metrics['heroes_devstack_restarts_total{process="flaky"}'] >= 8
            assert metrics['heroes_devstack_down_seconds{process="flaky"}'] > 0
            return True

        poll(retried_beyond_any_limit, timeout=20)
        console = capsys.readouterr().err
        assert "flaky stopped unexpectedly (exit code 3); restarting in" in console
        assert "!! flaky has been down for" in console

    def test_stopping_stops_every_process_and_restarts_none(self, supervisor: Supervisor) -> None:
        markers = {name: secrets.token_hex(4) for name in ("server", "service")}
        supervisor.start_program(Program("server", sleeper(markers["server"]), tier=0))
        supervisor.start("service", sleeper(markers["service"]))
        supervisor.watch()
        poll(lambda: [len(running_with(marker)) for marker in markers.values()] == [1, 1])

        # stop_all returns after the watcher has ended, so nothing can be restarted later.
        supervisor.stop_all()

        assert [running_with(marker) for marker in markers.values()] == [[], []]
        assert not supervisor.pid_file.exists()
        assert not supervisor.metrics_file.exists()
