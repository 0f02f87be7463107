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


def installed(manifests: Path, name: str) -> Path:
    """The directory holding node_modules for the package.json and package-lock.json in
    `manifests`, running `npm ci` there the first time.

    It is keyed by the lock file's sha256 under the checkout's cache (HEROES_CACHE_DIR, else
    .local/cache), in a folder called `name`: a changed lock file gets a fresh install, never an
    old one's packages. The same pattern as the gateway's Apollo reference and the browser tests'
    axe-core, which keep their own copies of it.
    """
    # Imported here: devstack.servers pulls in alembic, which a caller of this alone need not pay.
    from devstack.servers import cache_root

    npm = shutil.which("npm")
    if npm is None:
        raise NpmUnavailable(f"`npm` is not on PATH: {name} needs Node.js 20 or later with npm.")
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
        done = subprocess.run(  # noqa: S603 - npm found on PATH, fixed arguments
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=target,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise NpmUnavailable(
                f"`npm ci` for {name} failed in {target} (exit {done.returncode}):\n{done.stderr}"
            )
        (target / INSTALLED_MARKER).write_text(digest)
    return target
