"""Headless Chromium for browser tests: Debian's `chromium` package, installed once when missing.

Playwright cannot download a browser of its own on our machines, so browser tests drive the
system's Chromium through Playwright (`executable_path`). `make test` needs nothing installed by
hand: the first browser test of a run installs the package with apt-get (we run as root); later
runs find it and pay nothing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from devstack.console import detail, say

CHROMIUM = Path("/usr/bin/chromium")
PACKAGES = ("chromium", "fonts-liberation")  # the fonts: pages render the same on every machine
# Headless, quiet and self-contained: no sandbox (we run as root), no GPU, no calls home.
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
APT_ENV = {"DEBIAN_FRONTEND": "noninteractive", "NEEDRESTART_MODE": "a"}


class ChromiumUnavailable(RuntimeError):
    """Chromium is not installed and could not be installed here."""


def ensure_chromium(lock_dir: Path, report: Callable[[str], None] = detail) -> Path:
    """The Chromium executable, installing Debian's package first when it is missing.

    Two test runs may start together: the second waits on a lock in `lock_dir`, then finds
    Chromium installed. Raises ChromiumUnavailable, saying why and what to do, when it fails.
    """
    if _works(CHROMIUM):
        return CHROMIUM
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        raise ChromiumUnavailable(
            f"Browser tests need Chromium at {CHROMIUM}, and it is missing. This machine "
            f"{'has no apt-get' if apt_get is None else 'does not let us install it (not root)'}: "
            f"install Debian's package yourself (sudo apt-get install {' '.join(PACKAGES)})."
        )
    lock_dir.mkdir(parents=True, exist_ok=True)
    with (lock_dir / "chromium-install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _works(CHROMIUM):
            return CHROMIUM
        say(
            f"Installing Chromium for the browser tests (apt-get install {' '.join(PACKAGES)}); "
            "once per machine, a minute or two"
        )
        _apt(apt_get, ["update"], report)
        _apt(apt_get, ["install", "--yes", "--no-install-recommends", *PACKAGES], report)
    if not _works(CHROMIUM):
        raise ChromiumUnavailable(
            f"apt-get installed {PACKAGES[0]}, yet {CHROMIUM} does not start."
        )
    report(f"Chromium is installed: {_version(CHROMIUM)}")
    return CHROMIUM


def _apt(apt_get: str, arguments: list[str], report: Callable[[str], None]) -> None:
    """Run apt-get, passing its lines on as progress; raise with its output when it fails."""
    command = [apt_get, "-q", "-o", "DPkg::Lock::Timeout=600", *arguments]
    report(" ".join(["apt-get", *arguments]))
    lines: list[str] = []
    with subprocess.Popen(  # noqa: S603 - apt-get with fixed arguments
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **APT_ENV},
        stdin=subprocess.DEVNULL,
    ) as process:
        for line in process.stdout or ():
            lines.append(line.rstrip())
            if line.startswith(("Get:", "Setting up", "Err:", "E:", "W:")):
                report(f"  {line.rstrip()}")
        code = process.wait()
    if code != 0:
        tail = "\n".join(lines[-30:])
        raise ChromiumUnavailable(f"`apt-get {' '.join(arguments)}` failed (exit {code}):\n{tail}")


def _works(executable: Path) -> bool:
    return executable.exists() and _version(executable) != ""


def _version(executable: Path) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - the system's Chromium, fixed arguments
            [str(executable), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
