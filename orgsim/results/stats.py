"""Confidence intervals for output analysis: means of replications and proportions."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student-t confidence interval of the mean of independent replications."""
    data = np.asarray(values, dtype=float)
    half = (
        stats.t.ppf((1 + confidence) / 2, len(data) - 1) * data.std(ddof=1) / math.sqrt(len(data))
    )
    return float(data.mean() - half), float(data.mean() + half)


def proportion_interval(
    successes: int, trials: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Normal-approximation confidence interval of a Bernoulli proportion."""
    share = successes / trials
    half = stats.norm.ppf((1 + confidence) / 2) * math.sqrt(share * (1 - share) / trials)
    return float(share - half), float(share + half)


def wilson_interval(
    successes: int, trials: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval of a Bernoulli proportion (Wilson 1927).

    It stays inside [0, 1] and keeps its coverage near 0 or 1, where the normal
    approximation gives a negative bound (a share of 1 in 3,000, say).
    """
    z = float(stats.norm.ppf((1 + confidence) / 2))
    share = successes / trials
    shrink = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / shrink
    half = z / shrink * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))
