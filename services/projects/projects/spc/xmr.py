"""XmR (individuals and moving range) arithmetic: segments, centre lines, limits and sigma lines."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise
from math import fsum

from projects.spc.model import Segment

LIMIT_FACTOR = 2.66  # process limits sit 2.66 mean moving ranges from the mean (3 sigma)
FIRM_LIMITS_FROM = 15  # fewer points than this and the limits are provisional


def segment_bounds(dates: Sequence[date], rebase_on: Iterable[date]) -> list[tuple[int, int]]:
    """(start, end) index pairs: a new segment starts at the first point on or after each rebase date."""
    starts = {0}
    for rebase in rebase_on:
        index = next((i for i, on in enumerate(dates) if on >= rebase), None)
        if index is not None and index > 0:
            starts.add(index)
    ordered = sorted(starts)
    ends = [*ordered[1:], len(dates)]
    return [
        (start, end)
        for start, end in zip(ordered, ends, strict=True)
        if end > start or len(dates) == 0
    ]


def moving_ranges(values: Sequence[float], bounds: Sequence[tuple[int, int]]) -> list[float | None]:
    """|x(i) - x(i-1)| for each point; None for the first point of each segment."""
    ranges: list[float | None] = [None] * len(values)
    for start, end in bounds:
        for i in range(start + 1, end):
            ranges[i] = abs(values[i] - values[i - 1])
    return ranges


def xmr_segment(values: Sequence[float], start: int, end: int) -> Segment:
    """Mean, mean moving range, sigma (2.66 x mean moving range / 3) and limits of one segment."""
    chunk = values[start:end]
    if not chunk:
        return Segment(start, end, None, None, None, None, None, provisional=True)
    mean = fsum(chunk) / len(chunk)
    ranges = [abs(b - a) for a, b in pairwise(chunk)]
    if not ranges:
        return Segment(start, end, mean, None, None, None, None, provisional=True)
    mean_range = fsum(ranges) / len(ranges)
    return Segment(
        start=start,
        end=end,
        centre=mean,
        mean_moving_range=mean_range,
        sigma=LIMIT_FACTOR * mean_range / 3,
        upper_limit=mean + LIMIT_FACTOR * mean_range,
        lower_limit=mean - LIMIT_FACTOR * mean_range,
        provisional=len(chunk) < FIRM_LIMITS_FROM,
    )


def median_segment(values: Sequence[float], start: int, end: int) -> Segment:
    """A run chart segment: a median line and no limits."""
    chunk = values[start:end]
    centre = statistics.median(chunk) if chunk else None
    return Segment(start, end, centre, None, None, None, None, provisional=False)
