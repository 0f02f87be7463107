"""Rule detectors: each looks at one segment of a series and returns the hits it finds.

Conventions (tested in tests/unit/test_spc_rules.py):
- "beyond" is strict: a point exactly on a limit or sigma line is not beyond it; "within" is
  inclusive: a point exactly on the 1-sigma line is within it.
- Shifts: with `skip_centre`, a point exactly on the centre line neither counts nor breaks
  the run (IHI/Provost); without it, such a point breaks the run (Making Data Count).
- Trends count points, endpoints included. With `ties_once`, equal neighbours count once
  and do not break the trend (IHI/Provost), and every one of them is flagged, wherever it
  stands (leading, inside, or at the end); without it, an equal neighbour ends the trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from projects.spc.model import Hit, Rule, Segment
from projects.spc.runs_table import RUNS_LIMITS


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def beyond_limits(values: Sequence[float], segment: Segment) -> list[Hit]:
    upper, lower = segment.upper_limit, segment.lower_limit
    if upper is None or lower is None:
        return []
    hits = []
    for i in range(segment.start, segment.end):
        if values[i] > upper:
            hits.append(Hit(Rule.POINT_BEYOND_LIMITS, (i,), 1))
        elif values[i] < lower:
            hits.append(Hit(Rule.POINT_BEYOND_LIMITS, (i,), -1))
    return hits


def shifts(
    values: Sequence[float], segment: Segment, *, length: int, skip_centre: bool
) -> list[Hit]:
    """Runs of at least `length` points on one side of the centre line."""
    centre = segment.centre
    if centre is None:
        return []
    hits: list[Hit] = []
    run: list[int] = []
    run_side = 0

    def close() -> None:
        if len(run) >= length:
            hits.append(Hit(Rule.SHIFT, tuple(run), run_side))

    for i in range(segment.start, segment.end):
        side = _sign(values[i] - centre)
        if side == 0 and skip_centre:
            continue
        if side == 0 or side != run_side:
            close()
            run, run_side = ([], 0) if side == 0 else ([i], side)
        else:
            run.append(i)
    close()
    return hits


def trends(values: Sequence[float], segment: Segment, *, length: int, ties_once: bool) -> list[Hit]:
    """Runs of at least `length` points each higher (or each lower) than the one before."""
    indices = list(range(segment.start, segment.end))
    if ties_once:
        indices = [i for i in indices if i == segment.start or values[i] != values[i - 1]]
    hits: list[Hit] = []
    run: list[int] = indices[:1]
    heading = 0

    def close() -> None:
        if len(run) >= length:
            last = run[-1]
            # The run holds the first of each group of equal values: take in the rest of the last group.
            while ties_once and last + 1 < segment.end and values[last + 1] == values[run[-1]]:
                last += 1
            hits.append(Hit(Rule.TREND, tuple(range(run[0], last + 1)), heading))

    for previous, current in pairwise(indices):
        step = _sign(values[current] - values[previous])
        if step == 0:
            close()
            run, heading = [current], 0
        elif heading in (0, step):
            run.append(current)
            heading = step
        else:
            close()
            run, heading = [previous, current], step
    close()
    return hits


def two_of_three_beyond_two_sigma(values: Sequence[float], segment: Segment) -> list[Hit]:
    """Two (or three) of three consecutive points beyond the same 2-sigma line.

    Points that take part are grouped: flagged points no more than two apart share a
    window of three, so they belong to one signal.
    """
    upper, lower = segment.line(2), segment.line(-2)
    if upper is None or lower is None or segment.size < 3:
        return []
    hits = []
    for side, line in ((1, upper), (-1, lower)):
        outside = [i for i in range(segment.start, segment.end) if (values[i] - line) * side > 0]
        flagged = [i for i in outside if any(j != i and abs(j - i) <= 2 for j in outside)]
        group: list[int] = []
        for i in flagged:
            if group and i - group[-1] > 2:
                hits.append(Hit(Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA, tuple(group), side))
                group = []
            group.append(i)
        if group:
            hits.append(Hit(Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA, tuple(group), side))
    return hits


def fifteen_within_one_sigma(
    values: Sequence[float], segment: Segment, *, length: int = 15
) -> list[Hit]:
    """At least 15 consecutive points within the 1-sigma lines, a point on a line included
    (suspiciously little variation; 15 equal values, with sigma 0, are the extreme case)."""
    centre, sigma = segment.centre, segment.sigma
    if centre is None or sigma is None:
        return []
    hits = []
    run: list[int] = []
    for i in range(segment.start, segment.end + 1):
        if i < segment.end and abs(values[i] - centre) <= sigma:
            run.append(i)
            continue
        if len(run) >= length:
            hits.append(Hit(Rule.FIFTEEN_WITHIN_ONE_SIGMA, tuple(run), 0))
        run = []
    return hits


def count_runs(values: Sequence[float], segment: Segment) -> tuple[int, int]:
    """(useful observations, runs): points on the median are left out, a run ends where the data cross it."""
    centre = segment.centre
    if centre is None:
        return 0, 0
    sides = [_sign(values[i] - centre) for i in range(segment.start, segment.end)]
    useful = [side for side in sides if side != 0]
    if not useful:
        return 0, 0
    return len(useful), 1 + sum(1 for a, b in pairwise(useful) if a != b)


def runs(values: Sequence[float], segment: Segment) -> list[Hit]:
    """Too few or too many runs against the Perla/Provost/Murray table (10 to 60 useful points)."""
    useful, counted = count_runs(values, segment)
    limits = RUNS_LIMITS.get(useful)
    if limits is None:
        return []
    lower, upper = limits
    everything = tuple(range(segment.start, segment.end))
    if counted < lower:
        return [Hit(Rule.TOO_FEW_RUNS, everything, 0)]
    if counted > upper:
        return [Hit(Rule.TOO_MANY_RUNS, everything, 0)]
    return []


def astronomical(values: Sequence[float], segment: Segment, flagged: Sequence[bool]) -> list[Hit]:
    """Points a person has marked as astronomical; the side says whether it is high or low."""
    centre = segment.centre
    if centre is None:
        return []
    return [
        Hit(Rule.ASTRONOMICAL_POINT, (i,), _sign(values[i] - centre))
        for i in range(segment.start, segment.end)
        if flagged[i]
    ]
