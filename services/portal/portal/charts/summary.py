"""What the chart shows, in plain English: what changed, and whether the target will be met."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from portal.charts.model import Assurance, Direction, MeasureChart, Nature, Rule, Signal
from portal.charts.patterns import is_current, points_by_id, side_of, stretches_of
from portal.charts.words import Wording, join, with_explanations

MOST_FINDINGS = 4  # say this many of the latest patterns; the table lists every point
MOST_DATES = 4


@dataclass(frozen=True, slots=True)
class Finding:
    """One pattern to tell people about: a signal, or points beyond the same limit together."""

    rule: Rule
    nature: Nature
    side: int
    signals: tuple[Signal, ...]
    current: bool

    @property
    def first_on(self) -> date:
        return self.signals[0].first_point_on

    @property
    def last_on(self) -> date:
        return self.signals[-1].last_point_on

    @property
    def size(self) -> int:
        return len(self.signals[0].point_ids)


def summarise(chart: MeasureChart, wording: Wording) -> str:
    return " ".join(with_explanations(summary_sentences(chart, wording)))


def summary_sentences(chart: MeasureChart, wording: Wording) -> list[str]:
    """The summary before its terms are explained (the chart's description reuses it)."""
    if not chart.points:
        return ["There are no values yet, so the chart cannot show any change.",
                *gap_sentences(chart, wording)]
    findings = findings_of(chart)
    sentences = recalculation_sentences(chart, wording)
    if len(findings) > MOST_FINDINGS:
        earlier = len(findings) - MOST_FINDINGS
        findings = sorted(sorted(findings, key=lambda f: f.last_on)[earlier:],
                          key=lambda f: f.first_on)
        patterns = "pattern" if earlier == 1 else "patterns"
        sentences.append(f"There {'is' if earlier == 1 else 'are'} {earlier} other unusual "
                         f"{patterns} earlier on the chart; the table lists every point.")
    sentences += [finding_sentence(f, chart, wording) for f in findings] or [
        steady_sentence(chart, wording)]
    target = assurance_sentence(chart, wording)
    return [*sentences, *([target] if target else []), *gap_sentences(chart, wording)]


def gap_sentences(chart: MeasureChart, wording: Wording) -> list[str]:
    """Where the chart has no value, and why: one sentence for each reason given."""
    by_reason: dict[str, list[date]] = {}
    for gap in chart.gaps:
        by_reason.setdefault(gap.note.strip(), []).append(gap.on)
    sentences = []
    for reason, days in by_reason.items():
        if len(days) == 1:
            said = f"There is no value for {wording.day(days[0])}."
        elif len(days) <= MOST_DATES:
            said = f"There are no values for {join([wording.day(d) for d in days])}."
        else:
            said = (f"There are no values for {len(days)} {'months' if chart.monthly else 'dates'} "
                    f"from {wording.day(days[0])} to {wording.day(days[-1])}.")
        if reason:
            said += f" {reason}" if reason.endswith((".", "!", "?")) else f" {reason}."
        sentences.append(said)
    return sentences


def findings_of(chart: MeasureChart) -> list[Finding]:
    """Signals in date order; points beyond the same limit, with the same news, go together."""
    points = points_by_id(chart)
    groups: dict[tuple[Rule, int, Nature, int], list[Signal]] = {}
    for n, signal in enumerate(chart.signals):
        side = side_of(signal, points)
        alone = -1 if signal.rule is Rule.POINT_BEYOND_LIMITS else n
        groups.setdefault((signal.rule, side, signal.nature, alone), []).append(signal)
    findings = [
        Finding(rule, nature, side, tuple(signals),
                current=any(is_current(s, chart) for s in signals))
        for (rule, side, nature, _), signals in groups.items()
    ]
    return sorted(findings, key=lambda f: f.first_on)


def recalculation_sentences(chart: MeasureChart, wording: Wording) -> list[str]:
    """Where the lines were worked out again, and how far the centre line moved."""
    clauses: list[str] = []
    for start, _ in stretches_of(chart)[1:]:
        before, after = chart.points[start - 1].centre, chart.points[start].centre
        moved = ""
        if before is not None and after is not None and before != after:
            line = "it" if clauses else ("the median" if chart.is_run_chart else "the average")
            moved = f", when {line} went from {wording.line(before)} to {wording.line(after)}"
        clauses.append(f"from {wording.day(chart.points[start].on)}{moved}")
    if not clauses:
        return []
    if chart.is_run_chart:
        lines = "The median was"
    else:
        lines = "The average and process limits were" if chart.has_limits else "The average was"
    joined = ", and ".join(clauses) if any(", when" in c for c in clauses) else join(clauses)
    return [f"{lines} recalculated {joined}."]


def steady_sentence(chart: MeasureChart, wording: Wording) -> str:
    latest = chart.points[-1]
    if latest.centre is None:
        return "There are not enough values yet to see a pattern."
    centre = wording.line(latest.centre)
    if chart.is_run_chart:
        return (f"The values vary around the median of {centre} with no unusual pattern: no long "
                "run on one side of it, no steady rise or fall, and no sign of too few or too "
                "many crossings.")
    nots = ["no long run on one side of the average", "no steady rise or fall"]
    if latest.upper_limit is not None:
        nots.append("no value outside the process limits")
    return (f"The values vary by chance around the average of {centre}, with no unusual "
            f"pattern: {join(nots)}.")


@dataclass(frozen=True, slots=True)
class Telling:
    """What every sentence about one finding needs to know."""

    finding: Finding
    chart: MeasureChart
    wording: Wording

    @property
    def span(self) -> str:
        f, day = self.finding, self.wording.day
        return f"From {day(f.first_on)} to {day(f.last_on)}"

    @property
    def when(self) -> str:
        """"Since 3 March" while it goes on, else "From 3 March to 5 May"."""
        return f"Since {self.wording.day(self.finding.first_on)}" if self.finding.current else (
            self.span)

    def past_or_present(self, past: str, present: str) -> str:
        return present if self.finding.current else past

    @property
    def high(self) -> bool:
        return self.finding.side > 0

    @property
    def centre(self) -> str:
        return "the median" if self.chart.is_run_chart else "the average"

    @property
    def values(self) -> list[float]:
        points = points_by_id(self.chart)
        return [points[i].value for s in self.finding.signals for i in s.point_ids if i in points]

    @property
    def verdict(self) -> str:
        f, verb = self.finding, self.past_or_present("was", "is")
        if f.nature is Nature.IMPROVEMENT:
            return f"this {verb} an improvement"
        if f.nature is Nature.CONCERN:
            return f"this {verb} a concern"
        if f.side == 0 or self.chart.direction is not Direction.NEITHER:
            return f"this {verb} worth looking into"
        return f"this {verb} a real change, neither better nor worse"


def finding_sentence(finding: Finding, chart: MeasureChart, wording: Wording) -> str:
    telling = Telling(finding, chart, wording)
    return SENTENCES.get(finding.rule, _other)(telling)


def _shift(t: Telling) -> str:
    than = "" if _starts_stretch(t.finding.signals[0], t.chart) else " than before"
    return (f"{t.when} the values {t.past_or_present('were', 'have been')} consistently "
            f"{'higher' if t.high else 'lower'}{than} ({t.finding.size} points in a row "
            f"{'above' if t.high else 'below'} {t.centre}): {t.verdict}.")


def _trend(t: Telling) -> str:
    return (f"{t.when} the values {t.past_or_present('kept', 'have kept')} "
            f"{'rising' if t.high else 'falling'} ({t.finding.size} points in a row going "
            f"{'up' if t.high else 'down'}): {t.verdict}.")


def _beyond(t: Telling) -> str:
    f = t.finding
    where = ("above the upper process limit" if f.side > 0
             else "below the lower process limit" if f.side < 0
             else "outside the process limits")
    days = [t.wording.day(s.first_point_on) for s in f.signals]
    if len(days) == 1:
        value = t.wording.value(t.values[0])
        if f.current:
            return (f"The latest value, {value} {t.wording.at.lower()} {days[0]}, is {where}: "
                    f"{t.verdict}.")
        return f"{t.wording.at} {days[0]} the value was {value}, {where}: {t.verdict}."
    if len(days) <= MOST_DATES:
        return f"{t.wording.at} {join(days)} the values were {where}: {t.verdict}."
    return f"{len(days)} values from {days[0]} to {days[-1]} were {where}: {t.verdict}."


def _two_of_three(t: Telling) -> str:
    day = t.wording.day
    when = t.past_or_present(f"Between {day(t.finding.first_on)} and {day(t.finding.last_on)}",
                             f"Since {day(t.finding.first_on)}")
    return (f"{when}, two out of three values in a row {t.past_or_present('were', 'have been')} "
            f"close to the {'upper' if t.high else 'lower'} process limit: {t.verdict}.")


def _hugging(t: Telling) -> str:
    return (f"{t.when} the values {t.past_or_present('stayed', 'have stayed')} unusually close "
            f"to {t.centre} ({t.finding.size} points in a row): {t.verdict}, as it often means "
            "the data mix different groups.")


def _too_few_runs(t: Telling) -> str:
    return (f"{t.span} the values stayed on one side of the median for longer stretches than "
            f"chance would allow: {t.verdict}.")


def _too_many_runs(t: Telling) -> str:
    return (f"{t.span} the values crossed the median more often than chance would allow, "
            f"zig-zagging up and down: {t.verdict}.")


def _astronomical(t: Telling) -> str:
    return (f"{t.wording.at} {t.wording.day(t.finding.first_on)} the value was "
            f"{t.wording.value(t.values[0])}, marked as obviously unlike all the others: "
            f"{t.verdict}.")


def _other(t: Telling) -> str:
    """A rule added to the API after this was written: say it in the API's own words."""
    what = t.finding.signals[0].description.strip().rstrip(".") or "found by the chart's rules"
    return f"{t.span} there is an unusual pattern ({what[:1].lower()}{what[1:]}): {t.verdict}."


SENTENCES: dict[Rule, Callable[[Telling], str]] = {
    Rule.SHIFT: _shift,
    Rule.TREND: _trend,
    Rule.POINT_BEYOND_LIMITS: _beyond,
    Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA: _two_of_three,
    Rule.FIFTEEN_WITHIN_ONE_SIGMA: _hugging,
    Rule.TOO_FEW_RUNS: _too_few_runs,
    Rule.TOO_MANY_RUNS: _too_many_runs,
    Rule.ASTRONOMICAL_POINT: _astronomical,
}


def _starts_stretch(signal: Signal, chart: MeasureChart) -> bool:
    starts = {chart.points[start].point_id for start, _ in stretches_of(chart)}
    return signal.point_ids[0] in starts


def assurance_sentence(chart: MeasureChart, wording: Wording) -> str | None:
    """Whether the target will be met at the current level; None when there is no target."""
    if chart.target is None or not chart.points:
        return None
    target = f"the target of {wording.value(chart.target)}"
    latest = chart.points[-1]
    if chart.assurance is None or latest.upper_limit is None or latest.lower_limit is None:
        if chart.is_run_chart:
            return (f"A run chart has no process limits, so it cannot show whether {target} "
                    "will be met.")
        return f"There are not enough values yet to show whether {target} will be met."
    limits = f"{wording.line(latest.lower_limit)} and {wording.line(latest.upper_limit)}"
    up = chart.direction is Direction.UP
    if chart.assurance is Assurance.CONSISTENTLY_PASSING:
        side = "above" if up else "below"
        return (f"At the current level {target} is met every time: both process limits "
                f"({limits}) are {side} it.")
    if chart.assurance is Assurance.CONSISTENTLY_FAILING:
        side = "below" if up else "above"
        return (f"At the current level {target} will not be met without a change in the "
                f"process: both process limits ({limits}) are {side} it.")
    return (f"At the current level {target} will be met some times and not others: it lies "
            f"between the process limits ({limits}).")
