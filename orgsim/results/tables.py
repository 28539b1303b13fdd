"""Plain-text figures for people: labels and formats of summary keys, a run's summary table."""

from __future__ import annotations

import math
from typing import Any

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
    "churn_rate_yearly": ("yearly churn", "{:.1%}"),
    "manager_utilisation_mean": ("approvers' utilisation", "{:.1%}"),
    "trust_mean": ("employees' trust, mean", "{:.3f}"),
    "engagement_mean": ("employees' engagement, mean", "{:.3f}"),
    "management_hours_per_request": ("manager review hours / request", "{:.3f}"),
    "value_bad_accepted": ("bad proposals accepted (EUR)", "{:,.0f}"),
    "value_good_rejected": ("good proposals rejected (EUR)", "{:,.0f}"),
    "value_customers_lost": ("lost customers' value (EUR)", "{:,.0f}"),
    "value_lost": ("value lost in all (EUR)", "{:,.0f}"),
    "management_cost": ("management cost (EUR)", "{:,.0f}"),
    "cost_of_deciding": ("cost of deciding (EUR)", "{:,.0f}"),
    "net_loss": ("net loss (EUR)", "{:,.0f}"),
    "employee_overhead_hours": ("employees' hours besides requests", "{:,.0f}"),
    "skill_mean": ("employees' skill, mean", "{:.3f}"),
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
