"""Whether a scenario reaches a steady state: a trend test on its backlog.

A scenario whose queues grow without bound over the measured period has no long-run
averages: its response times, satisfaction, churn and money grow with the horizon, so
ranking it on them would rank the horizon, not the organisation. The test is on the
backlog (requests in progress, sampled every day of every run), not on response time by
creation day: the requests created late in a run are the ones still unanswered at its
end, so response times by creation day are censored exactly where a growing queue
would show, and understate the trend. The backlog is complete to the last day.

Per replication, the backlog's least-squares slope over the measured days (after the
warm-up); then a Student-t interval of the mean slope across replications (they are
independent). A scenario is flagged when that interval lies above zero and the
fitted growth over the measured period is at least :data:`GROWTH_SHARE` of its mean
backlog: a queue that drifts a little while the customer base grows is not flagged;
one that keeps piling up is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orgsim.compare.analysis import interval

GROWTH_SHARE = 0.5
"""Growth over the measured period, as a share of the mean backlog, that is no drift."""

NO_STEADY_STATE = "no steady state: its figures depend on the horizon"


@dataclass(frozen=True)
class Trend:
    """A scenario's backlog trend over the measured period.

    Attributes:
        scenario: its name.
        slope: mean growth of the backlog, requests per working day.
        low: the 95% interval's lower bound of ``slope``.
        high: its upper bound.
        start: mean backlog on the first measured day.
        end: mean backlog on the last day.
        mean: mean backlog over the measured period.
        days: measured working days.
    """

    scenario: str
    slope: float
    low: float
    high: float
    start: float
    end: float
    mean: float
    days: float

    @property
    def unstable(self) -> bool:
        """Whether the backlog grows without bound: flagged, and never ranked."""
        growth = self.slope * self.days
        return bool(self.low > 0 and growth >= GROWTH_SHARE * max(self.mean, 1.0))

    @property
    def text(self) -> str:
        """``"no steady state: ... (backlog from 34 to 167 requests ...)"``."""
        return (
            f"{NO_STEADY_STATE} (the backlog grows by {self.slope:.2f} requests a working "
            f"day, 95% CI {self.low:.2f} to {self.high:.2f}, from {self.start:.0f} to "
            f"{self.end:.0f} over the {self.days:g} measured days)"
        )


def trends(series: pd.DataFrame, warmups: dict[str, float]) -> dict[str, Trend]:
    """Each scenario's backlog trend, from the runs' daily series.

    Args:
        series: one row per run and day: ``scenario``, ``seed``, ``day``, ``backlog``.
        warmups: each scenario's warm-up in working days (left out of the trend).

    Returns:
        A :class:`Trend` per scenario with at least 2 runs of 3 measured days or more.
    """
    found = {}
    for name, warmup in warmups.items():
        rows = series[(series["scenario"] == name) & (series["day"] >= warmup)]
        table = rows.pivot_table(index="seed", columns="day", values="backlog").dropna(axis=1)
        if len(table) < 2 or table.shape[1] < 3:
            continue
        days = table.columns.to_numpy(dtype=float)
        backlog = table.to_numpy(dtype=float)
        slopes = np.polyfit(days, backlog.T, 1)[0]  # one least-squares line per run
        low, high = interval(slopes)
        low, high = (low, high) if not np.isnan(low) else (slopes[0], slopes[0])
        found[name] = Trend(
            name,
            float(slopes.mean()),
            float(low),
            float(high),
            float(backlog[:, 0].mean()),
            float(backlog[:, -1].mean()),
            float(backlog.mean()),
            float(days[-1] - days[0]),
        )
    return found


def unstable(found: dict[str, Trend]) -> dict[str, str]:
    """The scenarios without a steady state, each with why, in words."""
    return {name: trend.text for name, trend in found.items() if trend.unstable}
