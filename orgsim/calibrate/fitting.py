"""Fitting the schema's distribution families to measured times, goodness of fit reported.

Each family is fitted by the method of moments (its mean and coefficient of variation,
which is how the schema states it), and judged by the Kolmogorov-Smirnov statistic D
against the data, as Simod's and Prosimos's best-fit step does with scipy
(``simod/statistics``: the family of least error wins). Where even the best family
is off by more than :data:`GOOD_FIT` (times of a log are often mixtures: a fixed
closing window, a few very long waits), the empirical distribution is written
instead, as 101 percentiles (Law, *Simulation Modeling and Analysis*, 6.2.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from orgsim.scenario import limits

GOOD_FIT = 0.05
"""Largest KS distance accepted for a parametric family: 5% of the probability mass."""

PERCENTILES = 101


@dataclass(frozen=True)
class Fit:
    """The distribution chosen for a sample, with every family's KS distance."""

    spec: dict[str, Any]
    ks: dict[str, float]
    n: int
    mean: float

    @property
    def family(self) -> str:
        """The chosen family's name."""
        return str(self.spec["dist"])


def _clean(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.clip(values[np.isfinite(values)], 0, limits.MAX_PARAMETER)


def _round(x: float) -> float:
    return float(f"{x:.6g}")


def candidates(sample: np.ndarray) -> dict[str, tuple[dict[str, Any], Any]]:
    """Each family's spec for ``sample`` (by moments) and its frozen scipy distribution."""
    mean, sd = float(sample.mean()), float(sample.std())
    cv = min(max(sd / mean, limits.MIN_CV), limits.MAX_CV)
    sigma = math.sqrt(math.log1p(cv**2))
    low, high = float(sample.min()), float(sample.max())
    return {
        "exponential": ({"dist": "exponential", "mean": _round(mean)}, stats.expon(scale=mean)),
        "lognormal": (
            {"dist": "lognormal", "mean": _round(mean), "cv": _round(cv)},
            stats.lognorm(sigma, scale=math.exp(math.log(mean) - sigma**2 / 2)),
        ),
        "gamma": (
            {"dist": "gamma", "mean": _round(mean), "cv": _round(cv)},
            stats.gamma(1 / cv**2, scale=mean * cv**2),
        ),
        "uniform": (
            {"dist": "uniform", "low": _round(low), "high": _round(high)},
            stats.uniform(low, max(high - low, 1e-12)),
        ),
    }


def fit(values: np.ndarray) -> Fit:
    """The best of the schema's families for ``values`` (hours), or their percentiles.

    An empty sample or one with no spread gives a deterministic value (0 if empty).
    """
    sample = _clean(values)
    if len(sample) == 0 or float(sample.max()) == 0:
        return Fit({"dist": "deterministic", "value": 0.0}, {}, len(sample), 0.0)
    mean = float(sample.mean())
    if float(sample.std()) <= limits.MIN_CV * mean or len(sample) < 3:
        return Fit({"dist": "deterministic", "value": _round(mean)}, {}, len(sample), mean)
    ks = {}
    specs = {}
    for name, (spec, frozen) in candidates(sample).items():
        ks[name] = float(stats.kstest(sample, frozen.cdf).statistic)
        specs[name] = spec
    best = min(ks, key=ks.__getitem__)
    if ks[best] <= GOOD_FIT:
        return Fit(specs[best], ks, len(sample), mean)
    quantiles = np.quantile(sample, np.linspace(0, 1, PERCENTILES))
    spec = {"dist": "empirical", "quantiles": [_round(q) for q in np.maximum.accumulate(quantiles)]}
    return Fit(spec, ks, len(sample), mean)
