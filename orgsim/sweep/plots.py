"""A sweep's figures: main effects, heat maps of two parameters, sensitivity indices."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no screen is needed, or assumed
import matplotlib.pyplot as plt
import pandas as pd

from orgsim.results.tables import LABELS


def _label(figure: str) -> str:
    return LABELS[figure][0] if figure in LABELS else figure


def _tick(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, int | float) else str(value)


def main_effects_figure(
    effects: pd.DataFrame,
    runs: pd.DataFrame,
    figures: list[str],
    path: Path,
    title: str = "Main effects: means over the other parameters, with 95% intervals",
) -> Path:
    """One panel per (figure, parameter): each base's means with 95% intervals.

    A base that does not vary a parameter is drawn as a dashed line at its mean.
    """
    parameters = list(dict.fromkeys(effects["parameter"]))
    bases = list(dict.fromkeys(runs["base"]))
    fig, axes = plt.subplots(
        len(figures),
        len(parameters),
        figsize=(3.6 * len(parameters), 2.6 * len(figures)),
        squeeze=False,
        constrained_layout=True,
    )
    for row, figure in enumerate(figures):
        for col, parameter in enumerate(parameters):
            ax = axes[row][col]
            for index, base in enumerate(bases):
                _effect_line(ax, effects, runs, base, parameter, figure, f"C{index}")
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
    base: str,
    parameter: str,
    figure: str,
    color: str,
) -> None:
    rows = effects[
        (effects["base"] == base)
        & (effects["parameter"] == parameter)
        & (effects["figure"] == figure)
    ]
    if rows.empty:
        ok = runs[(runs["base"] == base) & runs["error"].isna()]
        ax.axhline(ok[figure].mean(), color=color, linestyle="--", label=base)
        return
    x = rows["level"] if pd.api.types.is_numeric_dtype(rows["level"]) else rows["level"].astype(str)
    errors = [rows["mean"] - rows["low"], rows["high"] - rows["mean"]]
    ax.errorbar(x, rows["mean"], yerr=errors, marker="o", capsize=4, color=color, label=base)


def heatmap_figure(
    tables: dict[str, pd.DataFrame], pair: tuple[str, str], figure: str, path: Path
) -> Path:
    """One heat map per base of ``figure``'s mean over two parameters' levels."""
    fig, axes = plt.subplots(
        1, len(tables), figsize=(4.5 * len(tables), 3.8), squeeze=False, constrained_layout=True
    )
    for ax, (base, table) in zip(axes[0], tables.items(), strict=True):
        image = ax.imshow(
            table.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis"
        )
        ax.set_xticks(range(len(table.columns)), [_tick(c) for c in table.columns])
        ax.set_yticks(range(len(table.index)), [_tick(i) for i in table.index])
        ax.set_xlabel(pair[1])
        ax.set_ylabel(pair[0])
        ax.set_title(base)
        for (i, j), value in pd.DataFrame(table.to_numpy()).stack().items():
            ax.text(j, i, f"{value:.3g}", ha="center", va="center", color="white", fontsize=7)
        fig.colorbar(image, ax=ax)
    fig.suptitle(f"{_label(figure)}: mean over runs")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


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
