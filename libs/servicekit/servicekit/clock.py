"""The services' clock: the time now, which a demo seed may set to a moment in the past.

Use cases take "now" from `utcnow()`. A seed that builds a year of demo history runs each
step inside `clock_at(moment)`, so the step's records and events carry that moment, exactly
as if it had happened then. The setting lives in a context variable: it affects only the
task that set it, never requests served at the same time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_fixed: ContextVar[datetime | None] = ContextVar("heroes_clock", default=None)


def utcnow() -> datetime:
    """Now, in UTC; the moment `clock_at` set, inside it."""
    fixed = _fixed.get()
    return fixed if fixed is not None else datetime.now(UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[datetime]:
    """Run the block as if it were `moment` (timezone-aware)."""
    if moment.tzinfo is None:
        raise ValueError("clock_at needs a timezone-aware moment")
    token = _fixed.set(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _fixed.reset(token)
