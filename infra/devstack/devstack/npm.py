"""npm packages that tests need, installed once per lock file into the checkout's cache."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from pathlib import Path

MANIFESTS = ("package.json", "package-lock.json")
INSTALLED_MARKER = ".installed"


class NpmUnavailable(RuntimeError):
    """npm is missing, or `npm ci` could not install the pinned packages."""


def installed(
    manifests: Path,
    name: str,
    *,
    label: str | None = None,
    expect: str | None = None,
    timeout: float = 600,
) -> Path:
    """The directory holding node_modules for the package.json and package-lock.json in
    `manifests`, running `npm ci` there the first time.

    It is keyed by the lock file's sha256 under the checkout's cache (HEROES_CACHE_DIR, else
    .local/cache), in a folder called `name`: a changed lock file gets a fresh install, never an
    old one's packages. Every npm install the tests need goes through here (the gateway's Apollo
    reference, the browser tests' axe-core, the Open Badges contexts).

    `label` names what is being installed in error messages (default: `name`). `expect`, a path
    relative to the install, must exist once `npm ci` has run, or the install counts as failed.
    `timeout` bounds `npm ci`, in seconds. Raises NpmUnavailable when npm is missing or fails.
    """
    # Imported here: devstack.servers pulls in alembic, which a caller of this alone need not pay.
    from devstack.servers import cache_root

    label = label or name
    npm = shutil.which("npm")
    if npm is None:
        raise NpmUnavailable(
            f"`npm` is not on PATH: {label} needs Node.js 20 or later with npm "
            "(https://nodejs.org, or your system's nodejs and npm packages)."
        )
    digest = hashlib.sha256((manifests / "package-lock.json").read_bytes()).hexdigest()
    target = cache_root() / name / digest
    if (target / INSTALLED_MARKER).exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    # Two test runs of one checkout may start together: the second waits, then finds the marker.
    with (target.parent / f"{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / INSTALLED_MARKER).exists():
            return target
        for manifest in MANIFESTS:
            shutil.copyfile(manifests / manifest, target / manifest)
        # --ignore-scripts: no package we pin needs its install script, so no third-party code runs.
        try:
            done = subprocess.run(  # noqa: S603 - npm found on PATH, fixed arguments
                [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                cwd=target,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise NpmUnavailable(
                f"`npm ci` for {label} did not finish in {timeout:g}s in {target}"
            ) from error
        if done.returncode != 0 or (expect is not None and not (target / expect).exists()):
            raise NpmUnavailable(
                f"`npm ci` for {label} failed in {target} (exit {done.returncode}):\n{done.stderr}"
            )
        (target / INSTALLED_MARKER).write_text(digest)
    return target
