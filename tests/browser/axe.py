"""axe-core, the accessibility engine, installed from our lock file and run inside pages.

Installed like the gateway's Apollo reference (services/gateway/tests/reference/apollo.py): `npm ci`
once into the checkout's cache (HEROES_CACHE_DIR, else .local/cache), keyed by the lock file's
sha256, so a changed lock file gets a fresh install and never an old one's packages.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

AXE_DIR = Path(__file__).resolve().parent / "axe"
MANIFESTS = ("package.json", "package-lock.json")
INSTALLED_MARKER = ".installed"
# What we refuse: axe's two highest impacts. Moderate and minor findings are left to review.
BLOCKING = ("serious", "critical")


class AxeUnavailable(RuntimeError):
    """npm is missing, or the pinned axe-core could not be installed."""


def script() -> Path:
    """axe.min.js from the pinned axe-core, installing it the first time."""
    from devstack.servers import cache_root

    npm = shutil.which("npm")
    if npm is None:
        raise AxeUnavailable("`npm` is not on PATH: the accessibility checks need Node.js and npm.")
    digest = hashlib.sha256((AXE_DIR / "package-lock.json").read_bytes()).hexdigest()
    target = cache_root() / "axe-core" / digest
    installed = target / "node_modules" / "axe-core" / "axe.min.js"
    if (target / INSTALLED_MARKER).exists():
        return installed
    target.mkdir(parents=True, exist_ok=True)
    # Two test runs of one checkout may start together: the second waits, then finds the marker.
    with (target.parent / f"{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / INSTALLED_MARKER).exists():
            return installed
        for name in MANIFESTS:
            shutil.copyfile(AXE_DIR / name, target / name)
        # --ignore-scripts: axe-core needs no install script, so no third-party code runs.
        done = subprocess.run(  # noqa: S603 - npm found on PATH, fixed arguments
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=target,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0 or not installed.exists():
            raise AxeUnavailable(
                f"`npm ci` for axe-core failed in {target} (exit {done.returncode}):\n{done.stderr}"
            )
        (target / INSTALLED_MARKER).write_text(digest)
    return installed


def blocking_violations(page: Any, source: Path) -> list[dict[str, Any]]:
    """Run axe on the page as it is now; its serious and critical violations, each with the
    elements it found them on (empty: nothing blocks)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(source))
    results: dict[str, Any] = page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]
