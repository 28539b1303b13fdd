"""Two organisations run in lockstep, and the series their live charts draw.

Both models get the same seed, so they face the very same customers and requests
(common random numbers, :mod:`orgsim.sim.life`); each browser frame advances both by
the same simulated hours. The series are sampled once a frame, not once a Mesa step,
so that the charts move smoothly at a few hours per frame.
"""

from __future__ import annotations

import numpy as np

from orgsim.scenario.schema import Scenario
from orgsim.sim.model import OrgModel
from orgsim.sim.requests import OUTCOME_RESOLVED, ROW, ROW_DTYPE

SERIES = ("day", "response_mean_h", "response_p90_h", "satisfaction", "backlog")
"""What each side samples per frame: the clock in days, and the figures the charts draw."""

MAX_POINTS = 1500
"""Series longer than this are thinned to every other point, so a frame stays cheap."""


class Side:
    """One organisation in the page: its model, and its figures frame by frame.

    Response times are a rolling window over the answers delivered in the last working
    day (``window_h``), so the chart shows how fast customers are answered now, not
    since the start.

    Args:
        scenario: the validated scenario of this organisation.
        seed: the run's seed (the same on both sides).
    """

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.model = OrgModel(scenario, rng=seed)
        self.window_h = scenario.run.hours_per_day
        self.series: dict[str, list[float]] = {key: [] for key in SERIES}
        self.decided_by_level = np.zeros(len(self.model.log.levels), dtype=np.int64)
        self._read_bytes = 0
        self._recent_delivered_h = np.empty(0)
        self._recent_response_h = np.empty(0)
        self.sample()

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    def advance(self, hours: float) -> None:
        """Advance the model ``hours`` of simulated time, then sample."""
        self.model.advance(hours)
        self.sample()

    def sample(self) -> None:
        """Read the answers delivered since the last frame and append one point per series."""
        self._read_new_answers()
        model = self.model
        now = model.clock_h
        recent = self._recent_response_h
        point = {
            "day": now / model.spec.run.hours_per_day,
            "response_mean_h": float(recent.mean()) if recent.size else np.nan,
            "response_p90_h": float(np.percentile(recent, 90)) if recent.size else np.nan,
            "satisfaction": model.satisfaction_mean(),
            "backlog": float(model.life.counts.in_flight),
        }
        for key, value in point.items():
            self.series[key].append(value)
        if len(self.series["day"]) > MAX_POINTS:
            self.series = {key: values[::2] for key, values in self.series.items()}

    def _read_new_answers(self) -> None:
        rows = self.model.log.rows
        # a copy of the new rows only: a view would pin the log's bytearray
        fresh = np.frombuffer(bytes(rows[self._read_bytes :]), dtype=ROW_DTYPE)
        self._read_bytes += fresh.size * ROW.size
        self.decided_by_level += np.bincount(fresh["level"], minlength=self.decided_by_level.size)
        answered = fresh[fresh["outcome"] == OUTCOME_RESOLVED]
        delivered = np.concatenate([self._recent_delivered_h, answered["delivered_h"]])
        response = np.concatenate(
            [self._recent_response_h, answered["delivered_h"] - answered["created_h"]]
        )
        keep = delivered > self.model.clock_h - self.window_h
        self._recent_delivered_h, self._recent_response_h = delivered[keep], response[keep]


class Lockstep:
    """Two organisations advanced together, frame by frame, with one seed.

    Args:
        left: scenario of the left side (the baseline, blue).
        right: scenario of the right side (orange).
        seed: the seed of both runs.
    """

    def __init__(self, left: Scenario, right: Scenario, seed: int) -> None:
        self.seed = seed
        self.sides = (Side(left, seed), Side(right, seed))
        self.frame = 0

    @property
    def clock_h(self) -> float:
        """The simulated clock, in working hours (both sides share it)."""
        return self.sides[0].model.clock_h

    @property
    def running(self) -> bool:
        """Some side has not reached its horizon yet."""
        return any(side.model.running for side in self.sides)

    def advance(self, hours: float) -> None:
        """One frame: both sides advance ``hours`` of simulated time."""
        for side in self.sides:
            side.advance(hours)
        self.frame += 1


def clock_text(clock_h: float, hours_per_day: float) -> str:
    """The simulated clock as a trainer reads it: ``day 3, 5:30 h`` (working days from 1)."""
    day, hours = divmod(clock_h, hours_per_day)
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    if minutes == 60:
        whole, minutes = whole + 1, 0
    return f"day {int(day) + 1}, {whole}:{minutes:02d} h"
