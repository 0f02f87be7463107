"""axe-core, the accessibility engine, installed from our lock file and run inside pages.

Installed by `devstack.npm.installed`, as the gateway's Apollo reference is: `npm ci` once into the
checkout's cache (HEROES_CACHE_DIR, else .local/cache), keyed by the lock file's sha256, so a
changed lock file gets a fresh install and never an old one's packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devstack.npm import NpmUnavailable, installed

AXE_DIR = Path(__file__).resolve().parent / "axe"
# Where the browser script is, inside the install.
AXE_SCRIPT = "node_modules/axe-core/axe.min.js"
# What we refuse: axe's two highest impacts. Moderate and minor findings are left to review.
BLOCKING = ("serious", "critical")


class AxeUnavailable(RuntimeError):
    """npm is missing, or the pinned axe-core could not be installed."""


def script() -> Path:
    """axe.min.js from the pinned axe-core, installing it the first time."""
    try:
        target = installed(AXE_DIR, "axe-core", expect=AXE_SCRIPT)
    except NpmUnavailable as error:
        raise AxeUnavailable(str(error)) from error
    return target / AXE_SCRIPT


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
