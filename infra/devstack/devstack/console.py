"""Plain progress lines for people watching `make run` and `make test`."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def detail(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


def alarm(message: str) -> None:
    """Something is wrong and stays wrong: say it so that it stands out among the other lines."""
    print(f"!! {message}", file=sys.stderr, flush=True)


@contextmanager
def step(message: str) -> Iterator[None]:
    """Announce a long step and report how long it took."""
    say(f"{message} ...")
    started = time.monotonic()
    yield
    detail(f"done in {time.monotonic() - started:.1f}s")
