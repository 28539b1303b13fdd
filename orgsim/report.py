"""Plain-text tables for people: a run's summary, validation checks, a comparison."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from orgsim.validation import Check

LABELS: dict[str, tuple[str, str]] = {
    "requests_created": ("requests created", "{:,.0f}"),
    "requests_resolved": ("requests answered", "{:,.0f}"),
    "response_time_mean_h": ("response time, mean (h)", "{:.2f}"),
    "response_time_p50_h": ("response time, median (h)", "{:.2f}"),
    "response_time_p90_h": ("response time, 90th pct (h)", "{:.2f}"),
    "response_time_p99_h": ("response time, 99th pct (h)", "{:.2f}"),
    "escalation_rate": ("escalated", "{:.1%}"),
    "decision_accuracy": ("decisions right", "{:.1%}"),
    "false_accept_rate": ("bad proposals accepted", "{:.1%}"),
    "false_reject_rate": ("good proposals rejected", "{:.1%}"),
    "satisfaction_mean": ("customer satisfaction, mean", "{:.3f}"),
    "churn_rate": ("customers lost", "{:.1%}"),
    "manager_utilisation_mean": ("approvers' utilisation", "{:.1%}"),
    "trust_mean": ("employees' trust, mean", "{:.3f}"),
    "management_hours_per_request": ("manager review hours / request", "{:.3f}"),
    "throughput_per_day": ("answers per day", "{:.1f}"),
    "management_headcount_share": ("managers in headcount", "{:.1%}"),
    "events": ("events simulated", "{:,.0f}"),
}


def figure(key: str, value: Any) -> str:
    """A summary value formatted for its key ("-" where there is none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return LABELS[key][1].format(value) if key in LABELS else str(value)


def summary_table(summary: dict[str, Any], days: float) -> str:
    """A run's summary as a two-column table under a heading."""
    heading = (
        f"{summary['scenario']}: {days:g} days, seed {summary['seed']}, "
        f"scenario {summary['scenario_hash']}"
    )
    width = max(len(label) for label, _ in LABELS.values())
    rows = [
        f"  {label:<{width}}  {figure(key, summary[key]):>12}"
        for key, (label, _) in LABELS.items()
        if key in summary
    ]
    return "\n".join([heading, *rows])


def checks_table(checks: Sequence[Check]) -> str:
    """Validation checks: theory, simulated, interval, pass or fail."""
    width = max(len(check.name) for check in checks)
    head = f"{'check':<{width}}  {'theory':>9}  {'simulated':>9}  {'interval':>21}  result"
    rows = [
        f"{c.name:<{width}}  {c.theory:>9.4f}  {c.simulated:>9.4f}  "
        f"[{c.low:>8.4f}, {c.high:>8.4f}]  {'pass' if c.passed else 'FAIL'}"
        for c in checks
    ]
    return "\n".join([head, "-" * len(head), *rows])


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
