"""The comparison's figures, drawn with matplotlib (Agg: files only, no screen).

Every figure draws a scenario in its colour from :mod:`orgsim.results.palette`, says
its units on the axes, shows shares as percentages and says which way is better.
Scenario names are shown as written: a ``$`` in a name is escaped, never read as
mathematics.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # files only: no screen is needed, or assumed
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from orgsim.compare import analysis
from orgsim.compare.comparison import Comparison
from orgsim.compare.measures import MEASURES, Measure
from orgsim.results.palette import scenario_colours

DPI = 100
STYLE = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "axes.titlesize": 11,
    "figure.titlesize": 13,
}


@dataclass(frozen=True)
class Drawn:
    """One figure as a PNG, with what a report says about it."""

    name: str
    title: str
    caption: str
    png: bytes


def literal(text: str) -> str:
    """``text`` as matplotlib shows it literally: ``$`` would start mathematics."""
    return text.replace("$", r"\$")


def draw_all(comparison: Comparison) -> list[Drawn]:
    """Every figure of the report, in its order."""
    drawn = []
    with plt.rc_context(STYLE):
        for name, (title, caption, draw) in FIGURES.items():
            figure = draw(comparison)
            drawn.append(Drawn(name, title, caption, png(figure)))
    return drawn


def png(figure: Figure) -> bytes:
    """``figure`` as PNG bytes; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    plt.close(figure)
    return buffer.getvalue()


def _colours(comparison: Comparison) -> dict[str, str]:
    return scenario_colours(comparison.names)


def _legend(ax: Axes, **kwargs: object) -> None:
    if ax.get_legend_handles_labels()[0]:  # none where every run failed
        ax.legend(frameon=False, **kwargs)


# --- distributions ---------------------------------------------------------------------


def response_ecdf(comparison: Comparison) -> Figure:
    """Share of requests answered within each time: each run's quantiles, averaged."""
    fig, ax = plt.subplots(figsize=(9, 5), constrained_layout=True)
    quantiles = comparison.response_quantiles
    for name, colour in _colours(comparison).items():
        rows = quantiles[quantiles["scenario"] == name]
        if rows.empty:
            continue
        table = rows.pivot(index="seed", columns="probability", values="response_h")
        mean, low, high = _band(table.to_numpy())
        share = 100 * table.columns.to_numpy()
        floor = 1e-3  # the log axis needs positive times
        ax.plot(np.maximum(mean, floor), share, color=colour, lw=2, label=literal(name))
        ax.fill_betweenx(share, np.maximum(low, floor), np.maximum(high, floor), color=colour,
                         alpha=0.2, lw=0)  # fmt: skip
    means = quantiles.groupby(["scenario", "probability"])["response_h"].mean()
    positive = means[means > 0]
    if len(positive):
        ax.set_xlim(positive.min() / 1.5, positive.max() * 1.5)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.yaxis.set_major_formatter(PercentFormatter(100))
    ax.set_ylim(0, 100)
    ax.set_xlabel("response time (working hours, log scale)")
    ax.set_ylabel("requests answered within that time")
    ax.set_title("Response times: further left is faster (better)")
    _legend(ax, loc="lower right")
    return fig


def _band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column means and their 95% intervals across rows (replications)."""
    mean = np.nanmean(values, axis=0)
    bounds = [analysis.interval(col[~np.isnan(col)]) for col in values.T]
    low = np.array([b[0] for b in bounds])
    high = np.array([b[1] for b in bounds])
    return mean, np.where(np.isnan(low), mean, low), np.where(np.isnan(high), mean, high)


# --- over time -------------------------------------------------------------------------


def over_time(comparison: Comparison) -> Figure:
    """Satisfaction and backlog per day, means across replications with 95% bands."""
    fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True, constrained_layout=True)
    series = comparison.timeseries
    panels = (
        ("satisfaction_mean", "mean customer satisfaction (0 to 1)", "higher is better"),
        ("backlog", "requests in progress (backlog)", "lower is better"),
    )
    for ax, (column, label, hint) in zip(axes, panels, strict=True):
        for name, colour in _colours(comparison).items():
            rows = series[series["scenario"] == name]
            if rows.empty:
                continue
            table = rows.pivot_table(index="seed", columns="day", values=column)
            mean, low, high = _band(table.to_numpy(dtype=float))
            days = table.columns.to_numpy(dtype=float)
            ax.plot(days, mean, color=colour, lw=2, label=literal(name))
            ax.fill_between(days, low, high, color=colour, alpha=0.2, lw=0)
        ax.set_ylabel(label)
        ax.set_title(f"{label.capitalize()}: {hint}")
        _shade_warmup(ax, comparison)
    axes[-1].set_xlabel("working day")
    _legend(axes[0], loc="best")
    return fig


def _shade_warmup(ax: Axes, comparison: Comparison) -> None:
    warmup = max(s.run.warmup_days for s in comparison.scenarios)
    if warmup > 0:
        ax.axvspan(0, warmup, color="grey", alpha=0.12, lw=0, label="warm-up (not measured)")


# --- where decisions are taken ---------------------------------------------------------


def decision_levels(comparison: Comparison) -> Figure:
    """Share of requests decided at each level, pooled over replications."""
    decisions = comparison.decisions
    levels = list(dict.fromkeys(decisions["level"]))
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.55 * max(len(levels), 1)), constrained_layout=True)
    colours = _colours(comparison)
    height = 0.8 / len(colours)
    for i, (name, colour) in enumerate(colours.items()):
        counts = decisions[decisions["scenario"] == name].groupby("level", sort=False)["decisions"]
        total = counts.sum().reindex(levels, fill_value=0)
        shares = 100 * total / total.sum() if total.sum() else total * 0.0
        y = np.arange(len(levels)) + (i - (len(colours) - 1) / 2) * height
        bars = ax.barh(y, shares.to_numpy(), height=height, color=colour, label=literal(name))
        ax.bar_label(bars, labels=[f"{s:.1f}%" for s in shares], padding=3, fontsize=8)
    ax.set_yticks(np.arange(len(levels)), [literal(level) for level in levels])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(100))
    ax.set_xlabel("share of answered requests decided there")
    ax.set_title("Where decisions are taken (from the front line down the list)")
    _legend(ax, loc="lower right")
    return fig


# --- differences and trade-offs --------------------------------------------------------

DIFFERENCE_PANELS = (
    "response_time_mean_h",
    "response_time_p90_h",
    "churn_rate",
    "satisfaction_mean",
    "decision_accuracy",
    "false_accept_rate",
    "management_hours_per_request",
    "escalation_rate",
)


def differences(comparison: Comparison) -> Figure:
    """Each scenario minus the baseline, paired by seed, with its 95% interval."""
    names = comparison.names
    fig, axes = plt.subplots(4, 2, figsize=(10, 1.6 + 0.45 * len(names) * 4 + 2),
                             constrained_layout=True)  # fmt: skip
    summary = comparison.summary
    colours = _colours(comparison)
    for ax, key in zip(axes.flat, DIFFERENCE_PANELS, strict=True):
        measure = MEASURES[key]
        rows = summary[(summary["figure"] == key) & summary["scenario"].isin(names[1:])]
        scale = 100.0 if measure.unit == "%" else 1.0
        for y, row in enumerate(rows.itertuples()):
            mid, low, high = row.diff * scale, row.diff_low * scale, row.diff_high * scale
            bars = np.nan_to_num([[mid - low], [high - mid]])  # none for a fixed difference
            ax.errorbar(mid, y, xerr=bars, fmt="o",
                        color=colours[row.scenario], capsize=5, ms=7)  # fmt: skip
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(range(len(rows)), [literal(n) for n in rows["scenario"]])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_title(f"{measure.label}" + (f" ({measure.hint})" if measure.hint else ""))
        ax.set_xlabel(f"difference to {literal(names[0])} ({measure.difference_unit or 'score'})")
    fig.suptitle(f"Paired differences to {literal(names[0])}, with 95% intervals")
    return fig


def trade_off(comparison: Comparison) -> Figure:
    """Speed against decision quality: each replication, and each scenario's mean."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), constrained_layout=True)
    runs = analysis.succeeded(comparison.runs)
    panels = (MEASURES["decision_accuracy"], MEASURES["false_accept_rate"])
    for ax, measure in zip(axes, panels, strict=True):
        for name, colour in _colours(comparison).items():
            rows = runs[runs["scenario"] == name]
            x = rows["response_time_mean_h"].astype(float)
            y = 100 * rows[measure.key].astype(float)
            ax.scatter(x, y, color=colour, alpha=0.35, s=18, lw=0)
            ax.errorbar(x.mean(), y.mean(), xerr=_half(x), yerr=_half(y), fmt="o", ms=10,
                        color=colour, capsize=5, label=literal(name))  # fmt: skip
        ax.yaxis.set_major_formatter(PercentFormatter(100))
        ax.set_xlabel("response time, mean (working hours): lower is better")
        ax.set_ylabel(f"{measure.label} ({measure.hint})")
    axes[0].set_title("Speed and right decisions: best is top left")
    axes[1].set_title("Speed and bad proposals accepted: best is bottom left")
    _legend(axes[0], loc="best")
    return fig


def _half(values: pd.Series) -> float:
    low, high = analysis.interval(values.dropna().to_numpy())
    return 0.0 if np.isnan(low) else (high - low) / 2


def management(comparison: Comparison) -> Figure:
    """What management costs: review hours per request and managers in the headcount."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), constrained_layout=True)
    summary = comparison.summary
    colours = _colours(comparison)
    for ax, key in zip(axes, ("management_hours_per_request", "management_headcount_share"),
                       strict=True):  # fmt: skip
        measure = MEASURES[key]
        _bars(ax, summary[summary["figure"] == key], measure, colours)
    axes[0].set_ylabel("manager review hours per answered request (h)")
    axes[1].set_ylabel("managers in the headcount")
    fig.suptitle("Management cost: lower is better")
    return fig


MONEY = ("value_bad_accepted", "value_good_rejected", "value_customers_lost", "management_cost")
"""What a structure costs in euro, as stacked parts: wrong decisions both ways, lost
customers, and the managers' pay."""


def money(comparison: Comparison) -> Figure:
    """Euro at stake per scenario, stacked: wrong decisions, lost customers, managers' pay.

    Means over replications of the measured period.
    """
    fig, ax = plt.subplots(figsize=(10, 4.2), constrained_layout=True)
    summary = comparison.summary
    order = comparison.names
    bottom = np.zeros(len(order))
    shades = ("#555555", "#999999", "#BBBBBB", "#DDDDDD")
    for key, shade in zip(MONEY, shades, strict=True):
        rows = summary[summary["figure"] == key].set_index("scenario").reindex(order)
        height = np.nan_to_num(rows["mean"].to_numpy(dtype=float)) / 1e6
        ticks = [literal(name) for name in order]
        ax.bar(
            ticks, height, bottom=bottom, color=shade, edgecolor="white", label=MEASURES[key].name
        )
        bottom += height
    ax.set_ylabel("million euro over the measured period")
    ax.set_title("Money at stake: lower is better")
    _legend(ax, loc="best")
    return fig


def _bars(ax: Axes, rows: pd.DataFrame, measure: Measure, colours: dict[str, str]) -> None:
    scale = 100.0 if measure.unit == "%" else 1.0
    mean = rows["mean"].to_numpy(dtype=float) * scale
    low = rows["low"].to_numpy(dtype=float) * scale
    high = rows["high"].to_numpy(dtype=float) * scale
    errors = np.nan_to_num([mean - low, high - mean])
    ticks = [literal(name) for name in rows["scenario"]]
    ax.bar(ticks, mean, yerr=errors, capsize=6, color=[colours[n] for n in rows["scenario"]])
    ax.set_title(f"{measure.label} ({measure.hint})")
    if measure.unit == "%":
        ax.yaxis.set_major_formatter(PercentFormatter(100))


FIGURES: dict[str, tuple[str, str, Callable[[Comparison], Figure]]] = {
    "differences": (
        "Differences to the baseline",
        "Each scenario's mean difference to the baseline (a dot), paired by replication "
        "(same seeds), with the 95% interval of that mean (the bar; none where the "
        "difference is the same in every replication). An interval that crosses zero "
        "cannot tell the two apart.",
        differences,
    ),
    "response_times": (
        "Response-time distributions",
        "Share of requests answered within each time (an empirical distribution function), "
        "after the warm-up: each replication's quantiles averaged, with 95% bands across "
        "replications. Log scale: the long tail of escalated requests stays visible.",
        response_ecdf,
    ),
    "over_time": (
        "Customer satisfaction and backlog over time",
        "Means across replications with 95% bands; the grey band is the warm-up, which "
        "the figures in the table leave out.",
        over_time,
    ),
    "decision_levels": (
        "Where decisions are taken",
        "Share of the answered requests decided by the employee, the team, or each layer "
        "above them (pooled over replications).",
        decision_levels,
    ),
    "trade_off": (
        "Speed against decision quality",
        "Each small dot is one replication; each large dot a scenario's mean with 95% "
        "intervals in both directions.",
        trade_off,
    ),
    "management": (
        "Management cost",
        "Manager hours spent reviewing per answered request, and managers' share of the "
        "headcount: means with 95% intervals.",
        management,
    ),
    "money": (
        "Money at stake",
        "Euro over the measured period, means over replications: the value of bad proposals "
        "accepted and of good ones rejected, the lifetime value of the customers lost, and "
        "the managers' pay. When a hierarchy's screening pays for its slowness, its bar is "
        "the lower one.",
        money,
    ),
}
"""The report's figures, in order: name -> (title, caption, drawing function)."""
