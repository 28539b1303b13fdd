"""Figures people would rather look at than read: a comparison at a glance."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen is needed, or assumed
import matplotlib.pyplot as plt
import pandas as pd

from orgsim.results.tables import LABELS, SCENARIO_COLOURS

PANELS = (
    "response_time_mean_h",
    "response_time_p90_h",
    "satisfaction_mean",
    "churn_rate",
    "decision_accuracy",
    "escalation_rate",
)


def comparison_figure(table: pd.DataFrame, path: Path) -> Path:
    """Bars of each scenario's mean with its 95% interval, one panel per figure."""
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), constrained_layout=True)
    for ax, key in zip(axes.flat, PANELS, strict=True):
        rows = table[table["figure"] == key]
        errors = [rows["mean"] - rows["low"], rows["high"] - rows["mean"]]
        ax.bar(
            rows["scenario"],
            rows["mean"],
            yerr=errors,
            capsize=6,
            color=list(SCENARIO_COLOURS[: len(rows)]),
        )
        ax.set_title(LABELS[key][0])
        ax.tick_params(axis="x", labelrotation=15)
    fig.suptitle("Scenario comparison: means with 95% confidence intervals")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
