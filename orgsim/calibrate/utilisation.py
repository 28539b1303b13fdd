"""Resource utilisation from an event log, per level: busy time over working time.

Estimator (the same on the real and the simulated log, so that its bias falls on both
sides alike): each event's processing time is estimated as the calibration does
(:func:`orgsim.calibrate.cases.estimated_work_h`: from the later of the case's previous
event and the resource's previous completion, capped at a working day; recorded starts
where the log pairs them; Martin, Depaire & Caris 2016). A level's utilisation is its
events' processing hours completed in the window over its resources' available hours:
each resource is available on the working hours (the inferred calendar's) of the window
between its first and its last event in the whole log, so staff who join or leave
mid-window count only while they are there. Levels: the front line, and escalation
(second-line resources: those who take cases over after an escalation and never
escalate themselves, as the calibration forms its second-line layer), found by the same
rule in both logs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

FRONT, ESCALATION = "front line", "escalation"
LEVELS = (FRONT, ESCALATION)


def utilisation(
    events: pd.DataFrame, levels: pd.Series, window_h: tuple[float, float]
) -> dict[str, dict[str, Any]]:
    """Per level (and ``all``): resources, busy hours and utilisation in a window.

    Args:
        events: ``resource``, ``at_h`` (working hours) and ``work_h`` (estimated
            processing) of every event; those without a resource are left out.
        levels: each event's level, one of :data:`LEVELS`, on ``events``' index.
        window_h: the window's start and end on the working-hour axis.
    """
    start, end = window_h
    named = events["resource"] != ""
    span = events[named].groupby("resource", sort=False)["at_h"].agg(["min", "max"])
    available = (span["max"].clip(upper=end) - span["min"].clip(lower=start)).clip(lower=0)
    inside = named & (events["at_h"] > start) & (events["at_h"] <= end)
    busy = events.loc[inside, ["resource", "work_h"]].assign(level=levels[inside])
    figures: dict[str, dict[str, Any]] = {}
    for level, rows in [*busy.groupby("level", sort=False), ("all", busy)]:
        people = rows["resource"].unique()
        hours = float(available.reindex(people).sum())
        busy_h = float(rows["work_h"].sum())
        figures[str(level)] = {
            "resources": len(people),
            "busy_h": busy_h,
            "available_h": hours,
            "utilisation": busy_h / hours if hours > 0 else np.nan,
        }
    return figures


def levels_by_role(events: pd.DataFrame, second_line: set[str]) -> pd.Series:
    """Each event's level: second-line resources' events escalation, the rest front line."""
    return pd.Series(
        np.where(events["resource"].isin(second_line), ESCALATION, FRONT), index=events.index
    )
