"""Arrivals whose rate follows the hours of the working day (``demand.day_profile``).

A non-homogeneous Poisson process by inversion of its cumulative rate (Cinlar 1975;
Law 2015, section 8.6.2): arrivals of a unit-rate process in operational time, each
gap drawn exactly as the flat process draws it, are carried to real time through the
inverse of the cumulative rate ``Lambda``. Thinning (Lewis & Shedler 1979) would also
do, but draws a number more per candidate; inversion draws one per arrival, so the
demand stream holds the same numbers as without a profile. The profile is scaled to a
mean of 1 over the day, so the daily rate stays the scenario's.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence


class DayProfile:
    """Gaps between arrivals of a Poisson process whose rate varies over the working day.

    Each call returns the hours from the previous arrival to the next; the clock starts
    at 0, the start of a working day, as the run's does.
    """

    def __init__(
        self, gap: Callable[[], float], profile: Sequence[float], hours_per_day: float
    ) -> None:
        """A profiled process from ``gap`` (the flat one's, at the mean rate).

        ``profile`` has one relative rate per hour of the day, the last hour possibly
        shorter.
        """
        self._gap = gap
        self._day_h = hours_per_day
        widths = [min(1.0, hours_per_day - hour) for hour in range(math.ceil(hours_per_day))]
        mean = sum(r * w for r, w in zip(profile, widths, strict=True)) / hours_per_day
        self._rates = [r / mean for r in profile]
        self._starts = [float(hour) for hour in range(len(widths))]
        self._cumulative = [0.0]  # Lambda at each hour's start, within a day
        for rate, width in zip(self._rates, widths, strict=True):
            self._cumulative.append(self._cumulative[-1] + rate * width)
        self._cumulative[-1] = hours_per_day  # exactly, whatever the rounding
        self._now_h = 0.0
        self._operational = 0.0

    def __call__(self) -> float:
        """Hours to the next arrival."""
        self._operational += self._gap()
        arrival_h = self.real_time(self._operational)
        gap_h = arrival_h - self._now_h
        self._now_h = arrival_h
        return gap_h

    def real_time(self, operational: float) -> float:
        """The inverse of the cumulative rate: where ``operational`` falls in working hours."""
        day, within = divmod(operational, self._day_h)  # Lambda is day_h per day
        # cumulative[hour] <= within < cumulative[hour + 1]: an hour with a rate above 0
        hour = bisect_right(self._cumulative, within) - 1
        offset = (within - self._cumulative[hour]) / self._rates[hour]
        return day * self._day_h + self._starts[hour] + offset
