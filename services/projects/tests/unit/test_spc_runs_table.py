"""The runs table is data from a paper. These checks compare it with the exact run
distribution and pin where the two disagree, so a mistyped row, or a row quietly
"corrected" to the computed value, fails a test and has to be explained."""

from fractions import Fraction
from itertools import pairwise
from math import comb

import pytest
from projects.spc.runs_table import FEWEST_USEFUL, MOST_USEFUL, RUNS_LIMITS

TAIL = Fraction(25, 1000)  # about 5% risk of a false signal in all, 2.5% on each side

# Rows where the table is stricter than the exact limits by one run: the limit that differs
# is the Swed and Eisenhart critical value itself. The module docstring lists the same rows.
STRICTER_THAN_EXACT = {11, 12, 17, 20, 22, 23, 25, 32, 33, 37}

# Rows that let a random series signal more often than 2.5% in a tail. The module
# docstring lists the same rows as suspect until checked against the printed table.
LOOSER_THAN_EXACT = {29, 34, 36, *range(40, 61)}


def runs_distribution(above: int, below: int) -> dict[int, Fraction]:
    """Exact chance of each number of runs for a random order (Swed and Eisenhart)."""
    total = comb(above + below, above)
    chances = {}
    for runs in range(2, above + below + 1):
        k = runs // 2
        if runs % 2 == 0:
            ways = 2 * comb(above - 1, k - 1) * comb(below - 1, k - 1)
        else:
            ways = comb(above - 1, k) * comb(below - 1, k - 1) + comb(above - 1, k - 1) * comb(
                below - 1, k
            )
        chances[runs] = Fraction(ways, total)
    return chances


def split(useful: int) -> tuple[int, int]:
    """A median splits the useful points as evenly as it can."""
    return useful // 2, useful - useful // 2


def chance_of_fewer(chances: dict[int, Fraction], runs: int) -> Fraction:
    return sum((p for r, p in chances.items() if r < runs), Fraction(0))


def chance_of_more(chances: dict[int, Fraction], runs: int) -> Fraction:
    return sum((p for r, p in chances.items() if r > runs), Fraction(0))


def exact_limits(useful: int) -> tuple[int, int]:
    """The table's form worked out exactly: fewer than `lower`, or more than `upper`,
    each happens at most 2.5% of the time in a random series."""
    chances = runs_distribution(*split(useful))
    lower = max(r for r in range(2, useful + 2) if chance_of_fewer(chances, r) <= TAIL)
    upper = min(r for r in range(1, useful + 1) if chance_of_more(chances, r) <= TAIL)
    return lower, upper


def critical_values(above: int, below: int) -> tuple[int, int]:
    """Swed and Eisenhart's form: `lower` or fewer runs, or `upper` or more, is significant."""
    chances = runs_distribution(above, below)
    lower = max(r for r in chances if chance_of_fewer(chances, r + 1) <= TAIL)
    upper = min(r for r in chances if chance_of_more(chances, r - 1) <= TAIL)
    return lower, upper


def test_the_table_covers_ten_to_sixty_useful_observations() -> None:
    assert sorted(RUNS_LIMITS) == list(range(10, 61))
    assert (FEWEST_USEFUL, MOST_USEFUL) == (10, 60)


def test_limits_never_decrease_as_observations_grow() -> None:
    rows = [RUNS_LIMITS[n] for n in range(10, 61)]
    assert all(a[0] <= b[0] for a, b in pairwise(rows))
    assert all(a[1] <= b[1] for a, b in pairwise(rows))


def test_the_exact_distribution_is_a_distribution_and_matches_a_hand_count() -> None:
    for above, below in [(5, 5), (6, 7), (30, 30)]:
        assert sum(runs_distribution(above, below).values()) == 1
    # Two above and two below: AABB and BBAA have 2 runs, ABBA and BAAB 3, ABAB and BABA 4.
    assert runs_distribution(2, 2) == {2: Fraction(1, 3), 3: Fraction(1, 3), 4: Fraction(1, 3)}


@pytest.mark.parametrize(
    ("above", "below", "expected"),
    [
        (5, 5, (2, 10)),
        (5, 6, (3, 10)),
        (6, 6, (3, 11)),
        (6, 7, (3, 12)),
        (7, 7, (3, 13)),
        (7, 8, (4, 13)),
        (8, 8, (4, 14)),
        (8, 9, (5, 14)),
        (9, 9, (5, 15)),
        (9, 10, (5, 16)),
        (10, 10, (6, 16)),
    ],
)
def test_the_exact_computation_reproduces_printed_swed_eisenhart_critical_values(
    above: int, below: int, expected: tuple[int, int]
) -> None:
    # The 5% two-sided critical values printed in standard runs-test tables, so the
    # comparisons below rest on a computation that agrees with a published one.
    assert critical_values(above, below) == expected


def test_the_rows_that_differ_from_the_exact_limits_are_the_documented_ones() -> None:
    differs = {n for n in range(10, 61) if RUNS_LIMITS[n] != exact_limits(n)}
    assert differs == STRICTER_THAN_EXACT | LOOSER_THAN_EXACT


def test_the_stricter_rows_use_the_swed_eisenhart_critical_value() -> None:
    for useful in sorted(STRICTER_THAN_EXACT):
        table, exact = RUNS_LIMITS[useful], exact_limits(useful)
        critical = critical_values(*split(useful))
        for side in (0, 1):
            if table[side] != exact[side]:
                assert table[side] == critical[side], (useful, side)


def test_the_rows_that_signal_too_often_are_the_documented_ones() -> None:
    looser = set()
    for useful, (lower, upper) in RUNS_LIMITS.items():
        chances = runs_distribution(*split(useful))
        if chance_of_fewer(chances, lower) > TAIL or chance_of_more(chances, upper) > TAIL:
            looser.add(useful)
    assert looser == LOOSER_THAN_EXACT
