"""Apollo Gateway, the reference in differential tests: installed from our lock file, run here."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
from devstack.npm import NpmUnavailable, installed

REFERENCE_DIR = Path(__file__).resolve().parent
SCRIPT = REFERENCE_DIR / "apollo_gateway.mjs"
PLAN_HEADER = "Apollo-Query-Plan-Experimental"


class ReferenceUnavailable(RuntimeError):
    """Node or npm is missing, or the pinned Apollo packages could not be installed."""


class ReferenceFailed(RuntimeError):
    """The reference gateway exited or never became ready; the message carries its stderr."""


def ensure_installed() -> Path:
    """The directory holding node_modules for our package-lock.json, running `npm ci` there the
    first time: `devstack.npm.installed`, keyed by the lock file's sha256 under the checkout's cache
    (HEROES_CACHE_DIR, else .local/cache), so a changed lock file gets a fresh install.
    """
    _tool("node")
    try:
        return installed(REFERENCE_DIR, "apollo-reference", label="the Apollo Gateway reference")
    except NpmUnavailable as error:
        raise ReferenceUnavailable(str(error)) from error


@contextlib.contextmanager
def start(groups: dict[str, dict[str, str]], *, timeout: float = 30, plain: bool = False,
          processes: list[int] | None = None, subgraph_headers: dict[str, str] | None = None,
          forward_headers: tuple[str, ...] = (), supergraphs: dict[str, str] | None = None,
          ) -> Iterator[dict[str, str]]:
    """Apollo Gateway over each group (group -> subgraph name -> URL), yielding group -> URL.

    `supergraphs` (group -> supergraph SDL) adds groups run from a supergraph file instead, such
    as `python -m gateway compose --print` writes: Apollo calls the subgraphs the file names.

    `plain`: as a production deployment runs it (no request counting, no plan exposure), for
    benchmarks, with `subgraph_headers` sent to every subgraph and `forward_headers` copied from
    the client's request; `processes`, when given, receives the Node process's pid.

    Raises ReferenceFailed, with Node's stderr (composition errors included), when any group fails
    to compose or the process is not ready within `timeout` seconds. The process is stopped on exit.
    """
    directory = ensure_installed()
    script = _place_script(directory)
    config = json.dumps({"groups": groups, "supergraphs": supergraphs or {}, "plain": plain,
                         "subgraphHeaders": subgraph_headers or {},
                         "forwardHeaders": list(forward_headers)}).encode()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(  # noqa: S603 - our own script
            [_tool("node"), str(script)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
            cwd=directory, env=_node_env(),
        )
        if processes is not None:
            processes.append(process.pid)
        try:
            _send_config(process, config)
            yield _wait_until_ready(process, stderr, time.monotonic() + timeout)
        finally:
            _stop(process)


async def execute(
    url: str, query: str, variables: dict[str, Any] | None = None
) -> tuple[dict[str, Any], int]:
    """Send one operation; returns the response body and how many subgraph requests it caused.

    The count is taken out of the body (and `extensions` with it when nothing else is left), so the
    body compares as a whole with what our gateway answers.
    """
    body = await _post(url, {"query": query, "variables": variables or {}}, {})
    extensions = body.get("extensions", {})
    requests = extensions.pop("subgraphRequests")
    if not extensions:
        body.pop("extensions")
    return body, requests


async def query_plan(url: str, query: str, variables: dict[str, Any] | None = None) -> str:
    """Apollo's plan for `query`, as Apollo prints it (`QueryPlan { Fetch(service: ...) ... }`).

    The operation is executed to get it: Apollo only shows the plan alongside a response.
    """
    body = await _post(url, {"query": query, "variables": variables or {}}, {PLAN_HEADER: "1"})
    plan = body.get("extensions", {}).get("__queryPlanExperimental")
    if plan is None:
        raise ReferenceFailed(f"no query plan in Apollo's answer: {body}")
    return "" if plan is True else str(plan)  # True: nothing to fetch (introspection only)


async def _post(url: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(url, json=payload, headers=headers)
    # Apollo answers validation errors with a 400 and a GraphQL body: the body is the answer.
    try:
        body: dict[str, Any] = response.json()
    except ValueError as error:
        raise ReferenceFailed(
            f"Apollo Gateway answered {response.status_code} without JSON: {response.text[:500]}"
        ) from error
    return body


def compose_errors(sdls: dict[str, str]) -> list[str]:
    """What Apollo's composition says is wrong with these subgraph SDLs (empty: they compose)."""
    directory = ensure_installed()
    script = _place_script(directory, REFERENCE_DIR / "compose.mjs")
    done = subprocess.run(  # noqa: S603 - our own script and the pinned packages
        [_tool("node"), str(script)], input=json.dumps(sdls).encode(), capture_output=True,
        cwd=directory, env=_node_env(), timeout=120, check=False,
    )
    if done.returncode != 0:
        raise ReferenceFailed(f"Apollo composition did not run: {done.stderr.decode()[-2000:]}")
    return list(json.loads(done.stdout)["errors"])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ReferenceUnavailable(
            f"`{name}` is not on PATH: the Apollo Gateway reference needs Node.js 20 or later "
            "with npm (https://nodejs.org, or your system's nodejs and npm packages)."
        )
    return path


def _place_script(directory: Path, source: Path = SCRIPT) -> Path:
    """Copies a script next to the installed node_modules, where Node resolves its imports from.

    Copied on every start so an edited script takes effect without a reinstall; written under a
    temporary name and renamed, so that a concurrent run never reads half a file.
    """
    script = directory / source.name
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".tmp", delete=False) as copy:
        copy.write(source.read_bytes())
    os.replace(copy.name, script)
    return script


def _node_env() -> dict[str, str]:
    # An APOLLO_KEY from the developer's shell would make the reference report to Apollo's cloud.
    return {key: value for key, value in os.environ.items() if not key.startswith("APOLLO_")}


def _send_config(process: subprocess.Popen[bytes], config: bytes) -> None:
    assert process.stdin is not None
    # A script that died before reading its input is reported by the wait, with its stderr.
    with contextlib.suppress(BrokenPipeError):
        process.stdin.write(config)
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()


def _wait_until_ready(
    process: subprocess.Popen[bytes], stderr: IO[bytes], deadline: float
) -> dict[str, str]:
    assert process.stdout is not None
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReferenceFailed(f"Apollo Gateway not ready in time:\n{_read(stderr)}")
            if not selector.select(min(remaining, 0.5)):
                continue
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                code = process.wait(10)
                raise ReferenceFailed(f"Apollo Gateway exited with code {code}:\n{_read(stderr)}")
            line += chunk
    try:
        urls: dict[str, str] = json.loads(line)["ready"]
    except (ValueError, KeyError) as error:
        raise ReferenceFailed(
            f"Apollo Gateway printed {line!r}, not its ready line:\n{_read(stderr)}"
        ) from error
    return urls


def _read(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode(errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
    if process.stdout is not None:
        process.stdout.close()
