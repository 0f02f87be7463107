"""The chart's title and its longer description, read out by screen readers."""

from __future__ import annotations

from portal.charts.model import Direction, MeasureChart, RuleSetName
from portal.charts.summary import summary_sentences
from portal.charts.words import Wording, full_date, month_words, with_explanations

RULE_SET_WORDS = {
    RuleSetName.MDC: "the NHS England Making Data Count rules",
    RuleSetName.IHI_RUN_CHART: "the IHI run chart rules",
    RuleSetName.SHEWHART: "the Shewhart control chart rules",
}
BETTER = {Direction.UP: "Higher is better.", Direction.DOWN: "Lower is better."}


def title_of(chart: MeasureChart) -> str:
    name = chart.name or "Measure"
    if not chart.points:
        return f"{name}: no values yet"
    count = len(chart.points)
    values = "1 value" if count == 1 else f"{count} values"
    written = month_words if chart.monthly else full_date
    return (f"{name}: {values} from {written(chart.points[0].on)} "
            f"to {written(chart.points[-1].on)}")


def description_of(chart: MeasureChart, wording: Wording) -> str:
    """What kind of chart it is, its lines, then the summary and the API's notes."""
    kind = "A run chart" if chart.is_run_chart else "A control chart (XmR chart)"
    about = f" of {chart.name}" if chart.name else ""
    unit = f", in {chart.unit}" if chart.unit else ""
    rules = f", read by {RULE_SET_WORDS[chart.rule_set]}" if chart.rule_set else ""
    sentences = [f"{kind}{about}{unit}{rules}."]
    if chart.direction in BETTER:
        sentences.append(BETTER[chart.direction])
    sentences += _lines(chart, wording)
    if chart.target is not None:
        sentences.append(f"The target is {wording.value(chart.target)}.")
    sentences += summary_sentences(chart, wording)
    sentences += chart.notes
    return " ".join(with_explanations(sentences))


def _lines(chart: MeasureChart, wording: Wording) -> list[str]:
    if not chart.points or chart.points[-1].centre is None:
        return []
    latest = chart.points[-1]
    now = "now " if any(p.centre != latest.centre for p in chart.points) else ""
    if chart.is_run_chart:
        return [f"The median is {now}{wording.line(latest.centre)}."]
    average = f"The average is {now}{wording.line(latest.centre)}"
    if latest.lower_limit is None or latest.upper_limit is None:
        return [f"{average}; there are not enough values yet for process limits."]
    return [f"{average} and the process limits are {wording.line(latest.lower_limit)} "
            f"and {wording.line(latest.upper_limit)}."]
