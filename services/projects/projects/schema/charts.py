"""Charts ready for a portal to draw: points with their lines, segments, signals and assurance."""

from __future__ import annotations

from datetime import date

import strawberry

from projects import spc
from projects.schema.enums import Assurance, CentreLine, RuleSetName, SignalNature, SignalRule


@strawberry.type(
    description="A signal: a pattern in the data unlikely to be chance, found by a named rule."
)
class Signal:
    rule_set: RuleSetName = strawberry.field(description="The rule set that found it.")
    rule: SignalRule = strawberry.field(description="The rule that found it.")
    description: str = strawberry.field(description="What the rule looks for, in plain words.")
    nature: SignalNature = strawberry.field(
        description="Good news, bad news or neither, given the direction."
    )
    point_ids: list[strawberry.ID] = strawberry.field(
        description="The data points that make up the signal."
    )
    first_point_on: date = strawberry.field(description="Date of the first point in the signal.")
    last_point_on: date = strawberry.field(description="Date of the last point in the signal.")

    @classmethod
    def from_spc(cls, signal: spc.Signal) -> Signal:
        return cls(
            rule_set=signal.rule_set,
            rule=signal.rule,
            description=spc.RULE_SETS[signal.rule_set].rules[signal.rule],
            nature=signal.nature,
            point_ids=[strawberry.ID(key) for key in signal.point_keys],
            first_point_on=signal.first_point_on,
            last_point_on=signal.last_point_on,
        )


@strawberry.type(
    description=(
        "A stretch of the chart with its own centre line and limits. A chart is split into segments where the "
        "team chose to recalculate ('rebase') the limits, for example after a change was made."
    )
)
class ChartSegment:
    starts_on: date = strawberry.field(description="Date of the segment's first point.")
    ends_on: date = strawberry.field(description="Date of the segment's last point.")
    point_count: int = strawberry.field(description="How many points the segment has.")
    centre: float | None = strawberry.field(
        description="The centre line: the mean, or the median on a run chart."
    )
    mean_moving_range: float | None = strawberry.field(
        description="The average gap between one point and the next (control charts only)."
    )
    sigma: float | None = strawberry.field(
        description="One sigma: a third of the distance from the mean to a process limit (control charts only)."
    )
    upper_limit: float | None = strawberry.field(
        description="Upper process limit: mean + 2.66 x mean moving range. Points above it are unusual."
    )
    lower_limit: float | None = strawberry.field(
        description="Lower process limit: mean - 2.66 x mean moving range. Points below it are unusual."
    )
    provisional: bool = strawberry.field(
        description="True when the limits rest on fewer than 15 points."
    )


@strawberry.type(
    description="One point of a chart with the lines around it, so a portal can draw steps."
)
class ChartPoint:
    point_id: strawberry.ID = strawberry.field(description="The data point's id.")
    on: date = strawberry.field(description="The date the value belongs to.")
    value: float = strawberry.field(description="The value.")
    moving_range: float | None = strawberry.field(
        description="The gap from the previous point; null for the first point of a segment."
    )
    centre: float | None = strawberry.field(description="The centre line at this point.")
    upper_limit: float | None = strawberry.field(
        description="The upper process limit at this point."
    )
    lower_limit: float | None = strawberry.field(
        description="The lower process limit at this point."
    )
    upper_two_sigma: float | None = strawberry.field(description="Two sigma above the mean.")
    lower_two_sigma: float | None = strawberry.field(description="Two sigma below the mean.")
    upper_one_sigma: float | None = strawberry.field(description="One sigma above the mean.")
    lower_one_sigma: float | None = strawberry.field(description="One sigma below the mean.")
    special_cause: SignalNature | None = strawberry.field(
        description=(
            "Null when the point is in no signal (ordinary, 'common cause' variation); otherwise "
            "whether its signals are an improvement, a concern (concern wins if both) or neither."
        )
    )


@strawberry.type(
    description="A measure's chart by one rule set: an XmR control chart, or a run chart."
)
class Chart:
    rule_set: RuleSetName = strawberry.field(description="The rule set used.")
    centre_line: CentreLine = strawberry.field(
        description="Whether the centre line is the mean or the median."
    )
    points: list[ChartPoint] = strawberry.field(description="Every point in date order.")
    segments: list[ChartSegment] = strawberry.field(
        description="The chart's segments, oldest first."
    )
    signals: list[Signal] = strawberry.field(
        description="Every signal the rule set finds, in date order."
    )
    assurance: Assurance | None = strawberry.field(
        description="Whether the target will be met, from the latest limits; null without a target or limits."
    )
    limits_provisional: bool = strawberry.field(
        description="True when the latest limits rest on fewer than 15 points, so treat them with care."
    )
    notes: list[str] = strawberry.field(description="Plain-English notes for reading this chart.")

    @classmethod
    def from_spc(cls, chart: spc.Chart) -> Chart:
        natures: dict[str, set[spc.Nature]] = {}
        for signal in chart.signals:
            for key in signal.point_keys:
                natures.setdefault(key, set()).add(signal.nature)
        return cls(
            rule_set=chart.rule_set,
            centre_line=chart.centre_line,
            points=[_point(p, chart.segments[p.segment], natures.get(p.key)) for p in chart.points],
            segments=[_segment(s, chart) for s in chart.segments],
            signals=[Signal.from_spc(s) for s in chart.signals],
            assurance=chart.assurance,
            limits_provisional=chart.limits_provisional,
            notes=list(chart.notes),
        )


def _special_cause(natures: set[spc.Nature] | None) -> spc.Nature | None:
    if not natures:
        return None
    for nature in (spc.Nature.CONCERN, spc.Nature.IMPROVEMENT):
        if nature in natures:
            return nature
    return spc.Nature.NEITHER


def _point(
    point: spc.ChartPoint, segment: spc.Segment, natures: set[spc.Nature] | None
) -> ChartPoint:
    return ChartPoint(
        point_id=strawberry.ID(point.key),
        on=point.on,
        value=point.value,
        moving_range=point.moving_range,
        centre=segment.centre,
        upper_limit=segment.upper_limit,
        lower_limit=segment.lower_limit,
        upper_two_sigma=segment.line(2),
        lower_two_sigma=segment.line(-2),
        upper_one_sigma=segment.line(1),
        lower_one_sigma=segment.line(-1),
        special_cause=_special_cause(natures),
    )


def _segment(segment: spc.Segment, chart: spc.Chart) -> ChartSegment:
    return ChartSegment(
        starts_on=chart.points[segment.start].on,
        ends_on=chart.points[segment.end - 1].on,
        point_count=segment.size,
        centre=segment.centre,
        mean_moving_range=segment.mean_moving_range,
        sigma=segment.sigma,
        upper_limit=segment.upper_limit,
        lower_limit=segment.lower_limit,
        provisional=segment.provisional,
    )


@strawberry.type(description="One rule of a rule set, in plain words.")
class RuleDescription:
    rule: SignalRule = strawberry.field(description="The rule.")
    description: str = strawberry.field(description="What it looks for.")


@strawberry.type(description="A rule set for reading charts, in plain words.")
class RuleSetDescription:
    name: RuleSetName = strawberry.field(description="The rule set.")
    title: str = strawberry.field(description="Its usual name.")
    description: str = strawberry.field(description="What kind of chart it reads, in plain words.")
    centre_line: CentreLine = strawberry.field(description="The centre line its charts use.")
    rules: list[RuleDescription] = strawberry.field(description="Its rules.")

    @classmethod
    def from_spc(cls, rule_set: spc.RuleSet) -> RuleSetDescription:
        return cls(
            name=rule_set.name,
            title=rule_set.title,
            description=rule_set.description,
            centre_line=rule_set.centre_line,
            rules=[
                RuleDescription(rule=rule, description=text)
                for rule, text in rule_set.rules.items()
            ],
        )
