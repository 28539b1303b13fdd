"""Output analysis of a comparison: means, intervals, paired differences, p-values.

Replication r of every scenario runs with the same seed (common random numbers), so
differences to the baseline are taken replication by replication: the paired
t-interval then reflects what the structure changes, not which customers happened
to call (Law 2015, *Simulation Modeling and Analysis*, ch. 10.2). Where a
difference's interval still contains zero, :func:`replications_needed` estimates how
many replications would make it exclude zero, were the difference as large as seen.
The warm-up is already removed by the model: its figures cover the time after it.

A figure the same in every replication (an input such as management cost, or a
difference that does not vary) has no spread to make an interval or a test from: it
is kept as a value, ``fixed``, with no interval and no p-value. The verdict weighs
several figures of several scenarios at once, so their p-values are adjusted together
by Holm's step-down method (:func:`holm`, column ``p_holm``), which keeps the chance
of any false "better" or "worse" in the verdict at 5% at most.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from orgsim.compare.measures import HEADLINE_KEYS, MEASURES
from orgsim.results.stats import CONFIDENCE

MAX_REPLICATIONS = 10_000
"""Beyond this, a difference is too small to resolve: "cannot tell" is the answer."""

COLUMNS = [
    "scenario", "figure", "mean", "low", "high", "n", "diff", "diff_low", "diff_high",
    "p_value", "replications_needed", "fixed", "diff_fixed", "p_holm",
]  # fmt: skip
"""The summary's columns: ``fixed`` where a figure is the same in every replication,
``diff_fixed`` where its difference to the baseline is, ``p_holm`` for the verdict's
figures (``family``) only."""

LEVEL = 1 - CONFIDENCE
"""A difference is told apart from zero where its (Holm-adjusted) p-value is below this."""


def succeeded(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs that ended without an error."""
    return runs[runs["error"].isna()] if "error" in runs else runs


def summarise(
    runs: pd.DataFrame,
    order: Sequence[str],
    keys: Sequence[str] = tuple(MEASURES),
    family: Sequence[str] = HEADLINE_KEYS,
) -> pd.DataFrame:
    """One row per scenario and figure: mean, 95% interval, and paired difference.

    Args:
        runs: one row per run, with ``scenario``, ``seed``, ``error`` and the figures.
        order: the scenarios, the baseline first.
        keys: the figures to summarise.
        family: the figures whose differences (of every scenario) are tested together,
            Holm-adjusted in ``p_holm``.

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
            row |= {"high": high, "n": len(values), "fixed": _fixed(values.to_numpy())}
            if name != order[0]:
                row |= paired(_column(group, key), _column(baseline, key))
            rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    tested = table["figure"].isin(family) & table["p_value"].notna()
    table.loc[tested, "p_holm"] = holm(table.loc[tested, "p_value"].to_numpy())
    return table


FIXED_TOLERANCE = 1e-9
"""Values closer than this share of their size are one value: sums of the same amounts
in another order differ in the last bits (1e-16), not in what they measure."""


def _fixed(values: np.ndarray) -> bool:
    """Whether at least 2 values are all the same: nothing varies to test."""
    if len(values) < 2 or np.isnan(values).any():
        return False
    spread = float(np.max(values) - np.min(values))
    return spread <= FIXED_TOLERANCE * float(np.max(np.abs(values)))


def flag(value: object) -> bool:
    """A flag read from a summary row: NaN (the baseline's row) and None are false."""
    return value is not None and not pd.isna(value) and bool(value)


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment (Holm 1979): reject where adjusted p < level.

    The k-th smallest of m p-values is multiplied by ``m - k + 1``, and the adjusted
    values made non-decreasing in that order (capped at 1): the family-wise error
    rate stays at the level for any dependence between the tests.
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    adjusted = np.empty(m)
    adjusted[order] = scaled
    return adjusted


def resolved(row: pd.Series) -> bool:
    """Whether a difference to the baseline is told apart from zero.

    A fixed difference is, where it is not zero; another where its p-value (the Holm
    one for the verdict's figures) is below :data:`LEVEL`.
    """
    if flag(row.get("diff_fixed")):
        return bool(row["diff"] != 0)
    p = row.get("p_holm")
    p = row["p_value"] if p is None or pd.isna(p) else p
    return not pd.isna(p) and p < LEVEL


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
        "diff_fixed": _fixed(diffs),
        "replications_needed": replications_needed(diffs),
    }


def interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student-t interval of the mean (NaN below 2 values, or where all of them agree).

    Values that never vary are a fixed figure, not an estimate: no interval.
    """
    if len(values) < 2 or _fixed(values):
        return math.nan, math.nan
    half = _half_width(float(np.std(values, ddof=1)), len(values), confidence)
    mean = float(np.mean(values))
    return mean - half, mean + half


def _half_width(sd: float, n: int, confidence: float = CONFIDENCE) -> float:
    return float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd / math.sqrt(n)


def p_value(diffs: np.ndarray) -> float:
    """Two-sided paired-t p-value of a zero mean difference.

    Where every difference is the same, the test has no spread to weigh: NaN (the
    difference is a fixed value, not an estimate; :func:`resolved` reads it as such).
    """
    if len(diffs) < 2:
        return math.nan
    mean, sd = float(np.mean(diffs)), float(np.std(diffs, ddof=1))
    if sd == 0:
        return math.nan
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
        return math.nan  # a fixed difference: replications change nothing
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
