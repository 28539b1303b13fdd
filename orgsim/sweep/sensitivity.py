"""Which parameter matters most: Sobol and Morris indices of a sampled design (SALib).

The design was drawn in the unit hypercube (:mod:`orgsim.sweep.design`), so the
indices are taken there too: Sobol indices do not change under a monotone rescaling
of each input, and Morris' elementary effects are then per whole range of a
parameter, comparable across parameters of different units. Each design point's
figure is the mean of its replications (common random numbers make the points
comparable). Sobol: first-order ``S1`` and total ``ST`` (Saltelli 2002; Saltelli et
al. 2010); Morris: ``mu_star``, the mean absolute elementary effect, and ``sigma``
(Morris 1991; Campolongo, Cariboni & Saltelli 2007). Confidence intervals are
SALib's bootstrap at 95%.

Results that may be noise are said so (:func:`doubts`): Sobol indices are also taken
over the first half of the design (Saltelli's design of N begins with that of N/2)
and a change beyond ``CONVERGENCE_TOL`` means N is too small; intervals wider than
``WIDE_CONF``, S1 above ST or below zero beyond their intervals are named. The
replications' noise is measured against the spread between points (:func:`noise`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orgsim.results.stats import CONFIDENCE
from orgsim.sweep.design import Experiment, Morris, Sobol, unit_sample

CONVERGENCE_TOL = 0.1
"""Largest change of an index from N/2 to N for the indices to count as converged."""
WIDE_CONF = 0.1
"""Half-width of a 95% interval beyond which an index is too uncertain to rank by."""


def is_sensitivity_design(experiment: Experiment) -> bool:
    """Whether the design is one that sensitivity indices are taken over."""
    return isinstance(experiment.sampler, Sobol | Morris)


def point_means(runs: pd.DataFrame, figure: str, points: int) -> pd.Series:
    """Each design point's mean over its replications, indexed 0..points-1 (NaN if none)."""
    return runs.groupby("point")[figure].mean().reindex(range(points))


def sensitivity(experiment: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """Indices per base, figure and parameter; empty for other designs.

    A base and figure with a missing point (a failed run at every replication) is
    left out, as the estimators need the whole design (:func:`gaps` names them); so
    is a figure that does not vary at all (no variance to apportion).
    """
    if not is_sensitivity_design(experiment) or runs.empty:
        return pd.DataFrame()
    unit = unit_sample(experiment)
    tables = []
    for base, group in runs.groupby("base", sort=False):
        for figure in experiment.figures:
            means = point_means(group, figure, len(unit))
            if means.isna().any() or means.nunique() == 1:
                continue
            table = _indices(experiment, unit, means.to_numpy())
            table.insert(0, "figure", figure)
            table.insert(0, "base", base)
            tables.append(table)
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def gaps(experiment: Experiment, runs: pd.DataFrame) -> list[str]:
    """Why a base and figure has no indices: the points it lacks, in words."""
    if not is_sensitivity_design(experiment) or runs.empty:
        return []
    points = len(unit_sample(experiment))
    found = []
    for base, group in runs.groupby("base", sort=False):
        for figure in experiment.figures:
            lacking = np.flatnonzero(point_means(group, figure, points).isna().to_numpy())
            if len(lacking):
                first = ", ".join(str(p) for p in lacking[:5])
                found.append(
                    f"{base}, {figure}: no indices, {len(lacking)} of {points} design points "
                    f"have no finished run (points {first}{', ...' if len(lacking) > 5 else ''})"
                )
    return found


def _indices(experiment: Experiment, unit: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """SALib's indices of one output ``y`` over the design ``unit``."""
    sampler = experiment.sampler
    if isinstance(sampler, Sobol):
        table = _sobol(experiment, y, sampler.samples)
        if sampler.samples >= 4:  # the first half of Saltelli's design is the design of N/2
            half = _sobol(experiment, y[: len(y) // 2], sampler.samples // 2)
            table["S1_half"], table["ST_half"] = half["S1"], half["ST"]
        return table
    from SALib.analyze import morris

    problem = experiment.problem
    found = morris.analyze(
        problem, unit, y, conf_level=CONFIDENCE, num_levels=sampler.levels, seed=experiment.seed
    )
    keys = ["mu_star", "mu_star_conf", "sigma", "mu"]
    table = pd.DataFrame({key: np.asarray(found[key], dtype=float) for key in keys})
    table.insert(0, "parameter", problem["names"])
    return table


def _sobol(experiment: Experiment, y: np.ndarray, samples: int) -> pd.DataFrame:
    from SALib.analyze import sobol

    problem = experiment.problem
    found = sobol.analyze(
        problem,
        y,
        calc_second_order=experiment.sampler.second_order,
        conf_level=CONFIDENCE,
        seed=experiment.seed,
    )
    keys = ["S1", "S1_conf", "ST", "ST_conf"]
    table = pd.DataFrame({key: np.asarray(found[key], dtype=float) for key in keys})
    table.insert(0, "parameter", problem["names"])
    return table


def doubts(indices: pd.DataFrame) -> list[str]:
    """Where Sobol indices may be noise: not converged, wide, or impossible values."""
    if indices.empty or "ST" not in indices.columns:
        return []
    found = []
    for (base, figure), rows in indices.groupby(["base", "figure"], sort=False):
        where = f"{base}, {figure}"
        if "S1_half" in rows.columns:
            change = np.nanmax(
                np.abs(np.r_[rows["S1"] - rows["S1_half"], rows["ST"] - rows["ST_half"]])
            )
            if change > CONVERGENCE_TOL:
                found.append(
                    f"{where}: not converged, an index moves by {change:.2f} from N/2 to N "
                    f"(more than {CONVERGENCE_TOL}); double N"
                )
        wide = rows.loc[rows[["S1_conf", "ST_conf"]].max(axis=1) > WIDE_CONF, "parameter"]
        if len(wide):
            found.append(
                f"{where}: intervals wider than ±{WIDE_CONF} for {', '.join(wide)}; do not "
                "rank these parameters"
            )
        above = rows["S1"] - rows["ST"] > rows["S1_conf"] + rows["ST_conf"]
        below = rows["S1"] + rows["S1_conf"] < 0
        for label, mask in (("S1 above ST", above), ("S1 below 0", below)):
            if mask.any():
                names = ", ".join(rows.loc[mask, "parameter"])
                found.append(f"{where}: {label} beyond the intervals for {names}; N is too small")
    return found


def noise(experiment: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """How much of the spread between design points is the replications' noise.

    Per base and figure: ``between_points`` is the variance of the points' means,
    ``noise_in_means`` the variance a mean of R replications has from noise alone, and
    ``noise_share`` their ratio: near 1, the points differ by luck, not by their
    parameters. Replication r shares its seed across points (common random numbers),
    so the luck common to a replication moves every point alike and is no noise
    between points: the noise is the point x replication residual of a two-way
    layout (its mean square over R). With one replication it cannot be measured (NaN)
    and is counted as the parameters' variance.
    """
    rows = []
    for (base, figure), values in _long(runs, experiment.figures).groupby(
        ["base", "figure"], sort=False
    ):
        table = values.pivot_table("value", "point", "replication", aggfunc="mean")
        between, in_means = spread_and_noise(table)
        rows.append(
            {
                "base": base,
                "figure": figure,
                "replications": table.shape[1],
                "between_points": between,
                "noise_in_means": in_means,
                "noise_share": min(in_means / between, 1.0) if between > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def spread_and_noise(table: pd.DataFrame) -> tuple[float, float]:
    """Variance of the point means, and the noise variance of a mean of the replications.

    ``table`` has a row per design point and a column per replication; points missing
    a replication are left out of the noise estimate.
    """
    between = float(table.mean(axis=1).var())
    whole = table.dropna().to_numpy(dtype=float)
    points, replications = whole.shape
    if points < 2 or replications < 2:
        return between, float("nan")
    residual = (
        whole - whole.mean(axis=1, keepdims=True) - whole.mean(axis=0, keepdims=True) + whole.mean()
    )
    mean_square = (residual**2).sum() / ((points - 1) * (replications - 1))
    return between, float(mean_square / replications)


def _long(runs: pd.DataFrame, figures: list[str]) -> pd.DataFrame:
    present = [f for f in figures if f in runs.columns]
    ids = ["base", "point", "replication"]
    return runs.melt(ids, present, "figure", "value").dropna(subset=["value"])
