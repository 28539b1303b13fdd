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
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orgsim.results.stats import CONFIDENCE
from orgsim.sweep.design import Experiment, Morris, Sobol, unit_sample


def is_sensitivity_design(experiment: Experiment) -> bool:
    """Whether the design is one that sensitivity indices are taken over."""
    return isinstance(experiment.sampler, Sobol | Morris)


def sensitivity(experiment: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """Indices per base, figure and parameter; empty for other designs.

    A base and figure with a missing point (a failed run at every replication) is
    left out, as the estimators need the whole design; so is a figure that does not
    vary at all (no variance to apportion).
    """
    if not is_sensitivity_design(experiment) or runs.empty:
        return pd.DataFrame()
    unit = unit_sample(experiment)
    tables = []
    for base, group in runs.groupby("base", sort=False):
        for figure in experiment.figures:
            means = group.groupby("point")[figure].mean().reindex(range(len(unit)))
            if means.isna().any() or means.nunique() == 1:
                continue
            table = _indices(experiment, unit, means.to_numpy())
            table.insert(0, "figure", figure)
            table.insert(0, "base", base)
            tables.append(table)
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def _indices(experiment: Experiment, unit: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """SALib's indices of one output ``y`` over the design ``unit``."""
    from SALib.analyze import morris, sobol

    sampler, problem = experiment.sampler, experiment.problem
    if isinstance(sampler, Sobol):
        found = sobol.analyze(
            problem,
            y,
            calc_second_order=sampler.second_order,
            conf_level=CONFIDENCE,
            seed=experiment.seed,
        )
        keys = ["S1", "S1_conf", "ST", "ST_conf"]
    else:
        found = morris.analyze(
            problem, unit, y, conf_level=CONFIDENCE, num_levels=sampler.levels, seed=experiment.seed
        )
        keys = ["mu_star", "mu_star_conf", "sigma", "mu"]
    table = pd.DataFrame({key: np.asarray(found[key], dtype=float) for key in keys})
    table.insert(0, "parameter", problem["names"])
    return table
