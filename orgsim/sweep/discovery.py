"""Where does one structure beat another? Scenario discovery with PRIM (EMA Workbench).

For a sampled design run in two or more bases (point ``i`` is the same parameters in
each), the paired margin of the second base over the first on the first figure
(:mod:`orgsim.sweep.contrasts`) is averaged per point. PRIM, the Patient Rule
Induction Method (Friedman & Fisher 1999), as used for scenario discovery by Bryant &
Lempert (2010), peels the parameter space down to a box where the second base wins.
As researchers use it, the result carries: the peeling trajectory (coverage against
density) with the chosen box marked, the box's quasi-p value per restricted parameter
(a one-sided binomial test, Bryant & Lempert 2010), how often each restriction
reappears over bootstrap resamples of the points, the threshold that defines a win,
and EMA's extra-trees feature scores (Jaxa-Rozen & Kwakkel 2018) beside it.

Nothing is shown as a finding when the margin's spread across points is within the
replications' noise (the noise share of the margin, as in
:func:`orgsim.sweep.sensitivity.noise`, above ``NOISY``), or cannot be told from it
(one replication). EMA Workbench is an optional extra (``pip install orgsim[prim]``);
its PRIM fails on int64 columns under pandas 3: numbers are cast to float, text to
categories.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orgsim.sweep.contrasts import paired_runs
from orgsim.sweep.design import Experiment, Grid
from orgsim.sweep.effects import interval
from orgsim.sweep.sensitivity import spread_and_noise

HIGHER_IS_BETTER = frozenset(
    {"satisfaction_mean", "decision_accuracy", "trust_mean", "requests_resolved"}
)
"""Figures where more is better; for every other figure less is."""

TOP_SHARE = 0.25
MIN_SHARE = 0.05
NOISY = 0.5
"""A margin whose noise share exceeds this supports no box."""
RESAMPLES = 20
"""Bootstrap resamples of the points for the stability of each restriction."""
MASS_MIN = 0.05


@dataclass(frozen=True)
class Discovery:
    """PRIM's answer, with what a reader needs to judge it.

    Attributes:
        question: what the box answers, in words, with the threshold of a win.
        supported: whether the margin stands out of the replications' noise.
        reason: why no box is supported (empty when one is).
        noise_share: the margin's replication noise against its spread across points.
        limits: per restricted parameter: limits, quasi-p values, bootstrap stability.
        trajectory: the peeling trajectory (coverage, density, mass, res_dim).
        chosen: the row of the trajectory chosen (the largest F1 of coverage and density).
        scores: extra-trees feature scores per parameter.
    """

    question: str
    supported: bool
    reason: str
    noise_share: float
    limits: pd.DataFrame
    trajectory: pd.DataFrame
    chosen: int
    scores: pd.DataFrame

    @property
    def box(self) -> pd.Series:
        """Coverage, density and mass of the chosen box."""
        return self.trajectory.loc[self.chosen, ["coverage", "density", "mass"]]


def discover(experiment: Experiment, runs: pd.DataFrame) -> Discovery | None:
    """The box where the second base beats the first on the first figure, if it applies.

    None for grids, single-base designs, or without EMA Workbench installed.
    """
    if isinstance(experiment.sampler, Grid) or runs["base"].nunique() < 2:
        return None
    try:
        with warnings.catch_warnings():  # it warns of optional parts it does not find
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import feature_scoring, prim  # noqa: F401
    except ImportError:
        return None
    figure = experiment.figures[0]
    paired = paired_runs(experiment, runs)
    pair = paired["base"].iloc[0]
    paired = paired[paired["base"] == pair].dropna(subset=[figure])
    sign = 1 if figure in HIGHER_IS_BETTER else -1
    per_point = (sign * paired[figure]).groupby(paired["point"])
    margin, low = per_point.mean(), per_point.apply(lambda m: interval(m)[0])
    names = [n for n in (p.name for p in experiment.parameters) if paired[n].notna().any()]
    x = _prim_ready(paired.groupby("point")[names].first().loc[margin.index])
    share = _noise_share(sign * paired[figure], paired)
    wins, question = _wins(margin, low, pair, figure)
    if wins.all() or not wins.any():  # nothing to tell apart: no peeling, no scores
        reason = "the margin is the same at every point: there is no region to find"
        empty = pd.DataFrame(columns=["coverage", "density", "mass", "res_dim"])
        return Discovery(question, False, reason, share, pd.DataFrame(), empty, 0, pd.DataFrame())
    scores = _scores(x, wins, experiment.seed)
    reason = _unsupported(share, paired["replication"].nunique())
    trajectory, chosen, limits = _prim(x, wins)
    if not reason:
        limits = _with_stability(limits, x, wins, experiment.seed)
    return Discovery(question, not reason, reason, share, limits, trajectory, chosen, scores)


def _wins(margin: pd.Series, low: pd.Series, pair: str, figure: str) -> tuple[np.ndarray, str]:
    """Points where the second base wins beyond noise, or its top quarter, and the rule."""
    second, first = pair.split(" - ")
    wins = low.to_numpy() > 0
    if MIN_SHARE < wins.mean() < 1 - MIN_SHARE:
        return wins, (
            f"where {second} beats {first} on {figure} (threshold: a point's mean paired "
            "margin whose 95% interval lies above 0)"
        )
    threshold = float(np.quantile(margin, 1 - TOP_SHARE))
    return margin.to_numpy() >= threshold, (
        f"{second} beats {first} on {figure} at {np.mean(margin > 0):.0%} of the points, so "
        f"the box is sought where its margin is in the top quarter (threshold: a margin "
        f"of {threshold:.4g} or more)"
    )


def _noise_share(margin: pd.Series, paired: pd.DataFrame) -> float:
    table = margin.groupby([paired["point"], paired["replication"]]).mean().unstack()
    between, in_means = spread_and_noise(table)
    if not between > 0 or np.isnan(in_means):
        return float("nan")
    return float(min(in_means / between, 1.0))


def _unsupported(share: float, replications: int) -> str:
    if replications < 2:
        return (
            "one replication per point: the margin's spread across points cannot be told "
            "apart from run-to-run noise"
        )
    if share > NOISY:
        return (
            f"{share:.0%} of the margin's spread across points is replication noise (more "
            f"than {NOISY:.0%}): the margin does not vary with the parameters beyond luck"
        )
    return ""


def _prim(x: pd.DataFrame, wins: np.ndarray) -> tuple[pd.DataFrame, int, pd.DataFrame]:
    """The peeling trajectory, the chosen step and its limits with quasi-p values."""
    box = _find_box(x, wins)
    trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].copy()
    cover, dense = trajectory["coverage"], trajectory["density"]
    chosen = int((2 * cover * dense / (cover + dense).where(cover + dense > 0)).idxmax())
    limits = _limits(box.box_lims[chosen], x, box.p_values[chosen])
    return trajectory, chosen, limits


def _find_box(x: pd.DataFrame, wins: np.ndarray) -> Any:  # EMA's PrimBox
    from ema_workbench.analysis import prim

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return prim.Prim(x.reset_index(drop=True), wins, mass_min=MASS_MIN).find_box()


def _with_stability(
    limits: pd.DataFrame, x: pd.DataFrame, wins: np.ndarray, seed: int
) -> pd.DataFrame:
    """Add how often each restricted parameter is restricted over bootstrap resamples."""
    rng = np.random.default_rng(seed)
    counts = dict.fromkeys(x.columns, 0)
    for _ in range(RESAMPLES):
        take = rng.integers(0, len(x), len(x))
        if wins[take].all() or not wins[take].any():
            continue
        for name in _prim(x.iloc[take], wins[take])[2]["parameter"]:
            counts[name] += 1
    stability = limits["parameter"].map(lambda name: counts[name] / RESAMPLES)
    return limits.assign(stability=stability)


def _scores(x: pd.DataFrame, wins: np.ndarray, seed: int) -> pd.DataFrame:
    from ema_workbench.analysis import feature_scoring

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table, _ = feature_scoring.get_ex_feature_scores(
            x.reset_index(drop=True), wins.astype(int), random_state=seed
        )
    return table.reset_index().set_axis(["parameter", "score"], axis=1)


def _prim_ready(x: pd.DataFrame) -> pd.DataFrame:
    """Numbers as floats (EMA's PRIM fails on int64), text as categories."""
    return x.apply(
        lambda c: c.astype(float) if pd.api.types.is_numeric_dtype(c) else c.astype("category")
    )


def _limits(box_lim: pd.DataFrame, x: pd.DataFrame, p_values: dict) -> pd.DataFrame:
    """The parameters the box restricts, with their limits and quasi-p values."""
    rows = []
    for name in box_lim.columns:
        low, high = box_lim[name].iloc[0], box_lim[name].iloc[1]
        qp_low, qp_high = (p_values.get(name) or [np.nan, np.nan])[:2]
        qp = {"qp_low": _qp(qp_low), "qp_high": _qp(qp_high)}
        if isinstance(low, set):
            if len(low) < x[name].nunique():
                rows.append({"parameter": name, "low": ", ".join(sorted(low)), "high": "", **qp})
        elif low > x[name].min() or high < x[name].max():
            rows.append({"parameter": name, "low": low, "high": high, **qp})
    return pd.DataFrame(rows, columns=["parameter", "low", "high", "qp_low", "qp_high"])


def _qp(value: float) -> float:
    """EMA marks a side that is not restricted with -1: no test, NaN."""
    return float("nan") if value is None or value < 0 else float(value)
