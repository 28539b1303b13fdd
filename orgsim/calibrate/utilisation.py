"""Resource utilisation from an event log, per level: busy time over working time.

Estimator (the same on the real and the simulated log, so that its bias falls on both
sides alike): each event's processing time is estimated as the calibration does
(:func:`orgsim.calibrate.cases.estimated_work_h`: from the later of the case's previous
event and the resource's previous completion, capped at a working day; recorded starts
where the log pairs them; Martin, Depaire & Caris 2016). A level's utilisation is its
events' processing hours completed in the window over the working hours of the window
(the inferred calendar's) times the resources of that level seen working in it; resources
who show up for only part of the window count whole, so this is a lower bound where
staff come and go. Levels: the front line, and escalation (second-line
resources: those who take cases over after an escalation, as the calibration forms its
second-line layer; in a simulated log, every manager).
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
    inside = (events["at_h"] > start) & (events["at_h"] <= end) & (events["resource"] != "")
    busy = events.loc[inside, ["resource", "work_h"]].assign(level=levels[inside])
    hours = max(end - start, 1e-9)
    figures: dict[str, dict[str, Any]] = {}
    for level, rows in [*busy.groupby("level", sort=False), ("all", busy)]:
        people = int(rows["resource"].nunique())
        busy_h = float(rows["work_h"].sum())
        figures[str(level)] = {
            "resources": people,
            "busy_h": busy_h,
            "utilisation": busy_h / (people * hours) if people else np.nan,
        }
    return figures


def real_levels(events: pd.DataFrame, second_line: set[str]) -> pd.Series:
    """The real log's levels: second-line resources' events escalation, the rest front."""
    return pd.Series(
        np.where(events["resource"].isin(second_line), ESCALATION, FRONT), index=events.index
    )


def simulated_levels(events: pd.DataFrame) -> pd.Series:
    """A simulated log's levels: employees (groups ``team N``) front, managers escalation."""
    front = events["group"].astype(str).str.startswith("team ")
    return pd.Series(np.where(front, FRONT, ESCALATION), index=events.index)
