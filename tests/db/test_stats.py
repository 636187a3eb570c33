"""Figures of the admin reports that are computed in Python from SQL tallies."""

from __future__ import annotations

import pytest

from bot.db.stats import _median


@pytest.mark.parametrize(
    ("scores", "median"),
    [
        ({}, None),
        ({60: 1}, 60.0),
        ({60: 1, 80: 1}, 70.0),  # an even count: the mean of the middle two
        ({50: 2, 90: 1}, 50.0),
        ({40: 1, 70: 2, 100: 1}, 70.0),
        ({0: 3, 100: 3}, 50.0),
    ],
)
def test_the_median_score_of_a_tally(scores: dict[int, int], median: float | None) -> None:
    assert _median(scores) == median
