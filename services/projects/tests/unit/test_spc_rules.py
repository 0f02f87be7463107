"""Each rule detector on hand-made segments: centre 10, sigma 1 (2-sigma lines 8 and 12, limits 7 and 13)."""

from collections.abc import Sequence

from projects.spc import Rule
from projects.spc import rules as r
from projects.spc.model import Hit

from .spc_helpers import segment


def hits(values: Sequence[float], detector: str, **kwargs: object) -> list[Hit]:
    seg = segment(values, centre=10, sigma=1)
    found: list[Hit] = getattr(r, detector)(values, seg, **kwargs)
    return found


def spans(found: list[Hit]) -> list[tuple[tuple[int, ...], int]]:
    return [(hit.indices, hit.side) for hit in found]


class TestBeyondLimits:
    def test_points_strictly_beyond_a_limit_fire_one_signal_each(self) -> None:
        assert spans(hits([13.5, 10, 6.9, 12], "beyond_limits")) == [((0,), 1), ((2,), -1)]

    def test_a_point_exactly_on_a_limit_is_not_beyond_it(self) -> None:
        assert hits([13, 7, 10], "beyond_limits") == []


class TestShiftMakingDataCount:
    def test_seven_points_above_the_mean_are_a_shift(self) -> None:
        assert spans(hits([11] * 7, "shifts", length=7, skip_centre=False)) == [
            (tuple(range(7)), 1)
        ]

    def test_six_are_not(self) -> None:
        assert hits([11] * 6 + [9], "shifts", length=7, skip_centre=False) == []

    def test_a_point_on_the_mean_breaks_the_run(self) -> None:
        assert hits([11] * 6 + [10] + [11], "shifts", length=7, skip_centre=False) == []

    def test_a_long_run_below_is_one_signal_with_all_its_points(self) -> None:
        assert spans(hits([11, 9, 9, 9, 9, 9, 9, 9, 9], "shifts", length=7, skip_centre=False)) == [
            (tuple(range(1, 9)), -1)
        ]


class TestShiftSkippingTheCentre:
    def test_points_on_the_median_neither_count_nor_break(self) -> None:
        found = hits([11, 11, 11, 10, 11, 11, 11], "shifts", length=6, skip_centre=True)
        assert spans(found) == [((0, 1, 2, 4, 5, 6), 1)]

    def test_points_on_the_median_do_not_count_towards_the_length(self) -> None:
        assert hits([11, 11, 10, 10, 11, 11, 11], "shifts", length=6, skip_centre=True) == []


class TestTrendMakingDataCount:
    def test_seven_rising_points_are_a_trend_endpoints_included(self) -> None:
        assert spans(hits([1, 2, 3, 4, 5, 6, 7], "trends", length=7, ties_once=False)) == [
            (tuple(range(7)), 1)
        ]

    def test_six_rising_points_are_not(self) -> None:
        assert hits([1, 2, 3, 4, 5, 6, 5], "trends", length=7, ties_once=False) == []

    def test_an_equal_neighbour_ends_the_trend(self) -> None:
        assert hits([1, 2, 3, 3, 4, 5, 6, 7], "trends", length=7, ties_once=False) == []

    def test_a_rise_then_a_fall_share_the_turning_point(self) -> None:
        found = hits([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], "trends", length=7, ties_once=False)
        assert spans(found) == [(tuple(range(7)), 1), (tuple(range(6, 13)), -1)]


class TestTrendCountingEqualNeighboursOnce:
    def test_equal_neighbours_count_once_and_do_not_break(self) -> None:
        # 1 2 2 3 4 5: five different values going up, spread over six points.
        assert spans(hits([1, 2, 2, 3, 4, 5], "trends", length=5, ties_once=True)) == [
            (tuple(range(6)), 1)
        ]

    def test_equal_neighbours_do_not_add_to_the_length(self) -> None:
        assert hits([1, 2, 2, 3, 4], "trends", length=5, ties_once=True) == []

    def test_equal_values_at_the_end_belong_to_the_trend(self) -> None:
        assert spans(hits([0, 1, 3, 5, 6, 6], "trends", length=5, ties_once=True)) == [(tuple(range(6)), 1)]

    def test_equal_values_at_the_start_and_inside_belong_to_it_too(self) -> None:
        assert spans(hits([0, 0, 1, 3, 3, 5, 6, 6, 6], "trends", length=5, ties_once=True)) == [
            (tuple(range(9)), 1)
        ]

    def test_equal_values_at_a_turn_end_one_trend_and_start_the_next(self) -> None:
        found = hits([1, 2, 3, 4, 5, 5, 4, 3, 2, 1], "trends", length=5, ties_once=True)
        assert spans(found) == [(tuple(range(6)), 1), ((4, 5, 6, 7, 8, 9), -1)]

    def test_falling_trends_point_down(self) -> None:
        assert spans(hits([9, 8, 7, 7, 6, 5], "trends", length=5, ties_once=True)) == [
            (tuple(range(6)), -1)
        ]


class TestTwoOfThreeBeyondTwoSigma:
    def test_two_of_three_beyond_the_upper_two_sigma_line(self) -> None:
        assert spans(hits([12.5, 11, 12.5], "two_of_three_beyond_two_sigma")) == [((0, 2), 1)]

    def test_the_third_point_may_be_anywhere(self) -> None:
        assert spans(hits([12.5, 7.5, 12.5], "two_of_three_beyond_two_sigma")) == [((0, 2), 1)]

    def test_points_beyond_opposite_lines_do_not_pair(self) -> None:
        assert hits([12.5, 7.5, 11], "two_of_three_beyond_two_sigma") == []

    def test_two_beyond_but_four_apart_is_not_a_signal(self) -> None:
        assert hits([12.5, 11, 11, 12.5], "two_of_three_beyond_two_sigma") == []

    def test_a_point_exactly_on_the_two_sigma_line_is_not_beyond_it(self) -> None:
        assert spans(hits([12, 12.5, 12.5], "two_of_three_beyond_two_sigma")) == [((1, 2), 1)]

    def test_overlapping_windows_make_one_signal(self) -> None:
        found = hits([7.5, 7.5, 10, 7.9, 10, 10, 10, 7.5], "two_of_three_beyond_two_sigma")
        assert spans(found) == [((0, 1, 3), -1)]


class TestFifteenWithinOneSigma:
    def test_fifteen_points_inside_one_sigma_are_a_signal(self) -> None:
        assert spans(hits([10.5] * 15, "fifteen_within_one_sigma")) == [(tuple(range(15)), 0)]

    def test_a_point_on_the_one_sigma_line_is_within_it(self) -> None:
        assert spans(hits([10.5] * 7 + [11] + [9] + [10.5] * 6, "fifteen_within_one_sigma")) == [
            (tuple(range(15)), 0)
        ]

    def test_a_point_beyond_the_one_sigma_line_breaks_the_run(self) -> None:
        assert hits([10.5] * 14 + [11.01] + [10.5] * 14, "fifteen_within_one_sigma") == []

    def test_fifteen_equal_values_with_no_variation_at_all_are_a_signal(self) -> None:
        values = [10.0] * 15
        found = r.fifteen_within_one_sigma(values, segment(values, centre=10, sigma=0))
        assert spans(found) == [(tuple(range(15)), 0)]


class TestRuns:
    def test_runs_leave_out_points_on_the_median(self) -> None:
        values = [11, 11, 10, 9, 9, 10, 11]
        assert r.count_runs(values, segment(values, centre=10)) == (5, 3)

    def test_ten_useful_points_in_two_runs_are_too_few(self) -> None:
        # Table: 10 useful observations -> fewer than 3 runs is too few.
        values = [11] * 5 + [9] * 5
        found = r.runs(values, segment(values, centre=10))
        assert spans(found) == [(tuple(range(10)), 0)]
        assert found[0].rule is Rule.TOO_FEW_RUNS

    def test_ten_useful_points_in_three_runs_are_fine(self) -> None:
        values = [11] * 4 + [9] * 3 + [11] * 3
        assert r.runs(values, segment(values, centre=10)) == []

    def test_ten_alternating_points_are_too_many_runs(self) -> None:
        # Table: 10 useful observations -> more than 9 runs is too many.
        values = [11, 9] * 5
        [found] = r.runs(values, segment(values, centre=10))
        assert found.rule is Rule.TOO_MANY_RUNS

    def test_nine_useful_points_are_not_tested(self) -> None:
        values = [11, 9] * 4 + [11, 10]
        assert r.runs(values, segment(values, centre=10)) == []


class TestAstronomical:
    def test_only_points_a_person_flagged_are_astronomical(self) -> None:
        values = [10, 50, 9]
        found = r.astronomical(values, segment(values, centre=10), [False, True, True])
        assert spans(found) == [((1,), 1), ((2,), -1)]
