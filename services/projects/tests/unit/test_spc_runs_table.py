"""The runs table is data from a paper; these checks catch a mistyped row."""

from itertools import pairwise
from math import comb

import pytest
from projects.spc.runs_table import RUNS_LIMITS


def runs_distribution(above: int, below: int) -> dict[int, float]:
    """Exact probability of each number of runs for a random order (Swed and Eisenhart)."""
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
        chances[runs] = ways / total
    return chances


def test_the_table_covers_ten_to_sixty_useful_observations() -> None:
    assert sorted(RUNS_LIMITS) == list(range(10, 61))


def test_limits_never_decrease_as_observations_grow() -> None:
    rows = [RUNS_LIMITS[n] for n in range(10, 61)]
    assert all(a[0] <= b[0] for a, b in pairwise(rows))
    assert all(a[1] <= b[1] for a, b in pairwise(rows))


@pytest.mark.parametrize("useful", range(10, 61))
def test_each_row_is_close_to_the_exact_five_percent_limits(useful: int) -> None:
    # The published table is a rounded reformatting; each limit is within two runs of the
    # exact 2.5%-per-tail value for a series split evenly about its median.
    chances = runs_distribution(useful // 2, useful - useful // 2)
    lower, upper = RUNS_LIMITS[useful]
    cumulative, exact_lower = 0.0, 0
    for runs in sorted(chances):
        cumulative += chances[runs]
        if cumulative > 0.025:
            exact_lower = runs
            break
    cumulative, exact_upper = 0.0, 0
    for runs in sorted(chances, reverse=True):
        cumulative += chances[runs]
        if cumulative > 0.025:
            exact_upper = runs
            break
    assert abs(lower - exact_lower) <= 1
    assert abs(upper - exact_upper) <= 2
