"""Too few or too many runs on a run chart: the published table, as data.

Source: Perla RJ, Provost LP, Murray SK. "The run chart: a simple analytical tool for
learning from variation in healthcare processes." BMJ Quality & Safety 2011;20:46-51,
Table 1 ("Tests for number of runs above and below the median"), which reformats the
tables of Swed FS and Eisenhart C (Annals of Mathematical Statistics 1943;14:66-87) for
about a 5% risk of a false signal.

Key: the number of useful observations (points not on the median), 10 to 60.
Value: (lower, upper). Fewer runs than `lower` is "too few runs"; more than `upper` is
"too many runs". Outside 10..60 the table says nothing, and neither do we.
"""

from __future__ import annotations

RUNS_LIMITS: dict[int, tuple[int, int]] = {
    10: (3, 9),
    11: (3, 10),
    12: (3, 11),
    13: (4, 11),
    14: (4, 12),
    15: (5, 12),
    16: (5, 13),
    17: (5, 13),
    18: (6, 14),
    19: (6, 15),
    20: (6, 16),
    21: (7, 16),
    22: (7, 17),
    23: (7, 17),
    24: (8, 18),
    25: (8, 18),
    26: (9, 19),
    27: (10, 19),
    28: (10, 20),
    29: (10, 20),
    30: (11, 21),
    31: (11, 22),
    32: (11, 22),
    33: (11, 23),
    34: (12, 23),
    35: (13, 24),
    36: (13, 24),
    37: (13, 25),
    38: (14, 26),
    39: (14, 26),
    40: (15, 26),
    41: (16, 27),
    42: (16, 27),
    43: (17, 28),
    44: (17, 28),
    45: (17, 29),
    46: (17, 30),
    47: (18, 30),
    48: (18, 31),
    49: (19, 31),
    50: (19, 32),
    51: (20, 32),
    52: (21, 32),
    53: (21, 33),
    54: (22, 33),
    55: (22, 34),
    56: (23, 34),
    57: (23, 35),
    58: (24, 35),
    59: (24, 36),
    60: (25, 36),
}

FEWEST_USEFUL = min(RUNS_LIMITS)
MOST_USEFUL = max(RUNS_LIMITS)
