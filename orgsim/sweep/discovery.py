"""Where does one structure beat another? Scenario discovery with PRIM (EMA Workbench).

For a sampled design run in two or more bases (point ``i`` is the same parameters in
each), each point's replications are averaged and the second base is compared with
the first on a figure. PRIM, the Patient Rule Induction Method (Friedman & Fisher
1999), as used for scenario discovery by Bryant & Lempert (2010), then peels the
parameter space down to a box where the second base wins: its *coverage* is the
share of all wins inside the box, its *density* the share of wins among the points
inside it. When one base wins (almost) everywhere, the box is sought for its largest
margins instead (the top quarter), and the result says so.

EMA Workbench is an optional extra (``pip install orgsim[prim]``). Its PRIM fails on
int64 columns under pandas 3: every numeric column is cast to float, text columns to
categories.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orgsim.sweep.design import Experiment, Grid

HIGHER_IS_BETTER = frozenset(
    {"satisfaction_mean", "decision_accuracy", "trust_mean", "requests_resolved"}
)
"""Figures where more is better; for every other figure less is."""

TOP_SHARE = 0.25
MIN_SHARE = 0.05


@dataclass(frozen=True)
class Discovery:
    """A PRIM box: its limits per parameter and how well it picks the cases out.

    Attributes:
        question: what the box answers, in words.
        limits: one row per restricted parameter: its lower and upper limit (or the
            categories kept).
        coverage: share of all cases of interest that fall in the box.
        density: share of the points in the box that are cases of interest.
        mass: share of all points in the box.
    """

    question: str
    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float


def discover(experiment: Experiment, runs: pd.DataFrame) -> Discovery | None:
    """The box where the second base beats the first on the first figure, if it applies.

    None for grids, single-base designs, or without EMA Workbench installed.
    """
    bases = list(dict.fromkeys(runs["base"]))
    if isinstance(experiment.sampler, Grid) or len(bases) < 2:
        return None
    try:
        with warnings.catch_warnings():  # it warns of optional parts it does not find
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        return None
    figure, (first, second) = experiment.figures[0], bases[:2]
    names = [p.name for p in experiment.parameters]
    ok = runs[runs["error"].isna()]
    means = ok.groupby(["base", "point"])[figure].mean().unstack("base")[[first, second]].dropna()
    x = _prim_ready(ok[ok["base"] == first].groupby("point")[names].first().loc[means.index])
    margin = means[second] - means[first]
    if figure not in HIGHER_IS_BETTER:
        margin = -margin
    wins = margin.to_numpy() > 0
    question = f"where {second} beats {first} on {figure}"
    if not MIN_SHARE < wins.mean() < 1 - MIN_SHARE:
        wins = margin.to_numpy() >= np.quantile(margin, 1 - TOP_SHARE)
        question = (
            f"{second} beats {first} on {figure} at {np.mean(margin > 0):.0%} of the points; "
            f"where its margin is in the top quarter"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = prim.Prim(x.reset_index(drop=True), wins, mass_min=0.1).find_box()
    return Discovery(question, _limits(box.box_lim, x), box.coverage, box.density, box.mass)


def _prim_ready(x: pd.DataFrame) -> pd.DataFrame:
    """Numbers as floats (EMA's PRIM fails on int64), text as categories."""
    return x.apply(
        lambda c: c.astype(float) if pd.api.types.is_numeric_dtype(c) else c.astype("category")
    )


def _limits(box_lim: pd.DataFrame, x: pd.DataFrame) -> pd.DataFrame:
    """The parameters the box restricts, with their limits."""
    rows = []
    for name in box_lim.columns:
        low, high = box_lim[name].iloc[0], box_lim[name].iloc[1]
        if isinstance(low, set):
            if len(low) < x[name].nunique():
                rows.append({"parameter": name, "low": ", ".join(sorted(low)), "high": ""})
        elif low > x[name].min() or high < x[name].max():
            rows.append({"parameter": name, "low": low, "high": high})
    return pd.DataFrame(rows, columns=["parameter", "low", "high"])
