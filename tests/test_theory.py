import math

import pytest
from scipy import stats

from orgsim.validate import theory


def test_jackson_tandem_is_a_sum_of_mm1_sojourns():
    assert theory.jackson_tandem_response_h(0.8, [1.0, 1.0, 1.0]) == pytest.approx(15.0)
    assert theory.jackson_tandem_response_h(0.5, [1.0, 0.9, 1.2]) == pytest.approx(
        2 + 2.5 + 1 / 0.7
    )


def test_unstable_systems_are_refused():
    with pytest.raises(ValueError, match="unstable"):
        theory.jackson_tandem_response_h(1.0, [1.0])
    with pytest.raises(ValueError, match="unstable"):
        theory.erlang_c(4.0, 1.0, 4)


def test_erlang_c_reduces_to_mm1_and_matches_textbook_value():
    # one server: waiting probability equals utilisation, response 1 / (mu - lambda)
    assert theory.erlang_c(0.6, 1.0, 1) == pytest.approx(0.6)
    assert theory.mmc_response_h(0.6, 1.0, 1) == pytest.approx(1 / 0.4)
    # M/M/2 with offered load 1: P(wait) = 1/3 (closed form 2 a^2 / (2 + a)(2 - a) / ... )
    assert theory.erlang_c(1.0, 1.0, 2) == pytest.approx(1 / 3)


def test_screening_forms_agree_with_the_binomial_distribution():
    p, n = 0.7, 5
    assert theory.series_acceptance(p, n) == pytest.approx(stats.binom.sf(n - 1, n, p))
    assert theory.polyarchy_acceptance(p, n) == pytest.approx(stats.binom.sf(0, n, p))
    for needed in range(1, n + 1):
        assert theory.committee_acceptance(p, n, needed) == pytest.approx(
            stats.binom.sf(needed - 1, n, p)
        )
    assert math.isclose(theory.committee_acceptance(p, n, n), theory.series_acceptance(p, n))


def test_correlated_committee_spans_condorcet_to_a_single_judge():
    p, n, needed = 0.7, 5, 3
    independent = theory.correlated_committee_acceptance(p, n, needed, 0.0)
    assert independent == pytest.approx(theory.committee_acceptance(p, n, needed))
    assert theory.correlated_committee_acceptance(p, n, needed, 1.0) == pytest.approx(p)
    halfway = theory.correlated_committee_acceptance(p, n, needed, 0.5)
    assert p < halfway < independent  # shared readings give back part of Condorcet's gain


def test_correlated_committee_against_enumerating_the_shared_reading():
    """Brute force over the shared reading and who follows it, for a small committee."""
    p, n, needed, rho = 0.6, 3, 2, 0.3
    total = 0.0
    for shared in (True, False):
        approve = rho * shared + (1 - rho) * p
        total += (p if shared else 1 - p) * stats.binom.sf(needed - 1, n, approve)
    assert theory.correlated_committee_acceptance(p, n, needed, rho) == pytest.approx(total)


def test_knowledge_hierarchy_shares_are_differences_of_the_difficulty_cdf():
    shares = theory.knowledge_hierarchy_shares(lambda z: min(z, 1.0), [0.3, 0.8])
    assert shares == pytest.approx([0.3, 0.5, 0.2])
    assert sum(theory.knowledge_hierarchy_shares(lambda z: 1 - math.exp(-z), [0.5, 2])) == (
        pytest.approx(1.0)
    )
