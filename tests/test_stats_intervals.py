"""The intervals validate-log reports for shares of cases (Wilson's score interval)."""

import pytest

from orgsim.results.stats import proportion_interval, wilson_interval


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),  # Newcombe (1998), table I: 0/10
        (5, 10, 0.2366, 0.7634),
        (1, 29, 0.0061, 0.1718),  # Newcombe (1998), table I: 1/29
    ],
)
def test_wilson_interval_matches_published_values(successes, trials, low, high):
    got = wilson_interval(successes, trials)
    assert got == pytest.approx((low, high), abs=5e-4)


def test_a_rare_share_keeps_a_bound_of_zero_or_more_where_the_normal_one_goes_below():
    """One escalation in 3,206 cases: the helpdesk log's training period."""
    assert proportion_interval(1, 3206)[0] < 0
    low, high = wilson_interval(1, 3206)
    assert 0 <= low < 1 / 3206 < high < 0.002
