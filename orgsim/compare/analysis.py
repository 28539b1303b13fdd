"""Output analysis of a comparison: means, intervals, paired differences, p-values.

Replication r of every scenario runs with the same seed (common random numbers), so
differences to the baseline are taken replication by replication: the paired
t-interval then reflects what the structure changes, not which customers happened
to call (Law 2015, *Simulation Modeling and Analysis*, ch. 10.2). Where a
difference's interval still contains zero, :func:`replications_needed` estimates how
many replications would make it exclude zero, were the difference as large as seen.
The warm-up is already removed by the model: its figures cover the time after it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from orgsim.compare.measures import MEASURES
from orgsim.results.stats import CONFIDENCE

MAX_REPLICATIONS = 10_000
"""Beyond this, a difference is too small to resolve: "cannot tell" is the answer."""

COLUMNS = [
    "scenario", "figure", "mean", "low", "high", "n", "diff", "diff_low", "diff_high",
    "p_value", "replications_needed",
]  # fmt: skip


def succeeded(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs that ended without an error."""
    return runs[runs["error"].isna()] if "error" in runs else runs


def summarise(
    runs: pd.DataFrame, order: Sequence[str], keys: Sequence[str] = tuple(MEASURES)
) -> pd.DataFrame:
    """One row per scenario and figure: mean, 95% interval, and paired difference.

    Args:
        runs: one row per run, with ``scenario``, ``seed``, ``error`` and the figures.
        order: the scenarios, the baseline first.
        keys: the figures to summarise.

    Returns:
        The columns of :data:`COLUMNS`; the difference columns are empty for the
        baseline. A difference is over the seeds both scenarios ran without error.
    """
    good = succeeded(runs)
    by_scenario = {name: good[good["scenario"] == name].set_index("seed") for name in order}
    baseline = by_scenario[order[0]]
    rows = []
    for name in order:
        group = by_scenario[name]
        for key in keys:
            values = _column(group, key).dropna()
            low, high = interval(values.to_numpy())
            row = {"scenario": name, "figure": key, "mean": _mean(values), "low": low}
            row |= {"high": high, "n": len(values)}
            if name != order[0]:
                row |= paired(_column(group, key), _column(baseline, key))
            rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _column(group: pd.DataFrame, key: str) -> pd.Series:
    return group[key].astype(float) if key in group else pd.Series(dtype=float)


def _mean(values: pd.Series) -> float:
    return float(values.mean()) if len(values) else math.nan


def paired(values: pd.Series, baseline: pd.Series) -> dict[str, float]:
    """Mean difference by seed, its interval, paired-t p-value and replications needed."""
    diffs = (values - baseline).dropna().to_numpy()
    low, high = interval(diffs)
    return {
        "diff": float(diffs.mean()) if len(diffs) else math.nan,
        "diff_low": low,
        "diff_high": high,
        "p_value": p_value(diffs),
        "replications_needed": replications_needed(diffs),
    }


def interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student-t interval of the mean (a point where all values agree; NaN below 2)."""
    if len(values) < 2:
        return math.nan, math.nan
    half = _half_width(float(np.std(values, ddof=1)), len(values), confidence)
    mean = float(np.mean(values))
    return mean - half, mean + half


def _half_width(sd: float, n: int, confidence: float = CONFIDENCE) -> float:
    return float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd / math.sqrt(n)


def p_value(diffs: np.ndarray) -> float:
    """Two-sided paired-t p-value of a zero mean difference.

    Where every difference is the same, the test has no spread to weigh: 0 when they
    are not zero (the scenarios differ in every replication alike), 1 when they are.
    """
    if len(diffs) < 2:
        return math.nan
    mean, sd = float(np.mean(diffs)), float(np.std(diffs, ddof=1))
    if sd == 0:
        return 0.0 if mean != 0 else 1.0
    t = mean / (sd / math.sqrt(len(diffs)))
    return float(2 * stats.t.sf(abs(t), len(diffs) - 1))


def replications_needed(diffs: np.ndarray, confidence: float = CONFIDENCE) -> float:
    """Replications for the interval to exclude zero, were mean and spread as seen.

    The smallest n with ``t(n-1) * sd / sqrt(n) < |mean|`` (the current number where
    the interval already excludes zero); NaN where no number up to
    :data:`MAX_REPLICATIONS` would (or fewer than 2 runs give no spread to go by).
    """
    if len(diffs) < 2:
        return math.nan
    mean, sd = abs(float(np.mean(diffs))), float(np.std(diffs, ddof=1))
    if sd == 0:
        return float(len(diffs)) if mean > 0 else math.nan
    if mean == 0:
        return math.nan
    rough = max(2, math.ceil((stats.norm.ppf((1 + confidence) / 2) * sd / mean) ** 2))
    if rough > MAX_REPLICATIONS:
        return math.nan
    if _half_width(sd, len(diffs), confidence) < mean:
        return float(len(diffs))
    n = max(rough, len(diffs) + 1)
    while _half_width(sd, n, confidence) >= mean:
        n += 1
    return float(n)
