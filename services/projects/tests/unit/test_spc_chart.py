"""Whole charts by rule set, with the arithmetic done by hand in the comments."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from projects.spc import (
    Assurance,
    ChartInputError,
    Direction,
    Nature,
    Rule,
    RuleSetName,
    Signal,
    assurance_of,
    build_chart,
)
from projects.spc.xmr import xmr_segment

from .spc_helpers import day, keys, series

# Falls per week on a ward (lower is better): a bad week (40), then a change at week 10.
# Sum of the 17 values = 221 + 95 = 316, mean 316 / 17 = 18.588.
# Moving ranges 1 2 1 20 20 1 2 1 1 7 1 1 1 1 1 1 sum to 62, mean 62 / 16 = 3.875.
# Limits 18.588 +/- 2.66 x 3.875 = 28.896 / 8.281; sigma 3.436.
FALLS = [20, 21, 19, 20, 40, 20, 21, 19, 20, 21, 14, 13, 14, 13, 14, 13, 14]


def signal(rule_set: RuleSetName, rule: Rule, nature: Nature, *indices: int) -> Signal:
    return Signal(rule_set, rule, nature, keys(*indices), day(indices[0]), day(indices[-1]))


class TestMakingDataCount:
    def test_one_series_can_hold_both_concern_and_improvement(self) -> None:
        chart = build_chart(series(FALLS), rule_set=RuleSetName.MDC, direction=Direction.DOWN)

        mdc = RuleSetName.MDC
        assert chart.signals == (
            signal(mdc, Rule.SHIFT, Nature.CONCERN, *range(10)),  # ten weeks above 18.588
            signal(mdc, Rule.POINT_BEYOND_LIMITS, Nature.CONCERN, 4),  # 40 > 28.896
            signal(mdc, Rule.SHIFT, Nature.IMPROVEMENT, *range(10, 17)),  # seven below
        )
        assert not chart.limits_provisional
        assert chart.notes == ()

    def test_two_of_three_near_the_upper_limit(self) -> None:
        # 10 x 10, then 10 14 10 14 ... : mean of 10 10 10 10 10 10 10 10 10 10 16 10 16 is 136/13
        # = 10.4615; moving ranges 0 x 9 then 6 6 6 -> 18/12 = 1.5; sigma 1.33, 2-sigma line
        # 13.1215, limit 14.4515. 16 is beyond the limit and both 16s are beyond 2 sigma.
        values = [10] * 10 + [16, 10, 16]
        chart = build_chart(series(values), rule_set=RuleSetName.MDC, direction=Direction.UP)

        mdc = RuleSetName.MDC
        assert chart.signals == (
            signal(mdc, Rule.SHIFT, Nature.CONCERN, *range(10)),  # ten points below 10.4615
            signal(mdc, Rule.POINT_BEYOND_LIMITS, Nature.IMPROVEMENT, 10),
            signal(mdc, Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA, Nature.IMPROVEMENT, 10, 12),
            signal(mdc, Rule.POINT_BEYOND_LIMITS, Nature.IMPROVEMENT, 12),
        )
        assert chart.limits_provisional  # 13 points

    def test_a_seven_point_trend(self) -> None:
        # 1..7: mean 4, moving ranges all 1, so limits 4 +/- 2.66 (1.34, 6.66) and 2-sigma
        # lines 4 +/- 1.7733 (2.2267, 5.7733). 1 and 7 are beyond the limits; 1, 2 and 6, 7
        # are two-of-three beyond 2 sigma; and all seven rise.
        chart = build_chart(
            series([1, 2, 3, 4, 5, 6, 7]), rule_set=RuleSetName.MDC, direction=Direction.UP
        )

        rules = [(s.rule, s.nature, s.point_keys) for s in chart.signals]
        assert rules == [
            (Rule.POINT_BEYOND_LIMITS, Nature.CONCERN, keys(0)),
            (Rule.TREND, Nature.IMPROVEMENT, keys(*range(7))),
            (Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA, Nature.CONCERN, keys(0, 1)),
            (Rule.TWO_OF_THREE_BEYOND_TWO_SIGMA, Nature.IMPROVEMENT, keys(5, 6)),
            (Rule.POINT_BEYOND_LIMITS, Nature.IMPROVEMENT, keys(6)),
        ]

    def test_direction_neither_makes_every_signal_neither(self) -> None:
        chart = build_chart(series(FALLS), rule_set=RuleSetName.MDC, direction=Direction.NEITHER)

        assert [s.nature for s in chart.signals] == [Nature.NEITHER] * 3

    def test_fewer_than_fifteen_points_are_provisional_and_say_so(self) -> None:
        chart = build_chart(
            series([5, 6, 5, 6, 5]), rule_set=RuleSetName.MDC, direction=Direction.UP
        )

        assert chart.limits_provisional
        assert chart.notes == (
            "The limits are provisional: they rest on 5 points, fewer than 15. "
            "Read any signals with care until there is more data.",
        )

    def test_an_empty_series_is_an_empty_chart(self) -> None:
        chart = build_chart([], rule_set=RuleSetName.MDC, direction=Direction.UP)
        assert (chart.points, chart.segments, chart.signals) == ((), (), ())
        assert chart.notes == ("There are no data points yet.",)

    def test_points_are_charted_in_date_order_whatever_order_they_come_in(self) -> None:
        chart = build_chart(
            list(reversed(series([1, 2, 3]))), rule_set=RuleSetName.MDC, direction=Direction.UP
        )
        assert [p.key for p in chart.points] == ["p0", "p1", "p2"]
        assert [p.moving_range for p in chart.points] == [None, 1, 1]


class TestIhiRunChart:
    def test_shift_runs_and_median_points(self) -> None:
        # Median 19. Weeks 2 and 7 sit on it and are skipped: eight useful points above it
        # (a shift of six or more), then seven below. 15 useful points make 2 runs; the
        # table says fewer than 5 runs is too few.
        chart = build_chart(
            series(FALLS), rule_set=RuleSetName.IHI_RUN_CHART, direction=Direction.DOWN
        )

        ihi = RuleSetName.IHI_RUN_CHART
        assert chart.segments[0].centre == 19
        assert chart.signals == (
            signal(ihi, Rule.SHIFT, Nature.CONCERN, 0, 1, 3, 4, 5, 6, 8, 9),
            signal(ihi, Rule.TOO_FEW_RUNS, Nature.NEITHER, *range(17)),
            signal(ihi, Rule.SHIFT, Nature.IMPROVEMENT, *range(10, 17)),
        )
        assert chart.assurance is None

    def test_trend_of_five_with_equal_neighbours_counted_once(self) -> None:
        chart = build_chart(
            series([5, 6, 6, 7, 8, 9]), rule_set=RuleSetName.IHI_RUN_CHART, direction=Direction.UP
        )

        trends = [s for s in chart.signals if s.rule is Rule.TREND]
        assert trends == [
            signal(RuleSetName.IHI_RUN_CHART, Rule.TREND, Nature.IMPROVEMENT, *range(6))
        ]

    def test_astronomical_points_come_only_from_a_person(self) -> None:
        unflagged = build_chart(
            series([5, 6, 5, 60, 6]), rule_set=RuleSetName.IHI_RUN_CHART, direction=Direction.UP
        )
        flagged = build_chart(
            series([5, 6, 5, 60, 6], astronomical=[3]),
            rule_set=RuleSetName.IHI_RUN_CHART,
            direction=Direction.UP,
        )

        assert unflagged.signals == ()
        assert flagged.signals == (
            signal(RuleSetName.IHI_RUN_CHART, Rule.ASTRONOMICAL_POINT, Nature.IMPROVEMENT, 3),
        )

    def test_too_few_useful_points_for_the_runs_table_is_said_plainly(self) -> None:
        chart = build_chart(
            series([1, 2, 3]), rule_set=RuleSetName.IHI_RUN_CHART, direction=Direction.UP
        )
        assert chart.notes == (
            "Too few or too many runs can only be checked with 10 to 60 points that are not on "
            "the median; the latest part of this chart has 2.",
        )


class TestShewhart:
    def test_eight_point_shift_and_limits(self) -> None:
        # Same data as Making Data Count: ten points above the mean are a shift of eight or
        # more; seven below are not.
        chart = build_chart(series(FALLS), rule_set=RuleSetName.SHEWHART, direction=Direction.DOWN)

        sh = RuleSetName.SHEWHART
        assert chart.signals == (
            signal(sh, Rule.SHIFT, Nature.CONCERN, *range(10)),
            signal(sh, Rule.POINT_BEYOND_LIMITS, Nature.CONCERN, 4),
        )

    def test_six_point_trend(self) -> None:
        chart = build_chart(
            series([10, 11, 11, 12, 13, 14, 15] + [12] * 3),
            rule_set=RuleSetName.SHEWHART,
            direction=Direction.DOWN,
        )
        trends = [s for s in chart.signals if s.rule is Rule.TREND]
        assert trends == [signal(RuleSetName.SHEWHART, Rule.TREND, Nature.CONCERN, *range(7))]

    def test_fifteen_points_hugging_the_mean(self) -> None:
        # 0 and 20 at the ends make big moving ranges (sigma large); 15 points of 10 or 11
        # sit inside one sigma of the mean.
        values = [0, 20] + [10, 11] * 7 + [10] + [20, 0]
        chart = build_chart(series(values), rule_set=RuleSetName.SHEWHART, direction=Direction.UP)
        hugging = [s for s in chart.signals if s.rule is Rule.FIFTEEN_WITHIN_ONE_SIGMA]
        assert hugging == [
            signal(
                RuleSetName.SHEWHART, Rule.FIFTEEN_WITHIN_ONE_SIGMA, Nature.NEITHER, *range(2, 17)
            )
        ]


class TestAssurance:
    LIMITS = xmr_segment([10, 12, 11, 13, 14], 0, 5)  # limits 15.99 and 8.01

    @pytest.mark.parametrize(
        ("direction", "target", "expected"),
        [
            (Direction.UP, 8.0, Assurance.CONSISTENTLY_PASSING),
            (Direction.UP, 16.0, Assurance.CONSISTENTLY_FAILING),
            (Direction.UP, 12.0, Assurance.HIT_AND_MISS),
            (Direction.DOWN, 16.0, Assurance.CONSISTENTLY_PASSING),
            (Direction.DOWN, 8.0, Assurance.CONSISTENTLY_FAILING),
            (Direction.DOWN, 12.0, Assurance.HIT_AND_MISS),
            (Direction.NEITHER, 12.0, None),
            (Direction.UP, None, None),
        ],
    )
    def test_assurance_against_a_target(
        self, direction: Direction, target: float | None, expected: Assurance | None
    ) -> None:
        assert assurance_of(self.LIMITS, direction, target) == expected

    def test_a_target_exactly_on_a_limit_will_be_hit_and_missed(self) -> None:
        assert (
            assurance_of(self.LIMITS, Direction.UP, self.LIMITS.upper_limit)
            is Assurance.HIT_AND_MISS
        )
        assert (
            assurance_of(self.LIMITS, Direction.DOWN, self.LIMITS.lower_limit)
            is Assurance.HIT_AND_MISS
        )

    def test_assurance_uses_the_latest_segment(self) -> None:
        chart = build_chart(
            series([10, 12, 10, 12, 20, 22, 20, 22]),
            rule_set=RuleSetName.MDC,
            direction=Direction.UP,
            target=15,
            rebase_on=[day(4)],
        )
        assert chart.assurance is Assurance.CONSISTENTLY_PASSING  # new limits 15.68 to 26.32


@st.composite
def series_values(draw: st.DrawFn) -> list[float]:
    """A series that sometimes has a step change half way, so signals of both kinds turn up."""
    length = draw(st.integers(min_value=2, max_value=60))
    base = draw(st.floats(min_value=-50, max_value=50, allow_nan=False))
    step = draw(st.sampled_from([0.0, 8.0, -8.0]))
    noise = draw(st.lists(st.floats(min_value=-10, max_value=10, allow_nan=False), min_size=length,
                          max_size=length))
    return [round(base + n + (step if i > length // 2 else 0.0), 2) for i, n in enumerate(noise)]


class TestProperties:
    """Properties over generated series (hypothesis): any length 2 to 60, any level, shifts or not."""

    @given(values=series_values())
    @settings(max_examples=300, deadline=None)
    def test_limits_are_symmetric_around_the_mean(self, values: list[float]) -> None:
        s = xmr_segment(values, 0, len(values))
        upper, lower, centre = s.upper_limit, s.lower_limit, s.centre
        assert upper is not None
        assert lower is not None
        assert centre is not None
        assert upper - centre == pytest.approx(centre - lower, abs=1e-9)
        assert s.line(2) - centre == pytest.approx(centre - s.line(-2), abs=1e-9)  # type: ignore[operator]

    @pytest.mark.parametrize("rule_set", list(RuleSetName))
    @given(values=series_values())
    @settings(max_examples=150, deadline=None)
    def test_reversing_the_direction_swaps_improvement_and_concern(
        self, rule_set: RuleSetName, values: list[float]
    ) -> None:
        swap = {
            Nature.IMPROVEMENT: Nature.CONCERN,
            Nature.CONCERN: Nature.IMPROVEMENT,
            Nature.NEITHER: Nature.NEITHER,
        }
        observations = series(values)
        up = build_chart(observations, rule_set=rule_set, direction=Direction.UP)
        down = build_chart(observations, rule_set=rule_set, direction=Direction.DOWN)
        assert [(s.rule, s.point_keys) for s in up.signals] == [(s.rule, s.point_keys) for s in down.signals]
        assert [swap[s.nature] for s in up.signals] == [s.nature for s in down.signals]


class TestBadInputIsRefused:
    def test_a_direction_given_as_text_is_read_as_that_direction_not_the_other(self) -> None:
        as_text = build_chart(series(FALLS), rule_set="mdc", direction="up")  # type: ignore[arg-type]
        as_member = build_chart(series(FALLS), rule_set=RuleSetName.MDC, direction=Direction.UP)
        assert as_text == as_member
        latest_shift = [s for s in as_text.signals if s.rule is Rule.SHIFT and "p16" in s.point_keys]
        assert [s.nature for s in latest_shift] == [Nature.CONCERN]  # higher is better, so the fall is a concern

    def test_an_unknown_direction_or_rule_set_is_refused_by_name(self) -> None:
        with pytest.raises(ChartInputError, match="Unknown direction 'upwards': use one of 'up', 'down'"):
            build_chart(series(FALLS), rule_set=RuleSetName.MDC, direction="upwards")  # type: ignore[arg-type]
        with pytest.raises(ChartInputError, match="Unknown rule set 'western_electric'"):
            build_chart(series(FALLS), rule_set="western_electric", direction=Direction.UP)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
    def test_a_value_or_target_that_is_not_a_finite_number_is_refused(self, bad: float) -> None:
        with pytest.raises(ChartInputError, match=r"point p3 \((nan|inf|-inf)\) is not a finite number"):
            build_chart(series([1, 2, 3, bad, 5]), rule_set=RuleSetName.MDC, direction=Direction.UP)
        with pytest.raises(ChartInputError, match=r"target .* is not a finite number"):
            build_chart(series(FALLS), rule_set=RuleSetName.MDC, direction=Direction.UP, target=bad)


class TestTiesAtTheEndOfATrend:
    def test_the_last_equal_value_is_part_of_the_trend(self) -> None:
        chart = build_chart(series([0, 1, 3, 5, 6, 6]), rule_set=RuleSetName.IHI_RUN_CHART, direction=Direction.UP)
        trends = [signal for signal in chart.signals if signal.rule is Rule.TREND]
        assert trends == [signal(RuleSetName.IHI_RUN_CHART, Rule.TREND, Nature.IMPROVEMENT, 0, 1, 2, 3, 4, 5)]
