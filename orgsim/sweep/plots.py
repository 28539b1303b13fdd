"""A sweep's figures: main effects, heat maps of two parameters, sensitivity indices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no screen is needed, or assumed
import matplotlib.pyplot as plt
import matplotlib.ticker
import pandas as pd

from orgsim.results.tables import LABELS
from orgsim.sweep.effects import interval


def _label(figure: str) -> str:
    return LABELS[figure][0] if figure in LABELS else figure


def _tick(value: object) -> str:
    """A short axis label: 2,500 and 0.123, not 2.5e+03 and 0.123457."""
    if not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e7:
        return f"{int(value):,}"
    return f"{value:.3g}"


def _ordered(levels: set) -> list:
    """Levels in numeric order if they are numbers, else as text."""
    try:
        return sorted(levels)
    except TypeError:
        return sorted(levels, key=str)


MAX_LABELLED_CELLS = 64
"""Heat maps with more cells show colours only: the numbers would not fit."""
MIN_WIDTH_IN = 7.0
"""Narrowest figure: a one-panel figure still fits its title."""


def main_effects_figure(
    effects: pd.DataFrame,
    runs: pd.DataFrame,
    figures: list[str],
    path: Path,
    title: str = "Main effects: means over the other parameters, with 95% intervals",
    categorical: frozenset[str] = frozenset(),
) -> Path:
    """One panel per (figure, parameter): each base's means with 95% intervals.

    A base that does not vary a parameter is drawn as a dashed line at its mean, in a
    band of its 95% interval. Parameters in ``categorical`` (values, labelled levels)
    are drawn at evenly spaced, labelled positions.
    """
    parameters = list(dict.fromkeys(effects["parameter"]))
    bases = list(dict.fromkeys(runs["base"]))
    fig, axes = plt.subplots(
        len(figures),
        len(parameters),
        figsize=(max(3.6 * len(parameters), MIN_WIDTH_IN), 2.6 * len(figures)),
        squeeze=False,
        constrained_layout=True,
    )
    for row, figure in enumerate(figures):
        for col, parameter in enumerate(parameters):
            ax = axes[row][col]
            levels = _ordered(set(effects.loc[effects["parameter"] == parameter, "level"]))
            where = (
                {level: i for i, level in enumerate(levels)} if parameter in categorical else None
            )
            for index, base in enumerate(bases):
                _effect_line(ax, effects, runs, (base, parameter, figure), f"C{index}", where)
            if where is not None:
                ax.set_xticks(range(len(levels)), [_tick(level) for level in levels])
            else:
                ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
            ax.set_xlabel(parameter)
            if col == 0:
                ax.set_ylabel(_label(figure))
    axes[0][0].legend(fontsize="small")
    fig.suptitle(title)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _effect_line(
    ax: plt.Axes,
    effects: pd.DataFrame,
    runs: pd.DataFrame,
    panel: tuple[str, str, str],
    color: str,
    where: dict | None,
) -> None:
    base, parameter, figure = panel
    rows = effects[
        (effects["base"] == base)
        & (effects["parameter"] == parameter)
        & (effects["figure"] == figure)
    ]
    if rows.empty:
        ok = runs[(runs["base"] == base) & runs["error"].isna()][figure].dropna()
        ax.axhline(ok.mean(), color=color, linestyle="--", label=base)
        low, high = interval(ok)
        ax.axhspan(low, high, color=color, alpha=0.12, linewidth=0)
        return
    x = rows["level"].map(where) if where is not None else rows["level"]
    errors = [rows["mean"] - rows["low"], rows["high"] - rows["mean"]]
    ax.errorbar(x, rows["mean"], yerr=errors, marker="o", capsize=4, color=color, label=base)


def heatmap_figure(
    tables: dict[tuple[tuple[str, str], str], tuple[pd.DataFrame, pd.DataFrame]],
    figure: str,
    path: Path,
) -> Path:
    """Heat maps of ``figure``'s mean over every pair of parameters, a row per pair.

    ``tables`` holds per (pair, base) the means and the run counts per cell. All panels
    share one colour scale, so equal colours are equal values; each cell shows its
    mean and, below it, its number of runs, in black or white by its brightness.
    """
    pairs = list(dict.fromkeys(pair for pair, _ in tables))
    bases = list(dict.fromkeys(base for _, base in tables))
    values = pd.concat([means.stack() for means, _ in tables.values()])
    low, high = float(values.min()), float(values.max())
    fig, axes = plt.subplots(
        len(pairs),
        len(bases),
        figsize=(max(4.4 * len(bases) + 1, MIN_WIDTH_IN), 3.4 * len(pairs) + 0.6),
        squeeze=False,
        constrained_layout=True,
    )
    image = None
    for row, pair in enumerate(pairs):
        for col, base in enumerate(bases):
            ax = axes[row][col]
            if (pair, base) not in tables:
                ax.set_axis_off()
                continue
            image = _heatmap(ax, *tables[(pair, base)], pair, (low, high))
            ax.set_title(base, fontsize="medium")
    fig.colorbar(image, ax=axes.ravel().tolist(), label=_label(figure), shrink=0.8)
    fig.suptitle(f"{_label(figure)}: mean over runs (one colour scale)")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _heatmap(
    ax: plt.Axes,
    means: pd.DataFrame,
    counts: pd.DataFrame,
    pair: tuple[str, str],
    scale: tuple[float, float],
) -> Any:
    low, high = scale
    image = ax.imshow(
        means.to_numpy(dtype=float),
        origin="lower",
        aspect="auto",
        cmap="viridis",
        vmin=low,
        vmax=high,
    )
    ax.set_xticks(range(len(means.columns)), [_tick(c) for c in means.columns])
    ax.set_yticks(range(len(means.index)), [_tick(i) for i in means.index])
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_xlabel(pair[1])
    ax.set_ylabel(pair[0])
    if means.size > MAX_LABELLED_CELLS:
        return image
    for (i, j), value in pd.DataFrame(means.to_numpy()).stack().items():
        bright = high > low and (value - low) / (high - low) > 0.6
        ax.text(
            j,
            i,
            f"{value:.3g}\n(n={counts.iloc[i, j]:.0f})",
            ha="center",
            va="center",
            fontsize=7,
            color="black" if bright else "white",
        )
    return image


def sensitivity_figure(indices: pd.DataFrame, path: Path) -> Path:
    """Bars of each parameter's indices with their 95% intervals, per base and figure."""
    sobol = "ST" in indices.columns
    keys = ["S1", "ST"] if sobol else ["mu_star"]
    panels = list(indices.groupby(["figure", "base"], sort=False))
    fig, axes = plt.subplots(
        1, len(panels), figsize=(3.8 * len(panels), 3.4), squeeze=False, constrained_layout=True
    )
    for ax, ((figure, base), rows) in zip(axes[0], panels, strict=True):
        width = 0.8 / len(keys)
        for k, key in enumerate(keys):
            positions = [i + k * width for i in range(len(rows))]
            ax.bar(positions, rows[key], width, yerr=rows[f"{key}_conf"], capsize=3, label=key)
        ax.set_xticks([i + width * (len(keys) - 1) / 2 for i in range(len(rows))])
        ax.set_xticklabels(rows["parameter"], rotation=30, ha="right", fontsize="small")
        ax.set_title(f"{_label(figure)}\n{base}", fontsize="small")
    axes[0][0].legend(fontsize="small")
    fig.suptitle("Sobol indices" if sobol else "Morris mu* (elementary effects)")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def morris_figure(indices: pd.DataFrame, path: Path) -> Path:
    """Morris' mu*-sigma plane per base and figure, each parameter a labelled point.

    Far right: influential; high: non-linear or interacting; on the line sigma = mu*
    and above, effects that change with the other parameters (Morris 1991;
    Campolongo, Cariboni & Saltelli 2007).
    """
    panels = list(indices.groupby(["figure", "base"], sort=False))
    fig, axes = plt.subplots(
        1, len(panels), figsize=(4.2 * len(panels), 3.8), squeeze=False, constrained_layout=True
    )
    for ax, ((figure, base), rows) in zip(axes[0], panels, strict=True):
        ax.errorbar(rows["mu_star"], rows["sigma"], xerr=rows["mu_star_conf"], fmt="o", capsize=3)
        for _, row in rows.iterrows():
            ax.annotate(
                row["parameter"],
                (row["mu_star"], row["sigma"]),
                fontsize="small",
                xytext=(4, 4),
                textcoords="offset points",
            )
        top = max(rows["mu_star"].max(), rows["sigma"].max()) * 1.15 or 1.0
        ax.plot([0, top], [0, top], color="0.6", linestyle=":", label="sigma = mu*")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel("mu* (mean |elementary effect|)")
        ax.set_ylabel("sigma")
        ax.set_title(f"{_label(figure)}\n{base}", fontsize="small")
    axes[0][0].legend(fontsize="small")
    fig.suptitle("Morris: influence (mu*) against non-linearity and interaction (sigma)")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def trajectory_figure(trajectory: pd.DataFrame, chosen: int, path: Path) -> Path:
    """PRIM's peeling trajectory: coverage against density, the chosen box circled.

    Each step is coloured by the number of parameters its box restricts.
    """
    fig, ax = plt.subplots(figsize=(5.6, 4.2), constrained_layout=True)
    points = ax.scatter(
        trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"], cmap="viridis"
    )
    box = trajectory.loc[chosen]
    ax.scatter(
        [box["coverage"]],
        [box["density"]],
        s=220,
        facecolors="none",
        edgecolors="#d62728",
        linewidths=2,
        label=f"chosen box (step {chosen})",
    )
    ax.set_xlabel("coverage (share of all wins inside the box)")
    ax.set_ylabel("density (share of wins in the box)")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize="small", loc="lower left")
    fig.colorbar(points, ax=ax, label="parameters restricted")
    ax.set_title("PRIM peeling trajectory", fontsize="medium")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
