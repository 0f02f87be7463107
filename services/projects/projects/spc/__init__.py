"""Statistical process control for measures: XmR charts and signals by named rule sets. Pure, no I/O."""

from projects.spc.chart import ChartInputError, assurance_of, build_chart, nature_of
from projects.spc.model import (
    Assurance,
    CentreLine,
    Chart,
    ChartPoint,
    Direction,
    Nature,
    Observation,
    Rule,
    RuleSetName,
    Segment,
    Signal,
)
from projects.spc.rulesets import DEFAULT_RULE_SET, RULE_SETS, RuleSet

__all__ = [
    "DEFAULT_RULE_SET",
    "RULE_SETS",
    "Assurance",
    "CentreLine",
    "Chart",
    "ChartInputError",
    "ChartPoint",
    "Direction",
    "Nature",
    "Observation",
    "Rule",
    "RuleSet",
    "RuleSetName",
    "Segment",
    "Signal",
    "assurance_of",
    "build_chart",
    "nature_of",
]
