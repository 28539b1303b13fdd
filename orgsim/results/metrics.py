"""What a run measures: pure functions over its flat records.

Nothing here runs a model: each function takes the request log (one row per ended
request), the station records or plain numbers, so each can be tested on a small
hand-made table. Counts are totals of the whole run; times, rates and accuracy are
over requests created after the warm-up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from orgsim.scenario.behaviour import WORKING_DAYS_PER_YEAR
from orgsim.scenario.costs import Loss

SUMMARY_KEYS = (
    "requests_created",
    "requests_resolved",
    "response_time_mean_h",
    "response_time_p50_h",
    "response_time_p90_h",
    "response_time_p99_h",
    "escalation_rate",
    "decision_accuracy",
    "false_accept_rate",
    "false_reject_rate",
    "satisfaction_mean",
    "churn_rate",
    "manager_utilisation_mean",
    "trust_mean",
    "management_hours_per_request",
    "value_bad_accepted",
    "value_good_rejected",
    "value_customers_lost",
    "value_lost",
    "management_cost",
    "churn_rate_yearly",
    "engagement_mean",
    "cost_of_deciding",
    "net_loss",
)
"""The stable summary keys; ``seed`` and ``scenario_hash`` come with them."""


MAY_BE_NULL = frozenset(
    {
        "response_time_mean_h",
        "response_time_p50_h",
        "response_time_p90_h",
        "response_time_p99_h",
        "escalation_rate",
        "decision_accuracy",
        "false_accept_rate",
        "false_reject_rate",
        "manager_utilisation_mean",
        "idea_adoption_mean_h",
        "churn_rate_yearly",
    }
)
"""The summary figures that are null (NaN) when a run has nothing to measure them on: no
request answered after the warm-up, no bad or no good proposal, no approvers, no idea
adopted, no customer left after the warm-up (every one gone before it ends: a rate per
customer-year has no customer-years to divide by). Every other figure is always a finite
number."""


MEASURED_COLUMNS = ["response_h", "level", "good", "accepted", "value", "kind"]


def measured(requests: pd.DataFrame, warmup_h: float) -> pd.DataFrame:
    """Resolved requests created after the warm-up: what times and rates are taken over.

    Only the columns the summary reads are copied (the log can hold millions of rows).
    """
    keep = (requests["created_h"] >= warmup_h) & (requests["outcome"] == "resolved")
    return requests.loc[keep, MEASURED_COLUMNS]


def response_times(requests: pd.DataFrame) -> dict[str, float]:
    """Mean and 50th, 90th and 99th percentiles of the response time, in hours."""
    response = requests["response_h"]
    if response.empty:
        return {f"response_time_{k}_h": math.nan for k in ("mean", "p50", "p90", "p99")}
    p50, p90, p99 = response.quantile([0.5, 0.9, 0.99]).tolist()
    return {
        "response_time_mean_h": float(response.mean()),
        "response_time_p50_h": p50,
        "response_time_p90_h": p90,
        "response_time_p99_h": p99,
    }


def decision_quality(requests: pd.DataFrame) -> dict[str, float]:
    """Escalation rate, accuracy, and false accepts (of bad) and false rejects (of good)."""
    good, accepted = requests["good"], requests["accepted"]
    return {
        "escalation_rate": _share(requests["level"] > 0),
        "decision_accuracy": _share(good == accepted),
        "false_accept_rate": _share(accepted[~good]),
        "false_reject_rate": _share(~accepted[good]),
    }


def yearly_churn(churned: int, mean_active: float, days: float) -> float:
    """Customers lost per customer-year: churned over the mean base, scaled to a year.

    A rate, not a share: runs of any length compare, and a base that is refilled by
    new customers can lose more than it holds in a year (the rate then exceeds 1).
    """
    if mean_active <= 0 or days <= 0:
        return math.nan
    return churned / mean_active * WORKING_DAYS_PER_YEAR / days


def value_at_stake(
    requests: pd.DataFrame,
    customers_lost: int,
    customer_value: float,
    losses: Mapping[str, Loss] | None = None,
) -> dict[str, float]:
    """What wrong decisions and lost customers cost, in the currency of request values.

    Each kind's loss function (``losses``, by kind name; the full value where none is
    given) prices its wrong decisions: a bad proposal accepted costs ``bad_accepted`` of
    its value (a discount that was not needed costs the discount), a good one rejected
    ``good_rejected`` of it plus ``good_rejected_amount`` (a deal's margin times its
    chance to close; goodwill); a customer who leaves costs ``customer_value``.
    ``value_lost`` adds them up.
    """
    good, accepted, value = requests["good"], requests["accepted"], requests["value"]
    bad_share, good_share, good_amount = _loss_columns(requests, losses or {})
    wrong_yes, wrong_no = accepted & ~good, ~accepted & good
    figures = {
        "value_bad_accepted": float((value * bad_share)[wrong_yes].sum()),
        "value_good_rejected": float((value * good_share + good_amount)[wrong_no].sum()),
        "value_customers_lost": customers_lost * customer_value,
    }
    return figures | {"value_lost": sum(figures.values())}


def _loss_columns(
    requests: pd.DataFrame, losses: Mapping[str, Loss]
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per request: its kind's share lost on a wrong yes, on a wrong no, and the fixed amount."""
    kinds = requests["kind"].astype(str) if "kind" in requests else pd.Series("", requests.index)
    default = Loss()
    columns = []
    for field in ("bad_accepted", "good_rejected", "good_rejected_amount"):
        by_kind = {name: getattr(loss, field) for name, loss in losses.items()}
        fallback = getattr(default, field)
        columns.append(kinds.map(by_kind).fillna(fallback).astype(float))
    return columns[0], columns[1], columns[2]


def cost_of_deciding(
    management_cost: float, employee_hours: Mapping[str, float], employee_hourly_cost: float
) -> dict[str, float]:
    """What deciding and keeping coordinated cost every structure, managers and employees.

    Managers are paid for all their hours (``management_cost``); employees' hours spent
    on anything but customers' work (advice, consensus, retrospectives, coaching,
    coordination) are priced at ``employee_hourly_cost``. ``employee_overhead_hours``
    is those hours.
    """
    hours = float(sum(employee_hours.values()))
    return {
        "employee_overhead_hours": hours,
        "cost_of_deciding": management_cost + hours * employee_hourly_cost,
    }


def management_cost(managers: int, hours: float, hourly_cost: float) -> float:
    """Managers' paid hours over ``hours`` at ``hourly_cost``: reviewing, meeting or coaching."""
    return managers * hours * hourly_cost


def manager_load(stations: pd.DataFrame, availability: dict[str, float]) -> dict[str, float]:
    """Mean utilisation of approvers' in-trays, and their review hours in all.

    ``availability`` maps a manager station's name to its share of time for approvals;
    busy wall-clock hours times that share are the hours actually spent reviewing.
    """
    managers = stations[stations["station"].isin(availability.keys())]
    if managers.empty:
        return {"manager_utilisation_mean": math.nan, "review_hours": 0.0}
    shares = managers["station"].map(availability)
    return {
        "manager_utilisation_mean": float(managers["utilisation"].mean()),
        "review_hours": float((managers["busy_h"] * shares).sum()),
    }


def littles_law(stations: pd.DataFrame) -> pd.DataFrame:
    """Per station: L (time-average number present) against lambda * W, and their gap."""
    table = stations[["station", "mean_in_system", "arrival_rate_per_h", "mean_sojourn_h"]].copy()
    table["lambda_w"] = table["arrival_rate_per_h"] * table["mean_sojourn_h"]
    table["relative_gap"] = (table["mean_in_system"] - table["lambda_w"]).abs() / table[
        "mean_in_system"
    ].where(table["mean_in_system"] > 0)
    return table


def _share(flags: pd.Series) -> float:
    return float(flags.mean()) if len(flags) else math.nan


def json_ready(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary with NaN as None, so that it is strict JSON."""
    return {
        key: (None if isinstance(value, float) and math.isnan(value) else value)
        for key, value in summary.items()
    }
