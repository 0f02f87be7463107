"""Too few or too many runs on a run chart: the published table, as data.

Source: Perla RJ, Provost LP, Murray SK. "The run chart: a simple analytical tool for
learning from variation in healthcare processes." BMJ Quality & Safety 2011;20(1):46-51,
Table 1 ("Tests for number of runs above and below the median"). The same table is in
Provost LP, Murray SK, The Health Care Data Guide. It reformats the tables of Swed FS and
Eisenhart C, "Tables for testing randomness of grouping in a sequence of alternatives",
Annals of Mathematical Statistics 1943;14(1):66-87, for about a 5% risk of a false signal.

Key: the number of useful observations (points not on the median), 10 to 60.
Value: (lower, upper). Fewer runs than `lower` is "too few runs"; more than `upper` is
"too many runs". Outside 10..60 the table says nothing, and neither do we.

Not yet checked against the paper (issue #16). The rows below were typed from memory. A
search of public code and web pages found no copy of Table 1 as text (copies online are
images). One public project lists eight rows as published: 10 (3, 9), 14 (4, 12),
16 (5, 13), 24 (8, 18), 30 (11, 21), 40 (15, 27), 50 (19, 33) and 60 (24, 38). It says it
worked them out rather than read them, so it is not an independent check. This table
agrees with it except at 40, 50 and 60.

How this table compares with the exact run distribution (the median splits n useful points
into n // 2 and n - n // 2; at most 2.5% in each tail). The tests pin both lists:
- Stricter by one run, as if the Swed and Eisenhart critical value ("that many runs or
  fewer") were used as the limit: rows 11, 12, 17, 20, 22, 23, 25, 32, 33 and 37. The
  published table is a reformat, not the exact computation, and can differ from it this
  way, so do not change one of these rows to the computed value on that ground alone.
- Looser than the exact limits, so a random series signals more often than 2.5% in a tail
  (7.5% for too many runs at n = 60): rows 29, 34, 36 and 40 to 60. No reading of Swed and
  Eisenhart gives this. Treat these rows as suspect until they are checked against the
  printed Table 1.
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
