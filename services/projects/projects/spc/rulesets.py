"""The named rule sets: which centre line each uses, which rules it applies, and what they mean."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from projects.spc import rules
from projects.spc.model import CentreLine, Hit, Rule, RuleSetName, Segment

Detector = Callable[[Sequence[float], Segment, Sequence[bool]], list[Hit]]


def _ignoring_flags(detector: Callable[[Sequence[float], Segment], list[Hit]]) -> Detector:
    return lambda values, segment, _flags: detector(values, segment)


@dataclass(frozen=True)
class RuleSet:
    name: RuleSetName
    title: str
    description: str
    centre_line: CentreLine
    detectors: tuple[Detector, ...]
    rules: dict[Rule, str]


MDC = RuleSet(
    name=RuleSetName.MDC,
    title="NHS England Making Data Count",
    description=(
        "The NHS England 'Making Data Count' rules for a control chart (XmR chart). The line in "
        "the middle is the average (mean); the upper and lower process limits show how far the "
        "data would normally wander by chance."
    ),
    centre_line=CentreLine.MEAN,
    detectors=(
        _ignoring_flags(rules.beyond_limits),
        _ignoring_flags(partial(rules.shifts, length=7, skip_centre=False)),
        _ignoring_flags(partial(rules.trends, length=7, ties_once=False)),
        _ignoring_flags(rules.two_of_three_beyond_two_sigma),
    ),
    rules={
        Rule.POINT_BEYOND_LIMITS: "A point above the upper or below the lower process limit.",
        Rule.SHIFT: "Seven or more points in a row all above, or all below, the average.",
        Rule.TREND: "Seven or more points in a row each going up, or each going down.",
        Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA: (
            "Two out of three points in a row close to the same process limit (beyond two sigma)."
        ),
    },
)

IHI_RUN_CHART = RuleSet(
    name=RuleSetName.IHI_RUN_CHART,
    title="IHI run chart rules",
    description=(
        "The Institute for Healthcare Improvement rules for a run chart: the line in the middle "
        "is the median (half the points are above it, half below) and there are no limits."
    ),
    centre_line=CentreLine.MEDIAN,
    detectors=(
        _ignoring_flags(partial(rules.shifts, length=6, skip_centre=True)),
        _ignoring_flags(partial(rules.trends, length=5, ties_once=True)),
        _ignoring_flags(rules.runs),
        rules.astronomical,
    ),
    rules={
        Rule.SHIFT: (
            "Six or more points in a row all above, or all below, the median. Points on the "
            "median are skipped: they neither count nor break the run."
        ),
        Rule.TREND: (
            "Five or more points in a row each going up, or each going down. Two equal points "
            "next to each other count as one."
        ),
        Rule.TOO_FEW_RUNS: (
            "The data cross the median fewer times than chance would allow (a run is a group of "
            "points in a row on one side of the median)."
        ),
        Rule.TOO_MANY_RUNS: "The data cross the median more often than chance would allow.",
        Rule.ASTRONOMICAL_POINT: (
            "A point that a person has marked as obviously different from all the others. "
            "The system never decides this by itself."
        ),
    },
)

SHEWHART = RuleSet(
    name=RuleSetName.SHEWHART,
    title="Shewhart control chart rules (IHI/Provost)",
    description=(
        "The control chart rules taught by IHI (Provost and Murray) for an XmR chart: the line in "
        "the middle is the average (mean), with upper and lower control limits."
    ),
    centre_line=CentreLine.MEAN,
    detectors=(
        _ignoring_flags(rules.beyond_limits),
        _ignoring_flags(partial(rules.shifts, length=8, skip_centre=True)),
        _ignoring_flags(partial(rules.trends, length=6, ties_once=True)),
        _ignoring_flags(rules.two_of_three_beyond_two_sigma),
        _ignoring_flags(rules.fifteen_within_one_sigma),
    ),
    rules={
        Rule.POINT_BEYOND_LIMITS: "A point above the upper or below the lower control limit.",
        Rule.SHIFT: (
            "Eight or more points in a row all above, or all below, the average. Points on the "
            "average are skipped."
        ),
        Rule.TREND: (
            "Six or more points in a row each going up, or each going down. Two equal points "
            "next to each other count as one."
        ),
        Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA: (
            "Two out of three points in a row in the outer third of the chart, on the same side."
        ),
        Rule.FIFTEEN_WITHIN_ONE_SIGMA: (
            "Fifteen or more points in a row in the inner third of the chart (within one sigma "
            "of the average): less variation than expected, often a sign the data are mixed."
        ),
    },
)

RULE_SETS: dict[RuleSetName, RuleSet] = {
    rule_set.name: rule_set for rule_set in (MDC, IHI_RUN_CHART, SHEWHART)
}
DEFAULT_RULE_SET = RuleSetName.MDC
