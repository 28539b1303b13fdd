"""The working calendar a log shows: the hours and weekdays on which work happens."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from orgsim.results.event_log import Calendar

COVERED = 0.98
"""Share of the events the inferred working hours hold (1% cut off at either end)."""

WORKING_DAY_SHARE = 0.2
"""A weekday is a working day if it has at least this share of an average weekday's cases."""


def infer_calendar(events: pd.DataFrame, case_starts: pd.Series) -> Calendar:
    """Working hours from the hours of events, working days from the weekdays of new cases.

    Hours: from the hour holding the first percentile of event times to the end of the
    hour holding the 99th (a log's few night events are batch jobs, not a night shift).
    Days: weekdays with at least :data:`WORKING_DAY_SHARE` of a mean weekday's arrivals.
    The calendar starts on the first case's day.
    """
    clock_h = _clock_hours(events["time"])
    tail = (1 - COVERED) / 2
    first = math.floor(float(np.quantile(clock_h, tail)))
    last = math.ceil(float(np.quantile(clock_h, 1 - tail)) + 1e-9)
    per_weekday = np.bincount(_weekday(case_starts), minlength=7)
    working = per_weekday >= WORKING_DAY_SHARE * per_weekday.mean()
    weekmask = "".join("1" if day else "0" for day in working) if working.any() else "1111100"
    start = pd.Timestamp(case_starts.min()).date()
    return Calendar(start, float(max(last - first, 1)), float(first), weekmask)


def _clock_hours(times: pd.Series) -> np.ndarray:
    return (times - times.dt.floor("D")).dt.total_seconds().to_numpy() / 3600


def _weekday(times: pd.Series) -> np.ndarray:
    return times.dt.day_of_week.to_numpy()


def profiles(case_starts: pd.Series) -> dict[str, list[float]]:
    """Shares of new cases by weekday (Monday first) and by hour of the day."""
    week = np.bincount(_weekday(case_starts), minlength=7)
    hours = np.bincount(case_starts.dt.hour.to_numpy(), minlength=24)
    return {
        "weekday": [float(x) for x in week / week.sum()],
        "hour": [float(x) for x in hours / hours.sum()],
    }
