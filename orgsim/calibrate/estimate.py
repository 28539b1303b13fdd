"""From a training period's cases to a scenario: demand, work and waits, structure.

What a log cannot tell (decision quality, mandates in money, satisfaction and churn,
euros) is set to neutral values and listed as defaulted: trust 1 without learning,
so that escalation follows the route shares exactly; no churn, so that every arrival
is a request; values in a notional unit whose only role is to send each kind's
measured share of requests up the route.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from orgsim.calibrate.bounded import LogError
from orgsim.calibrate.calendar import profiles
from orgsim.calibrate.cases import Cases
from orgsim.calibrate.drift import by_quarter, drift_warnings
from orgsim.calibrate.fitting import Fit, fit
from orgsim.calibrate.roles import Roles, infer_roles

MAX_KINDS = 12
"""Kinds kept: the 11 most frequent values and ``other``, so a scenario stays readable."""

MANDATE = 1000.0
"""The employees' mandate in the notional unit of calibrated values."""

CUSTOMERS = 100
"""Accounts in all: demand is one Poisson stream, split over them (none leaves)."""

DEFAULTED = {
    "decision quality": "skill 0.8 everywhere, good_share 0.8: a log records no verdicts",
    "mandates and values": f"employee mandate {MANDATE:g} (a notional unit); each kind's "
    "values spread so that its measured share exceeds it and escalates",
    "trust and culture": "trust 1 without learning: within the mandate everyone decides",
    "satisfaction and churn": "no churn: the log tells nothing of customers leaving",
    "money": "the schema's defaults: no euros are in the log",
    "expected response time": "each kind's median time to answer",
}


@dataclass
class Calibration:
    """A calibrated scenario with everything the report says about how it was made."""

    scenario: dict[str, Any]
    inferred: dict[str, Any] = field(default_factory=dict)
    fits: dict[str, Fit] = field(default_factory=dict)
    samples: dict[str, np.ndarray] = field(default_factory=dict)
    defaulted: dict[str, str] = field(default_factory=lambda: dict(DEFAULTED))
    warnings: list[str] = field(default_factory=list)


def calibrate_cases(
    cases: Cases, train: pd.Index, name: str, recent_days: float | None = None
) -> Calibration:
    """A scenario from the training cases ``train`` of ``cases``.

    With ``recent_days``, route shares (escalation per kind; dispatch, transfer and
    closing) come from the cases that start in the last ``recent_days`` calendar days of
    the training period only; everything else from the whole period.
    """
    table = cases.table.loc[train]
    events = cases.events[cases.events["case"].isin(train)]
    result = Calibration(scenario={})
    quarters = by_quarter(table, events)
    result.warnings = drift_warnings(quarters)
    recent = _recent(table, recent_days)
    hours_per_day = cases.calendar.hours_per_day
    days = max((table["start_h"].max() - table["start_h"].min()) / hours_per_day, 1.0)
    per_day = len(table) / days
    kinds = _kind_labels(table["kind"])
    roles = infer_roles(events, table["closed"], _closing_apart(cases, table))
    if recent is not None:
        recent_events = events[events["case"].isin(recent)]
        recent_roles = infer_roles(recent_events, table["closed"], _closing_apart(cases, table))
        roles = replace(
            roles,
            dispatch_share=recent_roles.dispatch_share,
            transfer_share=recent_roles.transfer_share,
            closing_share=recent_roles.closing_share,
        )
    dispatch_work = roles.dispatch_work_h.reindex(table.index, fill_value=0.0)
    table = table.assign(kind=kinds, work_h=(table["work_h"] - dispatch_work).clip(lower=0))
    second_line = _second_line(events)
    teams, size = _teams(events, second_line, hours_per_day)
    size = max(1, round(size - (roles.dispatch_fte + roles.closing_fte) / teams))
    intake = _intake(result, roles, per_day / hours_per_day)
    result.inferred |= {
        "calendar": {
            "hours_per_day": hours_per_day,
            "day_starts_at_h": cases.calendar.day_start_h,
            "working_days": _days(cases.calendar.weekmask),
        },
        "cases": len(table),
        "open_cases_censored": int((~table["closed"]).sum()),
        "working_days": round(days, 1),
        "arrivals_per_day": per_day,
        "trend_per_year": _trend(table, hours_per_day, cases.calendar.weekmask),
        "profiles": profiles(table["start"]),
        "answer_activity": cases.answer_activity,
        "close_activity": cases.close_activity,
        "escalation_activities": list(cases.escalation_activities),
        "front_line_resources": int(
            events.loc[~events["resource"].isin(second_line), "resource"].nunique()
        ),
        "second_line_resources": len(second_line),
        "teams": teams,
        "team_size": size,
        "route_shares_from": "the whole training period"
        if recent is None
        else f"the last {recent_days:g} days of the training period ({len(recent):,} cases)",
        "escalation_share_by_quarter": quarters["escalation_share"].round(4).to_dict(),
        "handoffs_per_case_by_quarter": quarters["handoffs_per_case"].round(3).to_dict(),
        "intake": {
            "dispatch_share": roles.dispatch_share,
            "transfer_share": roles.transfer_share,
            "closing_share": roles.closing_share,
            "dispatchers": intake.get("dispatch", {}).get("people", 0),
            "closers": intake.get("closing", {}).get("people", 0),
            "rule": "first event by another than the second: dispatched; last event of a "
            "closed case by another than the one before: closed by a closer; other changes "
            "of resource before any escalation: transfers (see orgsim/calibrate/roles.py)",
        },
        "resources_by_role": {
            role: sorted(group.index) for role, group in roles.profiles.groupby("role", sort=True)
        },
    }
    routed = table if recent is None else table.loc[recent]
    kind_specs = [
        _kind(result, kind, share, table[table["kind"] == kind], routed[routed["kind"] == kind])
        for kind, share in table["kind"].value_counts(normalize=True).items()
    ]
    structure = {
        "teams": {"count": teams, "size": size, "employee_mandate": MANDATE},
        "information_decay": 1.0,
    }
    if intake:
        structure["intake"] = intake
    escalated = events[events["escalation"]]
    if len(escalated):
        structure |= _second_line_layer(result, cases, events, teams)
    result.scenario = {
        "name": name,
        "description": f"Calibrated by orgsim calibrate from {len(table):,} cases of an event "
        "log; see the calibration report for what was measured and what was defaulted.",
        "demand": {
            "customers_per_team": max(1, round(CUSTOMERS / teams)),
            "requests_per_customer_per_day": _round(
                per_day / (teams * max(1, round(CUSTOMERS / teams)))
            ),
            "kinds": kind_specs,
            "day_profile": _day_profile(table["start_h"], hours_per_day),
        },
        "structure": structure,
        "culture": {"trust": {"initial": 1.0, "learning_rate": 0.0, "blame": False}},
        "satisfaction": {"churn": {"probability": 0.0}},
        "run": {"days": _round(days), "warmup_days": 0, "hours_per_day": hours_per_day},
    }
    return result


def _closing_apart(cases: Cases, table: pd.DataFrame) -> str | None:
    """The log's closing activity, if it has one apart from its answer (:data:`CLOSING_APART`).

    Otherwise a change of person at a case's end is the answer on its way back.
    """
    if cases.close_activity == cases.answer_activity:
        return None
    closed = table[table["closed"]].dropna(subset=["answer_h"])
    return cases.close_activity if _closed_apart(closed) else None


MAX_RECENT_DAYS = 36_525
"""Longest --recent window, a century: any longer takes every training case, as this does."""


def _recent(table: pd.DataFrame, days: float | None) -> pd.Index | None:
    """The training cases starting in the last ``days`` calendar days (None: all of them).

    Raises:
        LogError: no case starts in that window, or ``days`` is not positive.
    """
    if days is None:
        return None
    if not 0 < days <= MAX_RECENT_DAYS:
        raise LogError(
            f"--recent {days:g}: allowed: a number of days above 0, at most {MAX_RECENT_DAYS:,}"
        )
    since = table["start"].max() - pd.Timedelta(days=days)
    recent = table.index[table["start"] > since]
    if len(recent) == 0:
        raise LogError(f"--recent {days:g}: no training case starts in the last {days:g} days")
    return recent


def _day_profile(start_h: pd.Series, hours_per_day: float) -> list[float]:
    """Cases started in each hour of the working day, per hour, relative to the mean.

    Starts outside working hours sit at the next working day's start (the calendar's
    working-hour axis), so they count in its first hour.
    """
    hours = math.ceil(hours_per_day)
    within = np.mod(start_h.to_numpy(dtype=float), hours_per_day)
    counts = np.bincount(np.minimum(within.astype(int), hours - 1), minlength=hours)
    widths = np.minimum(1.0, hours_per_day - np.arange(hours))
    rates = counts / widths
    mean = float((rates * widths).sum() / hours_per_day)
    return [round(float(r / mean), 4) for r in rates] if mean > 0 else []


def _round(x: float) -> float:
    return float(f"{x:.6g}")


def _days(weekmask: str) -> list[str]:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return [day for day, on in zip(names, weekmask, strict=True) if on == "1"]


def _kind_labels(kinds: pd.Series) -> pd.Series:
    """Kinds beyond the :data:`MAX_KINDS` - 1 most frequent pooled as ``other``."""
    counts = kinds.value_counts()
    if len(counts) <= MAX_KINDS:
        return kinds
    kept = set(counts.index[: MAX_KINDS - 1])
    return kinds.where(kinds.isin(kept), "other")


def _trend(table: pd.DataFrame, hours_per_day: float, weekmask: str) -> float:
    """Relative change of the arrival rate per year (least squares on monthly counts)."""
    months = table["start"].dt.tz_localize(None).dt.to_period("M").value_counts().sort_index()
    if len(months) < 3:
        return 0.0
    slope, _ = np.polyfit(np.arange(len(months)), months.to_numpy(dtype=float), 1)
    mean = months.mean()
    return float(slope * 12 / mean) if mean else 0.0


def _kind(
    result: Calibration, kind: str, share: float, cases: pd.DataFrame, routed: pd.DataFrame
) -> dict[str, Any]:
    """One request kind: its share, work, waits, closing; its escalation share from ``routed``."""
    answered = cases.dropna(subset=["answer_h"])
    work = fit(cases["work_h"].to_numpy())
    to_answer = (answered["answer_h"] - answered["start_h"]).to_numpy()
    # the model works and escalates by itself: the wait is the rest of the time to answer
    inside = answered["work_h"] + answered["queue_h"] + answered["escalation_h"]
    waited = to_answer - inside.to_numpy()
    wait = fit(np.clip(waited, 0, None))
    closed = cases[cases["closed"]].dropna(subset=["answer_h"])
    close = fit((closed["end_h"] - closed["start_h"]).to_numpy())
    if not _closed_apart(closed):
        close = fit(np.array([]))  # closed at the answer: no closing policy to model
    for label, chosen, sample in (
        ("work_h", work, cases["work_h"].to_numpy()),
        ("wait_h", wait, np.clip(waited, 0, None)),
        ("close_after_h", close, (closed["end_h"] - closed["start_h"]).to_numpy()),
    ):
        result.fits[f"{kind}: {label}"] = chosen
        result.samples[f"{kind}: {label}"] = sample
    escalated = float(routed["escalated"].mean()) if len(routed) else 0.0
    result.inferred.setdefault("escalation_share", {})[kind] = escalated
    spec: dict[str, Any] = {
        "name": kind,
        "share": _round(share),
        "value": _value(escalated),
        "work_h": work.spec,
        "good_share": 0.8,
        "expected_response_h": _round(
            max(float(np.median(to_answer)) if len(to_answer) else 1, 0.01)
        ),
        "wait_h": wait.spec,
    }
    if close.mean > 0:
        spec["close_after_h"] = close.spec
    return spec


CLOSING_APART = 0.05
"""A closing activity is a policy of its own (a window after which the system closes a case)
when its median distance to the answer is at least this share of the median cycle time."""


def _closed_apart(closed: pd.DataFrame) -> bool:
    if closed.empty:
        return False
    apart = float(np.median(closed["end_h"] - closed["answer_h"]))
    return apart >= CLOSING_APART * float(np.median(closed["end_h"] - closed["start_h"]))


def _value(escalated: float) -> dict[str, Any] | float:
    """Values of which a share ``escalated`` exceeds the mandate: uniform up to M / (1 - p)."""
    if escalated <= 0:
        return 0.0
    if escalated >= 0.99:
        return 2 * MANDATE
    return {"dist": "uniform", "low": 0.0, "high": _round(MANDATE / (1 - escalated))}


BUSY_LIMIT = 0.8
"""Largest utilisation a calibrated dispatch or closing pool is given: the log shows its
people kept up, so a pool its own flow would keep busier gets more people."""


def _intake(result: Calibration, roles: Roles, arrivals_per_h: float) -> dict[str, Any]:
    """``structure.intake`` from the roles, each time fitted, each pool sized to keep up."""
    spec: dict[str, Any] = {}
    for desk, share, fte, times in (
        ("dispatch", roles.dispatch_share, roles.dispatch_fte, roles.dispatch_h),
        ("transfer", roles.transfer_share, 0.0, roles.transfer_h),
        ("closing", roles.closing_share, roles.closing_fte, roles.closing_h),
    ):
        if share <= 0 or len(times) == 0:
            continue
        chosen = fit(times)
        result.fits[f"{desk}: time_h"] = chosen
        result.samples[f"{desk}: time_h"] = times
        spec[desk] = {"share": _round(share), "time_h": chosen.spec}
        if desk != "transfer":
            load = arrivals_per_h * share * chosen.mean
            spec[desk]["people"] = max(1, round(fte), math.ceil(load / BUSY_LIMIT))
    return spec


def _second_line(events: pd.DataFrame) -> set[str]:
    """Resources who take a case over after an escalation (the next other resource)."""
    after = events.groupby("case", sort=False)["escalation"].shift(fill_value=False)
    followers = events.loc[after.astype(bool) & (events["resource"] != ""), "resource"]
    escalators = set(events.loc[events["escalation"], "resource"])
    return set(followers) - escalators


def _teams(events: pd.DataFrame, second_line: set[str], hours_per_day: float) -> tuple[int, int]:
    """Teams from ``org:group`` (or one team); size = resources working in a mean month."""
    front = events[(events["resource"] != "") & ~events["resource"].isin(second_line)]
    if front.empty:
        return 1, 1
    groups = front.loc[front["group"] != "", "group"].nunique()
    teams = max(groups, 1)
    month = (
        front["time"].dt.tz_localize(None).dt.to_period("M")
        if front["time"].dt.tz
        else front["time"].dt.to_period("M")
    )
    active = front.groupby(month)["resource"].nunique().mean()
    return teams, max(1, round(float(active) / teams))


def _second_line_layer(
    result: Calibration, cases: Cases, events: pd.DataFrame, teams: int
) -> dict[str, Any]:
    """The escalation route: one second-line layer; its delay from escalation to next event."""
    nxt = events.groupby("case", sort=False)["at_h"].shift(-1)
    gaps = (nxt - events["at_h"])[events["escalation"]].dropna().to_numpy()
    handoff = fit(gaps / 2)  # drawn twice: up, and the answer down
    review = fit(events.loc[events["resource"].isin(_second_line(events)), "work_h"].to_numpy())
    result.fits["escalation: handoff_time_h"] = handoff
    result.samples["escalation: handoff_time_h"] = gaps / 2
    result.fits["second line: review_time_h"] = review
    return {
        "handoff_time_h": handoff.spec,
        "layers": [
            {
                "name": "second_line",
                "span": teams,
                "mandate": None,
                "review_time_h": review.spec if review.mean > 0 else 0.1,
                "skill": 0.8,
            }
        ],
    }
