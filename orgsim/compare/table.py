"""A comparison as plain text for a terminal: at most 100 columns for four scenarios.

Figures are rows and scenarios columns (mean ± half-width of the 95% interval); the
paired differences to the baseline follow in a block of their own, with intervals.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from orgsim.compare import drivers
from orgsim.compare.analysis import flag
from orgsim.compare.attribution import Explained
from orgsim.compare.comparison import Comparison
from orgsim.compare.measures import MEASURES, Measure
from orgsim.compare.verdict import Finding

WIDTH = 100
LABEL = 30
VALUE = 15


def heading(comparison: Comparison) -> list[str]:
    """What was compared, over which horizon, warm-up and seeds."""
    seeds = comparison.seeds
    text = (
        f"{' vs '.join(comparison.names)}: {comparison.horizon}; {comparison.replications} "
        f"replications per scenario with common seeds {seeds[0]}-{seeds[-1]}"
    )
    if comparison.overrides_text:
        text += f"; {comparison.overrides_text}"
    return textwrap.wrap(text, WIDTH)


def comparison_table(comparison: Comparison) -> str:
    """The means block and the differences block, under the heading."""
    summary = comparison.summary
    names = comparison.names
    lines = [*heading(comparison), ""]
    lines += _block(summary, names, "means, ± the half-width of the 95% interval", VALUE, _mean)
    if len(names) > 1:
        others = names[1:]
        if LABEL + len(others) * (2 + _widest(summary, others)) <= WIDTH:
            title = f"difference to {names[0]}, paired by seed: mean [95% interval]"
            lines += ["", *_block(summary, others, title, _widest(summary, others), _difference)]
        else:  # too wide for a terminal: the same interval as ± its half-width
            title = (
                f"difference to {names[0]}, paired by seed: mean ± half-width of the 95% interval"
            )
            lines += ["", *_block(summary, others, title, VALUE, _difference_half)]
        lines.append("(differences of shares are in percentage points)")
    return "\n".join(lines)


def _block(summary: pd.DataFrame, names: list[str], title: str, width: int, cell) -> list[str]:
    header = " " * LABEL + "".join(f"  {_fit(name, width):>{width}}" for name in names)
    table = summary.set_index(["scenario", "figure"])
    rows = [
        f"{_fit(measure.label, LABEL):<{LABEL}}"
        + "".join(f"  {cell(measure, table.loc[(name, key)]):>{width}}" for name in names)
        for key, measure in MEASURES.items()
    ]
    return [*textwrap.wrap(title, WIDTH), header, "-" * len(header), *rows]


def _widest(summary: pd.DataFrame, names: list[str]) -> int:
    table = summary.set_index(["scenario", "figure"])
    return max(len(_difference(m, table.loc[(n, k)])) for k, m in MEASURES.items() for n in names)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _mean(measure: Measure, row: pd.Series) -> str:
    mean = measure.number(row["mean"])
    percent = "%" if measure.unit == "%" and mean != "-" else ""
    if math.isnan(row["low"]):
        return mean + percent
    half = (row["high"] - row["low"]) / 2
    return f"{mean}{percent} ±{measure.number(half)}"


def _difference(measure: Measure, row: pd.Series) -> str:
    if math.isnan(row["diff"]):
        return "-"
    if flag(row["diff_fixed"]):
        return f"{measure.number(row['diff'], True)} fixed"
    low, high = measure.number(row["diff_low"], True), measure.number(row["diff_high"], True)
    return f"{measure.number(row['diff'], True)} [{low}, {high}]"


def _difference_half(measure: Measure, row: pd.Series) -> str:
    if math.isnan(row["diff"]) or flag(row["diff_fixed"]):
        return _difference(measure, row)
    half = (row["diff_high"] - row["diff_low"]) / 2
    return f"{measure.number(row['diff'], True)} ±{measure.number(half)}"


def verdict_text(found: list[Finding]) -> str:
    """The findings as wrapped paragraphs, each led by its topic."""
    return "\n".join(
        textwrap.fill(f"- {f.topic}: {f.text}", WIDTH, subsequent_indent="  ") for f in found
    )


def failures_text(comparison: Comparison) -> str:
    """The runs that failed, one line each ('' where none did)."""
    failed = comparison.failed
    if failed.empty:
        return ""
    lines = [f"{len(failed)} run(s) failed and are left out of the figures:"]
    lines += [
        textwrap.shorten(f"  {row.scenario}, seed {row.seed}: {row.error}", WIDTH)
        for row in failed.itertuples()
    ]
    return "\n".join(lines)


def attribution_text(explained: Explained) -> str:
    """What drives the difference, in words: a wrapped paragraph per headline figure."""
    lines = textwrap.wrap(f"what drives the difference: {explained.describe()}", WIDTH)
    lines += [
        textwrap.fill(f"- {drivers.sentence(explained, f)}", WIDTH, subsequent_indent="  ")
        for f in drivers.leads()
    ]
    return "\n".join(lines)
