"""The demo history's plan holds together in every month it may be run: nobody is named before
membership's seed has them join, and each weekly measure shows exactly one improvement, in the
month the plan says, whichever weekday that month starts on."""

from datetime import UTC, date, datetime, timedelta

import pytest
from projects import demo
from projects import seed_history as history
from projects.domain import signals_to_announce
from projects.spc import Observation, RuleSetName, build_chart
from servicekit.identity import Principal

# Seven years of months start on every weekday, and include a leap February.
CALENDARS = [
    history.Calendar(date(year, month, 1)) for year in range(2026, 2033) for month in range(1, 13)
]
HEROES = {demo.member(who): number for number, who in history.H.items()}


def named(plan: history.HistoryProject, calendar: history.Calendar) -> list[tuple[Principal, datetime]]:
    """Everyone a project names, with the moment it first acts for or with them."""
    found = [(plan.lead, calendar.at(plan.proposed, 10))]
    found += [(who, calendar.at(when, 11)) for when, who, _ in plan.team]
    found += [
        (cycle.led_by, calendar.at(cycle.completed, 16) - timedelta(days=8, hours=7))
        for cycle in plan.cycles
    ]
    return found


@pytest.mark.parametrize("plan", history.HISTORY, ids=lambda plan: plan.slug)
def test_no_history_hero_is_named_before_they_join(plan: history.HistoryProject) -> None:
    calendar = history.Calendar(date(2026, 12, 1))
    early = [
        (HEROES[demo.member(who)], moment)
        for who, moment in named(plan, calendar)
        if demo.member(who) in HEROES
        and moment < history.joined(HEROES[demo.member(who)], calendar)
    ]
    assert early == []


def announced(measure: history.WeeklyMeasure, calendar: history.Calendar) -> list[tuple[str, str, int]]:
    """(rule, nature, week) of each signal, announced as the weeks are recorded one by one."""
    weeks = measure.weeks(calendar)
    seen: set[tuple[str, str, date, str]] = set()
    found = []
    for last in range(len(weeks)):
        chart = build_chart(
            [Observation(str(i), on, value) for i, (on, value) in enumerate(weeks[: last + 1])],
            rule_set=RuleSetName.MDC,
            direction=measure.direction,
        )
        for signal in signals_to_announce(chart.signals, seen):
            seen.add(signal.identity)
            found.append((signal.rule.value, signal.nature.value, last))
    return found


MEASURED = [plan for plan in history.HISTORY if plan.measure is not None]


@pytest.mark.parametrize("plan", MEASURED, ids=lambda plan: plan.slug)
def test_each_measure_shows_one_improvement_in_its_month(plan: history.HistoryProject) -> None:
    measure = plan.measure
    assert measure is not None
    for calendar in CALENDARS:
        weeks = measure.weeks(calendar)
        assert announced(measure, calendar) == [("shift", "improvement", 16)]
        signal_on = weeks[16][0]
        assert signal_on.replace(day=1) == calendar.day(measure.signal_months_ago, 1)
        # Recorded week by week (after the measure was defined), and all before this month.
        assert signal_on > calendar.at(measure.defined, 11).date()
        assert datetime.combine(weeks[-1][0], datetime.min.time(), UTC) < calendar.at((0, 1), 0)
