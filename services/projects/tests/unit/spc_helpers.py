"""Series builders for the SPC tests: one point a day from 1 January 2026, keys p0, p1, ..."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from projects.spc import Observation, Segment

START = date(2026, 1, 1)


def day(n: int) -> date:
    return START + timedelta(days=n)


def series(values: Sequence[float], *, astronomical: Iterable[int] = ()) -> list[Observation]:
    flagged = set(astronomical)
    return [Observation(f"p{i}", day(i), float(v), i in flagged) for i, v in enumerate(values)]


def keys(*indices: int) -> tuple[str, ...]:
    return tuple(f"p{i}" for i in indices)


def segment(values: Sequence[float], *, centre: float, sigma: float | None = None) -> Segment:
    """A hand-made segment over all of `values`, limits at 3 sigma when sigma is given."""
    upper = centre + 3 * sigma if sigma is not None else None
    lower = centre - 3 * sigma if sigma is not None else None
    return Segment(0, len(values), centre, None, sigma, upper, lower, provisional=False)
