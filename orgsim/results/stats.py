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
