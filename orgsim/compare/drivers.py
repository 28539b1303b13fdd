"""What drives each difference, in words and as a tornado figure per headline figure.

Reads the attribution tables (:class:`~orgsim.compare.attribution.Explained`): for each
headline figure, the total difference and the factors' shares of it, the largest first,
each with its 95% interval, then the largest interaction where it is told apart.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # files only
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from orgsim.compare.attribution import Explained
from orgsim.compare.measures import HEADLINES, MEASURES, Measure

SHOWN = 3
"""Factors named in a sentence: the largest; the rest are in the table and figure."""


def leads() -> list[str]:
    """The figure each headline question is attributed on: its lead figure."""
    return [keys[0] for keys in HEADLINES.values()]


def parts(explained: Explained, figure: str) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """A figure's total row, its factors (largest first) and its interactions."""
    rows = explained.table[explained.table["figure"] == figure]
    total = rows[rows["factor"] == "total"].iloc[0]
    factors = rows[(rows["factor"] != "total") & ~rows["factor"].str.startswith("interaction")]
    factors = factors.reindex(factors["contribution"].abs().sort_values(ascending=False).index)
    return total, factors, rows[rows["factor"].str.startswith("interaction")]


def interval_text(measure: Measure, row: pd.Series) -> str:
    """``"-0.70 h [-0.80, -0.60]"``, or the value alone where it does not vary."""
    value = measure.difference(row["contribution"])
    if math.isnan(row["ci_low"]):
        return value
    low, high = measure.number(row["ci_low"], True), measure.number(row["ci_high"], True)
    return f"{value} [{low}, {high}]"


def sentence(explained: Explained, figure: str) -> str:
    """``"Of the -1.43 h difference in response time, mean, -0.70 h [...] comes from ..."``."""
    measure = MEASURES[figure]
    total, factors, pairs = parts(explained, figure)
    named = [
        f"{interval_text(measure, row)} from the {row['factor']}"
        for _, row in factors.head(SHOWN).iterrows()
    ]
    rest = len(factors) - len(named)
    text = (
        f"Of the {measure.difference(total['contribution'])} difference in {measure.name} "
        f"({explained.scenario} against {explained.baseline}), " + "; ".join(named)
    )
    text += f"; {rest} other factor(s) the rest." if rest > 0 else "."
    if len(pairs) and _told_apart(pairs.iloc[0]):
        top = pairs.iloc[0]
        text += (
            f" The largest two-factor {top['factor']}: {interval_text(measure, top)} (the "
            "Shapley values share it between the two)."
        )
    return text


def _told_apart(row: pd.Series) -> bool:
    low, high = row["ci_low"], row["ci_high"]
    if math.isnan(low):
        return row["contribution"] != 0
    return low > 0 or high < 0


def tornado(explained: Explained, figures: Sequence[str] | None = None) -> Figure:
    """One panel per headline figure: each factor's contribution with its 95% interval."""
    figures = list(figures or leads())
    lines = sum(len(_wrapped(f.label).splitlines()) for f in explained.design.factors) + 1
    height = 1.2 + len(figures) * (1.0 + 0.2 * lines)
    fig, axes = plt.subplots(len(figures), 1, figsize=(11, height), constrained_layout=True,
                             squeeze=False)  # fmt: skip
    for ax, figure in zip(axes[:, 0], figures, strict=True):
        _panel(ax, explained, figure)
    fig.suptitle(
        f"What drives the difference: {explained.scenario} against {explained.baseline} "
        "(Shapley values, 95% intervals)".replace("$", r"\$")
    )
    return fig


def _panel(ax: plt.Axes, explained: Explained, figure: str) -> None:
    measure = MEASURES[figure]
    total, factors, _ = parts(explained, figure)
    scale = 100.0 if measure.unit == "%" else (1e-3 if measure.unit == "kEUR" else 1.0)
    rows = [*factors.itertuples(), total]
    labels = [_label(r) for r in rows]
    values = np.array([r.contribution for r in rows]) * scale
    low = np.array([r.ci_low for r in rows]) * scale
    high = np.array([r.ci_high for r in rows]) * scale
    errors = np.nan_to_num(np.array([values - low, high - values]))
    colours = [_colour(measure, v) for v in values[:-1]] + ["#444444"]
    y = np.arange(len(rows))
    ax.barh(y, values, xerr=errors, color=colours, capsize=3, height=0.6)
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, [_wrapped(label).replace("$", r"\$") for label in labels], fontsize=8)
    ax.invert_yaxis()
    unit = measure.difference_unit or "score"
    ax.set_title(f"{measure.label} ({measure.hint})", fontsize=10)
    ax.set_xlabel(f"contribution to the difference ({unit})", fontsize=8)


LABEL_WIDTH = 64
"""Characters per line of a factor's label in the figure (the table has them whole)."""


def _wrapped(label: str) -> str:
    return textwrap.fill(label, LABEL_WIDTH, max_lines=2, placeholder=" …")


def _label(row: object) -> str:
    factor = getattr(row, "factor", None) or row["factor"]  # a namedtuple or a Series
    return "total difference" if factor == "total" else factor


def _colour(measure: Measure, value: float) -> str:
    """Green for a contribution for the better, red for the worse, grey where neither."""
    better = measure.improves(value)
    return {True: "#1a9850", False: "#d73027", None: "#999999"}[better]


def grid(explained: Explained) -> tuple[list[str], list[list[str]]]:
    """The attribution as a table of text: a row per factor, total and interaction.

    Returns:
        The header (the factor column, then one column per headline figure) and rows.
    """
    figures = leads()
    table = explained.table.set_index(["factor", "figure"])
    names = list(dict.fromkeys(explained.table["factor"]))
    order = [n for n in names if n != "total" and not n.startswith("interaction")]
    order += ["total", *(n for n in names if n.startswith("interaction"))]
    rows = []
    for factor in order:
        cells = [
            interval_text(MEASURES[f], table.loc[(factor, f)]) if (factor, f) in table.index else ""
            for f in figures
        ]
        rows.append(["total difference" if factor == "total" else factor, *cells])
    header = ["factor: baseline → scenario", *(MEASURES[f].label for f in figures)]
    return header, rows


def refused(explained: Explained) -> list[str]:
    """The mixes the schema refused, each with its reason."""
    design = explained.design
    return [
        f"{explained.baseline} with {', '.join(design.names(mask))} of {explained.scenario}: "
        f"{reason}"
        for mask, reason in sorted(design.refused.items())
    ]
