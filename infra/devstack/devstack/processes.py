"""Starts, watches and stops the network's Python processes, each logging to its own file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from devstack.console import detail


@dataclass
class Supervisor:
    """Runs named commands with a shared environment; pids are recorded so `make stop` finds them."""

    run_dir: Path
    env: dict[str, str]
    cwd: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "pids.json"

    def log_file(self, name: str) -> Path:
        return self.run_dir / "logs" / f"{name}.log"

    def start(self, name: str, command: list[str]) -> None:
        self.log_file(name).parent.mkdir(parents=True, exist_ok=True)
        with self.log_file(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(  # noqa: S603 - our own commands
                command, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                cwd=self.cwd, start_new_session=True,
            )
        self.commands[name] = command
        self._record()

    def exited(self) -> dict[str, int]:
        """Processes that have stopped on their own, with their exit codes."""
        return {
            name: code
            for name, process in self.processes.items()
            if (code := process.poll()) is not None
        }

    def restart(self, name: str) -> None:
        detail(f"{name} stopped unexpectedly; restarting (log: {self.log_file(name)})")
        self.start(name, self.commands[name])

    def stop_all(self, timeout: float = 15) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(remaining)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(5)
        self.processes.clear()
        self.pid_file.unlink(missing_ok=True)

    def _record(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(
            json.dumps({name: process.pid for name, process in self.processes.items()}, indent=2)
        )


def stop_recorded(run_dir: Path, timeout: float = 15) -> list[str]:
    """Stop processes a previous run recorded (for `make stop` from another terminal)."""
    pid_file = run_dir / "pids.json"
    if not pid_file.exists():
        return []
    recorded: dict[str, int] = json.loads(pid_file.read_text())
    stopped = []
    for name, pid in recorded.items():
        if psutil.pid_exists(pid):
            _signal_group(pid, signal.SIGTERM)
            stopped.append(name)
    deadline = time.monotonic() + timeout
    for pid in recorded.values():
        while psutil.pid_exists(pid) and time.monotonic() < deadline:
            try:
                if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.Error:
                break
            time.sleep(0.1)
        if psutil.pid_exists(pid):
            _signal_group(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return stopped


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
