"""A comparison as a plain-text table: means, intervals and paired differences."""

from __future__ import annotations

import pandas as pd

from orgsim.results.tables import LABELS, figure


def comparison_table(table: pd.DataFrame, replications: int) -> str:
    """Each figure's mean and 95% interval per scenario, and the paired difference."""
    order = list(dict.fromkeys(table["scenario"]))
    width = max(len(label) for label, _ in LABELS.values())
    cells = dict.fromkeys(order, 26)
    head = f"{'':<{width}}  " + "  ".join(f"{name:>{cells[name]}}" for name in order)
    if len(order) > 1:
        head += "  " + "  ".join(f"{name + ' - ' + order[0]:>26}" for name in order[1:])
    lines = [
        f"means with 95% intervals over {replications} replications (common seeds)",
        head,
        "-" * len(head),
    ]
    for key in dict.fromkeys(table["figure"]):
        rows = table[table["figure"] == key].set_index("scenario")
        cols = [
            _with_interval(key, rows.loc[n, "mean"], rows.loc[n, "low"], rows.loc[n, "high"])
            for n in order
        ]
        cols += [
            _with_interval(
                key, rows.loc[n, "diff"], rows.loc[n, "diff_low"], rows.loc[n, "diff_high"]
            )
            for n in order[1:]
        ]
        lines.append(f"{LABELS[key][0]:<{width}}  " + "  ".join(f"{c:>26}" for c in cols))
    return "\n".join(lines)


def _with_interval(key: str, mean: float, low: float, high: float) -> str:
    return f"{figure(key, mean)} [{figure(key, low)}, {figure(key, high)}]"
