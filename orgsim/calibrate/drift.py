"""How a log's routes change over its training period: escalation share and hand-offs by quarter.

A share estimated over the whole training window is right only if the process stayed
the same. Per quarter of case start, the escalation share (cases with an escalation
activity) and the hand-offs per case are listed; when the last quarter's escalation
share lies outside the whole window's 95% interval (normal approximation for a
proportion, at least one case's worth of width), calibrate warns: the route changed,
and ``--recent DAYS`` estimates route shares from the last part of the window only.
"""

from __future__ import annotations

import math

import pandas as pd

from orgsim.calibrate.distances import handoffs_per_case

Z95 = 1.959963984540054


def by_quarter(table: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per quarter of case start: ``cases``, ``escalation_share``, ``handoffs_per_case``."""
    starts = table["start"]
    plain = starts.dt.tz_convert("UTC").dt.tz_localize(None) if starts.dt.tz else starts
    quarter = plain.dt.to_period("Q").astype(str)
    handoffs = pd.Series(
        handoffs_per_case(events), index=events["case"].unique(), dtype=float
    ).reindex(table.index, fill_value=0.0)
    frame = pd.DataFrame(
        {"quarter": quarter, "escalated": table["escalated"].astype(float), "handoffs": handoffs}
    )
    return frame.groupby("quarter", sort=True).agg(
        cases=("escalated", "size"),
        escalation_share=("escalated", "mean"),
        handoffs_per_case=("handoffs", "mean"),
    )


def drift_warnings(quarters: pd.DataFrame) -> list[str]:
    """A warning if the last quarter's escalation share is outside the whole window's interval."""
    if len(quarters) < 2:
        return []
    cases = int(quarters["cases"].sum())
    share = float((quarters["escalation_share"] * quarters["cases"]).sum() / cases)
    half = max(Z95 * math.sqrt(share * (1 - share) / cases), 1 / cases)
    last = quarters.iloc[-1]
    if abs(float(last["escalation_share"]) - share) <= half:
        return []
    return [
        f"the escalation share of the training period's last quarter ({last.name}: "
        f"{last['escalation_share']:.3f} of {int(last['cases'])} cases) lies outside the whole "
        f"period's 95% interval ({share:.4f} +- {half:.4f}): the route changed over time; "
        "--recent DAYS estimates route shares from the last DAYS of the training period only"
    ]
