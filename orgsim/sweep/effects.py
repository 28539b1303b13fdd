"""How each figure moves with each parameter: main effects and two-parameter tables.

Pure functions over the runs table (one row per run), so they can be tested on a
hand-made table. A parameter with more than ``MAX_LEVELS`` distinct values (a
sampled range) is cut into ``BINS`` quantile bins, each shown at its mean value.
"""

from __future__ import annotations

import pandas as pd

from orgsim.results.stats import mean_interval

MAX_LEVELS = 8
BINS = 5


def levels(values: pd.Series) -> pd.Series:
    """The level each run's value falls in: itself, or its quantile bin's mean."""
    if values.nunique() <= MAX_LEVELS or not pd.api.types.is_numeric_dtype(values):
        return values
    bins = pd.qcut(values, BINS, duplicates="drop")
    return values.groupby(bins, observed=True).transform("mean").round(6)


def main_effects(runs: pd.DataFrame, parameters: list[str], figures: list[str]) -> pd.DataFrame:
    """Mean of each figure at each level of each parameter, per base, with its 95% CI.

    The mean at a level averages over every other parameter's settings in the
    design: the main effect in the sense of a factorial experiment.
    """
    ok = runs[runs["error"].isna()]
    rows = []
    for parameter in parameters:
        varied = ok.dropna(subset=[parameter])
        if varied.empty:
            continue
        level = levels(varied[parameter])
        for (base, value), group in varied.groupby(["base", level], sort=True):
            rows += [_row(group[figure], base, parameter, value, figure) for figure in figures]
    return pd.DataFrame(rows)


def _row(values: pd.Series, base: str, parameter: str, level: object, figure: str) -> dict:
    values = values.dropna().astype(float)
    low, high = interval(values)
    return {
        "base": base,
        "parameter": parameter,
        "level": level,
        "figure": figure,
        "mean": values.mean(),
        "low": low,
        "high": high,
        "n": len(values),
    }


def interval(values: pd.Series) -> tuple[float, float]:
    """The 95% interval of the mean (a point, for one value or identical ones)."""
    if len(values) < 2 or values.nunique() == 1:
        return float(values.mean()), float(values.mean())
    return mean_interval(values.to_numpy())


def pair_table(
    runs: pd.DataFrame, pair: tuple[str, str], figure: str, base: str, how: str = "mean"
) -> pd.DataFrame:
    """Mean (or ``how``: count, ...) of ``figure`` over two parameters' levels in one base."""
    ok = runs[(runs["base"] == base) & runs["error"].isna()].dropna(subset=list(pair))
    if ok.empty:
        return pd.DataFrame()
    first, second = levels(ok[pair[0]]), levels(ok[pair[1]])
    return ok.groupby([first, second])[figure].agg(how).unstack(pair[1])


def pairs(
    runs: pd.DataFrame, parameters: list[str], limit: int | None = None
) -> list[tuple[str, str]]:
    """The pairs of parameters that vary together in some base (up to ``limit``)."""
    found = []
    for i, first in enumerate(parameters):
        for second in parameters[i + 1 :]:
            both = runs.dropna(subset=[first, second])
            if both[first].nunique() > 1 and both[second].nunique() > 1:
                found.append((first, second))
    return found[:limit]
