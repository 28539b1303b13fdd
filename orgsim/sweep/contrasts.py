"""Where and by how much does one base beat another: paired differences per design point.

Replication ``r`` of every point and base shares one seed (:mod:`orgsim.sweep.seeds`),
so base B and the reference base A at the same parameters and replication face the
same customers and requests: their difference is paired, and its spread over the
replications is far smaller than either base's (common random numbers). Runs are
paired on the replication and on the parameters both bases vary (a sampled design's
point ``i`` is the same parameters in every base, so the point is used as well); a
parameter of B alone keeps its own levels, each paired with A's run at the shared ones.
"""

from __future__ import annotations

import pandas as pd

from orgsim.sweep.design import Experiment, Grid
from orgsim.sweep.effects import interval

PAIRED = "paired"
"""The ``base`` column of the differences: ``B - A``."""


def paired_runs(experiment: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per paired replication: B's parameters and B - A for every figure.

    The ``base`` column names the pair (``B - A``); the reference A is the first base.
    Empty for a single-base design.
    """
    ok = runs[runs["error"].isna()]
    bases = list(dict.fromkeys(ok["base"]))
    if len(bases) < 2:
        return pd.DataFrame()
    names = [p.name for p in experiment.parameters]
    figures = [f for f in experiment.figures if f in ok.columns]
    reference = ok[ok["base"] == bases[0]]
    frames = []
    for base in bases[1:]:
        other = ok[ok["base"] == base]
        shared = [n for n in names if reference[n].notna().any() and other[n].notna().any()]
        keys = [*shared, "replication"]
        keys += [] if isinstance(experiment.sampler, Grid) else ["point"]
        own = [n for n in names if n not in shared and reference[n].notna().any()]
        joined = other.merge(reference[[*keys, *own, *figures]], on=keys, suffixes=("", "_ref"))
        for name in own:  # A's own parameters: the difference at each of their levels
            joined[name] = joined[f"{name}_ref"]
        diff = joined[["point", "replication", *names]].copy()
        for figure in figures:
            diff[figure] = joined[figure] - joined[f"{figure}_ref"]
        diff.insert(0, "base", f"{base} - {bases[0]}")
        frames.append(diff.assign(error=None))
    return pd.concat(frames, ignore_index=True)


def contrasts(experiment: Experiment, runs: pd.DataFrame) -> pd.DataFrame:
    """Per pair of bases, parameter setting and figure: the mean paired difference, 95% CI."""
    paired = paired_runs(experiment, runs)
    if paired.empty:
        return pd.DataFrame()
    names = [p.name for p in experiment.parameters]
    figures = [f for f in experiment.figures if f in paired.columns]
    rows = []
    for (base, *_), group in paired.groupby(["base", *names], sort=True, dropna=False):
        settings = group[names].iloc[0].to_dict()
        for figure in figures:
            values = group[figure].dropna()
            low, high = interval(values)
            rows.append(
                {
                    "base": base,
                    **settings,
                    "figure": figure,
                    "difference": values.mean(),
                    "low": low,
                    "high": high,
                    "n": len(values),
                }
            )
    return pd.DataFrame(rows)
