"""Fitting the schema's families to measured times, and the empirical family (issue 22)."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from orgsim.calibrate.distances import binned_cycle_distance, handoffs_per_case, ngram_distance
from orgsim.calibrate.fitting import GOOD_FIT, fit
from orgsim.scenario.distributions import Distribution, Empirical

DIST = TypeAdapter(Distribution)


@pytest.mark.parametrize(
    ("family", "draw"),
    [
        ("gamma", lambda rng: rng.gamma(2.0, 3.0, 4000)),
        ("lognormal", lambda rng: rng.lognormal(0.0, 1.0, 4000)),
        ("exponential", lambda rng: rng.exponential(5.0, 4000)),
    ],
)
def test_a_sample_of_a_family_is_fitted_by_it(family: str, draw: object) -> None:
    chosen = fit(draw(np.random.default_rng(7)))  # type: ignore[operator]
    assert chosen.ks[family] <= GOOD_FIT
    assert chosen.ks[family] == min(chosen.ks.values()) or chosen.family == family


def test_a_mixture_gets_its_percentiles_and_they_reproduce_it() -> None:
    rng = np.random.default_rng(3)
    sample = np.r_[rng.normal(100, 2, 3000), rng.normal(300, 2, 3000)]  # a closing window
    chosen = fit(sample)
    assert chosen.family == "empirical"
    drawn = DIST.validate_python(chosen.spec).sampler(np.random.default_rng(4))
    again = np.array([drawn() for _ in range(6000)])
    assert binned_cycle_distance(sample, again) < 3  # hours, of a 200-hour spread
    assert DIST.validate_python(chosen.spec).mean == pytest.approx(sample.mean(), rel=0.01)


def test_empirical_quantiles_must_not_decrease() -> None:
    with pytest.raises(ValidationError, match="must not decrease"):
        DIST.validate_python({"dist": "empirical", "quantiles": [1, 3, 2]})
    assert Empirical(quantiles=[0, 2, 4]).mean == 2


def test_handoffs_and_ngrams_on_hand_made_logs() -> None:
    import pandas as pd

    log = pd.DataFrame(
        {
            "case": ["a", "a", "a", "b", "b"],
            "activity": ["x", "y", "z", "x", "y"],
            "resource": ["r1", "r2", "r2", "r1", ""],
            "time": pd.to_datetime(["2024-01-01 09:00"] * 5),
        }
    )
    assert list(handoffs_per_case(log)) == [1.0, 0.0]
    assert ngram_distance(log, log) == 0
    other = log.assign(activity=["x", "y", "y", "x", "y"])
    assert 0 < ngram_distance(log, other) < 1
