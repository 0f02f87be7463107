"""XmR arithmetic and rebasing, checked against sums done by hand."""

import pytest
from projects.spc import CentreLine, Direction, RuleSetName, build_chart
from projects.spc.xmr import moving_ranges, segment_bounds, xmr_segment

from .spc_helpers import day, series


class TestXmrArithmetic:
    def test_mean_moving_range_limits_and_sigma_lines(self) -> None:
        # 10 12 11 13 14: mean 60/5 = 12; moving ranges 2 1 2 1, mean 1.5;
        # limits 12 +/- 2.66 x 1.5 = 15.99 / 8.01; sigma = 2.66 x 1.5 / 3 = 1.33.
        s = xmr_segment([10, 12, 11, 13, 14], 0, 5)

        assert s.centre == pytest.approx(12)
        assert s.mean_moving_range == pytest.approx(1.5)
        assert (s.upper_limit, s.lower_limit) == pytest.approx((15.99, 8.01))
        assert s.sigma == pytest.approx(1.33)
        assert (s.line(2), s.line(-2)) == pytest.approx((14.66, 9.34))
        assert (s.line(1), s.line(-1)) == pytest.approx((13.33, 10.67))

    def test_limits_are_symmetric_and_sigma_is_a_third_of_the_distance(self) -> None:
        s = xmr_segment([3, 9, 4, 8, 5], 0, 5)
        upper, lower, centre = s.upper_limit, s.lower_limit, s.centre
        assert upper is not None
        assert lower is not None
        assert centre is not None
        assert upper - centre == pytest.approx(centre - lower)
        assert s.sigma == pytest.approx((upper - centre) / 3)

    def test_fewer_than_fifteen_points_give_provisional_limits(self) -> None:
        assert xmr_segment([1.0, 2.0] * 7, 0, 14).provisional
        assert not xmr_segment([1.0, 2.0] * 7 + [1.0], 0, 15).provisional

    def test_one_point_has_a_mean_but_no_limits(self) -> None:
        s = xmr_segment([7], 0, 1)
        assert (s.centre, s.upper_limit, s.sigma) == (7, None, None)

    def test_a_flat_series_has_limits_on_the_mean(self) -> None:
        s = xmr_segment([5, 5, 5, 5], 0, 4)
        assert (s.centre, s.upper_limit, s.lower_limit, s.sigma) == (5, 5, 5, 0)


class TestRebasing:
    def test_each_segment_gets_its_own_mean_and_limits(self) -> None:
        # Before: 10 12 10 12, mean 11, moving ranges 2 2 2 -> limits 11 +/- 5.32.
        # After:  20 22 20 22, mean 21, same ranges -> 21 +/- 5.32. The jump 12 -> 20
        # is not a moving range of either segment.
        chart = build_chart(
            series([10, 12, 10, 12, 20, 22, 20, 22]),
            rule_set=RuleSetName.MDC,
            direction=Direction.UP,
            rebase_on=[day(4)],
        )

        first, second = chart.segments
        assert (first.start, first.end, second.start, second.end) == (0, 4, 4, 8)
        assert (first.centre, first.upper_limit, first.lower_limit) == pytest.approx((11, 16.32, 5.68))
        assert (second.centre, second.upper_limit, second.lower_limit) == pytest.approx((21, 26.32, 15.68))
        assert [p.moving_range for p in chart.points] == [None, 2, 2, 2, None, 2, 2, 2]
        assert [p.segment for p in chart.points] == [0, 0, 0, 0, 1, 1, 1, 1]
        assert chart.signals == ()

    def test_without_rebasing_the_same_data_share_one_mean(self) -> None:
        # mean 16; moving ranges 2 2 2 8 2 2 2 -> 20/7.
        chart = build_chart(
            series([10, 12, 10, 12, 20, 22, 20, 22]),
            rule_set=RuleSetName.MDC,
            direction=Direction.UP,
        )
        [only] = chart.segments
        assert only.centre == pytest.approx(16)
        assert only.mean_moving_range == pytest.approx(20 / 7)

    def test_a_rebase_date_between_points_starts_at_the_next_point(self) -> None:
        dates = [day(0), day(2), day(4), day(6)]
        assert segment_bounds(dates, [day(3)]) == [(0, 2), (2, 4)]

    def test_rebase_dates_before_the_first_or_after_the_last_point_change_nothing(self) -> None:
        dates = [day(1), day(2), day(3)]
        assert segment_bounds(dates, [day(0), day(1), day(9)]) == [(0, 3)]

    def test_repeated_rebase_dates_make_one_break(self) -> None:
        dates = [day(0), day(1), day(2), day(3)]
        assert segment_bounds(dates, [day(2), day(2)]) == [(0, 2), (2, 4)]

    def test_moving_ranges_restart_in_each_segment(self) -> None:
        assert moving_ranges([1, 4, 2, 8], [(0, 2), (2, 4)]) == [None, 3, None, 6]


class TestRunChartCentre:
    def test_the_run_chart_centre_is_the_median_and_has_no_limits(self) -> None:
        chart = build_chart(
            series([5, 1, 9, 3, 7, 100]), rule_set=RuleSetName.IHI_RUN_CHART, direction=Direction.UP
        )

        [only] = chart.segments
        assert chart.centre_line is CentreLine.MEDIAN
        assert only.centre == 6  # median of 1 3 5 7 9 100
        assert (only.upper_limit, only.sigma) == (None, None)
        assert not chart.limits_provisional
        assert chart.assurance is None
