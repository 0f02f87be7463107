"""Starts, watches, restarts and stops every process of a local network, each logging to a file.

PostgreSQL, Kafka and each service's API, relay and consumer are all `Program`s under one
`Supervisor`. Once `watch()` has been called, a program that stops on its own is started again
after a delay that doubles from `RestartPolicy.first_delay` up to `max_delay`, for as long as
the supervisor runs: it never gives up. Each restart prints one line; a program that has been
down longer than `loud_after` gets a `!!` line on the console, repeated every `loud_every`.
The state is also written, in Prometheus text format, to `<run_dir>/metrics.prom` (see
`_render_metrics`), so a test or an operator can read it without watching the console.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from devstack.console import alarm, detail

METRICS_FILE = "metrics.prom"
SERVERS_TIER = 0
SERVICES_TIER = 1


@dataclass(frozen=True, slots=True)
class RestartPolicy:
    """When to restart a stopped program, and when to say loudly that it stays down."""

    first_delay: float = 0.5
    max_delay: float = 30.0
    # A program that has run this long is up again: its outage is over, and should it stop
    # later, it is restarted after `first_delay` again.
    stable_after: float = 10.0
    loud_after: float = 30.0
    loud_every: float = 30.0
    check_every: float = 0.5

    def delay(self, failures_in_a_row: int) -> float:
        """Seconds to wait before restarting a program that has stopped this many times in a row."""
        doublings = min(max(failures_in_a_row - 1, 0), 30)
        return float(min(self.max_delay, self.first_delay * 2**doublings))


@dataclass
class Program:
    """How to start one process, and how to ask it to stop."""

    name: str
    command: list[str]
    env: dict[str, str] | None = None  # None: the supervisor's environment
    cwd: Path | None = None  # None: the supervisor's folder
    log_file: Path | None = None  # None: <run_dir>/logs/<name>.log
    user: str | None = None  # run as this system user (PostgreSQL under root)
    stop_signal: signal.Signals = signal.SIGTERM
    # Send `stop_signal` to the whole process group, or to the main process only (PostgreSQL:
    # SIGINT to the postmaster is a fast shutdown, while to a backend it only cancels a query).
    signal_group: bool = True
    stop_timeout: float = 15.0
    tier: int = SERVICES_TIER  # lower tiers are stopped last
    before_start: Callable[[], None] | None = None
    after_start: Callable[[int], None] | None = None


@dataclass
class _Watched:
    program: Program
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    failures_in_a_row: int = 0
    down_since: float | None = None  # the start of the current outage
    restart_at: float = 0.0
    last_exit: int | None = None
    loud_at: float = 0.0

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Supervisor:
    """Runs programs with a shared environment; pids go to `pids.json` so `make stop` finds them."""

    run_dir: Path
    env: dict[str, str]
    cwd: Path
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    _watched: dict[str, _Watched] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "pids.json"

    @property
    def metrics_file(self) -> Path:
        return self.run_dir / METRICS_FILE

    @property
    def processes(self) -> dict[str, subprocess.Popen[bytes]]:
        """The current process of each program that has one."""
        with self._lock:
            return {name: w.process for name, w in self._watched.items() if w.process is not None}

    def log_file(self, name: str) -> Path:
        watched = self._watched.get(name)
        if watched is not None and watched.program.log_file is not None:
            return watched.program.log_file
        return self._default_log(name)

    def _default_log(self, name: str) -> Path:
        return self.run_dir / "logs" / f"{name}.log"

    def start(self, name: str, command: list[str]) -> None:
        """Start one of the network's Python processes (tier 1, the supervisor's environment)."""
        self.start_program(Program(name, command))

    def start_program(self, program: Program) -> None:
        with self._lock:
            watched = self._watched.get(program.name) or _Watched(program)
            watched.program = program
            self._launch(watched)
            self._watched[program.name] = watched
            self._record()
            self._write_metrics()

    def pid(self, name: str) -> int | None:
        """The pid of `name` while it runs, else None."""
        with self._lock:
            watched = self._watched.get(name)
            if watched is None or watched.process is None or not watched.running():
                return None
            return watched.process.pid

    def failures(self) -> dict[str, int]:
        """Programs that have stopped on their own since they started, with their last exit code."""
        with self._lock:
            found = {}
            for name, watched in self._watched.items():
                code = watched.process.poll() if watched.process is not None else None
                if code is None:
                    code = watched.last_exit
                if code is not None:
                    found[name] = code
            return found

    def wait_until(self, name: str, ready: Callable[[], bool], timeout: float) -> None:
        """Wait until `ready()` holds; fail at once if `name` stops, or at the deadline."""
        deadline = time.monotonic() + timeout
        while not ready():
            code = self.failures().get(name)
            log = self.log_file(name)
            if code is not None:
                stopped = describe_exit(code)
                raise RuntimeError(f"{name} stopped while starting ({stopped}); see {log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} was not ready within {timeout:.0f}s; see {log}")
            time.sleep(0.2)

    def watch(self) -> None:
        """Restart programs that stop on their own, in a background thread, until `stop_all()`."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._watch_loop, name="devstack-supervisor", daemon=True
        )
        self._thread.start()

    def check(self) -> None:
        """One round of supervision: note stopped programs, restart those whose delay is over."""
        with self._lock:
            now = time.monotonic()
            for watched in self._watched.values():
                if self._stopping.is_set():
                    return
                self._check_one(watched, now)
            self._write_metrics()

    def stop_all(self) -> None:
        """Stop the watcher first (nothing is restarted from here on), then every program,
        the services before the servers they use."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with self._lock:
            for tier in sorted({w.program.tier for w in self._watched.values()}, reverse=True):
                self._stop_tier([w for w in self._watched.values() if w.program.tier == tier])
            self._watched.clear()
            self.pid_file.unlink(missing_ok=True)
            self.metrics_file.unlink(missing_ok=True)

    # --- inside the lock ---------------------------------------------------------------------

    def _check_one(self, watched: _Watched, now: float) -> None:
        name = watched.program.name
        if watched.running():
            stable = now - watched.started_at >= self.policy.stable_after
            if watched.down_since is not None and stable:
                watched.down_since = None
                watched.failures_in_a_row = 0
            return
        if watched.process is not None:
            self._note_stopped(watched, watched.process, now)
        if watched.down_since is None:
            return  # stopped by `stop_all`, or never started
        down_for = now - watched.down_since
        if down_for >= self.policy.loud_after and now - watched.loud_at >= self.policy.loud_every:
            watched.loud_at = now
            every = self.policy.delay(watched.failures_in_a_row)
            alarm(f"{name} has been down for {down_for:.0f} s; retrying every {every:.0f} s "
                  f"(log: {self.log_file(name)})")
        if now >= watched.restart_at:
            watched.restarts += 1
            try:
                self._launch(watched)
                self._record()
            except Exception as error:  # a failed start is one more failure to retry
                watched.process = None
                self._schedule_restart(watched, now)
                detail(f"{name} could not be started ({error}); trying again in "
                       f"{watched.restart_at - now:.1f} s")

    def _note_stopped(
        self, watched: _Watched, process: subprocess.Popen[bytes], now: float
    ) -> None:
        code = process.returncode
        # Leftovers of the process group (orphaned PostgreSQL backends, say) would keep the
        # restarted program from starting; the group is ours and its leader is gone.
        _signal_group(process.pid, signal.SIGKILL)
        watched.process = None
        watched.last_exit = code
        if watched.down_since is None:
            watched.down_since = now
        self._schedule_restart(watched, now)
        name = watched.program.name
        detail(f"{name} stopped unexpectedly ({describe_exit(code)}); restarting in "
               f"{watched.restart_at - now:.1f} s (restart {watched.restarts + 1} since devstack "
               f"started; log: {self.log_file(name)})")

    def _schedule_restart(self, watched: _Watched, now: float) -> None:
        watched.failures_in_a_row += 1
        watched.restart_at = now + self.policy.delay(watched.failures_in_a_row)

    def _launch(self, watched: _Watched) -> None:
        program = watched.program
        if program.before_start is not None:
            program.before_start()
        log_file = program.log_file or self._default_log(program.name)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("ab") as log:
            watched.process = subprocess.Popen(  # noqa: S603 - our own commands
                program.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=program.env if program.env is not None else self.env,
                cwd=program.cwd or self.cwd, user=program.user, start_new_session=True,
            )
        watched.started_at = time.monotonic()
        if program.after_start is not None:
            program.after_start(watched.process.pid)

    def _stop_tier(self, tier: list[_Watched]) -> None:
        running = [(w.program, w.process) for w in tier if w.process is not None and w.running()]
        for program, process in running:
            if program.signal_group:
                _signal_group(process.pid, program.stop_signal)
            else:
                process.send_signal(program.stop_signal)
        started = time.monotonic()
        for program, process in running:
            try:
                process.wait(max(0.1, started + program.stop_timeout - time.monotonic()))
            except subprocess.TimeoutExpired:
                waited = program.stop_timeout
                detail(f"{program.name} did not stop within {waited:.0f}s; killing it")
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(5)

    def _record(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        recorded = {
            name: {
                "pid": w.process.pid,
                "signal": w.program.stop_signal.name,
                "group": w.program.signal_group,
            }
            for name, w in self._watched.items()
            if w.process is not None
        }
        _replace(self.pid_file, json.dumps(recorded, indent=2))

    def _write_metrics(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        _replace(self.metrics_file, _render_metrics(self._watched.values(), time.monotonic()))

    def _watch_loop(self) -> None:
        while not self._stopping.wait(self.policy.check_every):
            try:
                self.check()
            except Exception as error:  # supervision must outlive its own bugs
                alarm(f"devstack's supervisor hit an error and carries on: {error!r}")


def _render_metrics(watched: Iterable[_Watched], now: float) -> str:
    """The supervision state in Prometheus text format (node-exporter textfile style)."""
    programs = sorted(watched, key=lambda w: w.program.name)

    def down_seconds(w: _Watched) -> float:
        return 0 if w.running() or w.down_since is None else round(now - w.down_since, 1)

    families: list[tuple[str, str, str, Callable[[_Watched], float]]] = [
        ("process_up", "gauge", "1 while the process runs, 0 while devstack waits to restart it.",
         lambda w: int(w.running())),
        ("restarts_total", "counter", "Restarts after the process stopped on its own.",
         lambda w: w.restarts),
        ("down_seconds", "gauge", "How long the current outage has lasted (0 while it runs).",
         down_seconds),
    ]
    lines = []
    for suffix, kind, help_text, value in families:
        name = f"heroes_devstack_{suffix}"
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
        lines += [f'{name}{{process="{w.program.name}"}} {value(w)}' for w in programs]
    written = "heroes_devstack_metrics_written_timestamp_seconds"
    lines += [f"# HELP {written} When devstack last wrote this file.", f"# TYPE {written} gauge",
              f"{written} {time.time():.1f}"]
    return "\n".join(lines) + "\n"


def read_metrics(path: Path) -> dict[str, float]:
    """`metric{process="x"}` -> value, from a file the supervisor wrote ({} if there is none)."""
    if not path.exists():
        return {}
    values = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def stop_recorded(run_dir: Path, timeout: float = 15) -> list[str]:
    """Stop processes a previous run recorded (for `make stop` from another terminal)."""
    pid_file = run_dir / "pids.json"
    if not pid_file.exists():
        return []
    recorded: dict[str, int | dict[str, object]] = json.loads(pid_file.read_text())
    pids = []
    stopped = []
    for name, entry in recorded.items():
        # Older runs recorded a bare pid per name.
        info = entry if isinstance(entry, dict) else {"pid": entry}
        pid = int(str(info["pid"]))
        sig = signal.Signals[str(info.get("signal", "SIGTERM"))]
        if psutil.pid_exists(pid):
            if info.get("group", True):
                _signal_group(pid, sig)
            else:
                _signal(pid, sig)
            stopped.append(name)
        pids.append(pid)
    deadline = time.monotonic() + timeout
    for pid in pids:
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
    (run_dir / METRICS_FILE).unlink(missing_ok=True)
    return stopped


def _replace(path: Path, text: str) -> None:
    """Write `text` so that a reader sees the old file or the new one, never half of one."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text)
    os.replace(partial, path)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _signal(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)
