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
