"""Distances between two event logs, as Simod measures them (``log-distance-measures``).

The definitions are those of ``log-distance-measures`` 2.2.0 (Chapela-Campa, Benchekroun,
Baron, Dumas, Krishna & Lopez-Pintado 2023, "A framework for measuring the quality of
business process simulation models", Information Systems 127) with its default
Wasserstein metric, computed here on the same bins: that package pins pandas below 3,
which orgsim has left behind. Each takes two tables with ``case``, ``activity`` and
``time`` columns (one row per event) and returns a distance in the unit named.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from scipy.stats import wasserstein_distance

HOUR_S = 3600.0


def _hours(delta: pd.Series) -> np.ndarray:
    return delta.dt.total_seconds().to_numpy() / HOUR_S


def cycle_times_h(events: pd.DataFrame) -> np.ndarray:
    """Each case's time from its first to its last event, in hours."""
    times = events.groupby("case", sort=False)["time"]
    return _hours(times.max() - times.min())


def cycle_time_distance(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """Wasserstein distance of the cycle times binned to hours, in hours.

    ``cycle_time_distribution_distance`` with a one-hour bin: roughly, the hours by which
    cycle times differ.
    """
    return binned_cycle_distance(cycle_times_h(a), cycle_times_h(b))


def binned_cycle_distance(a_h: np.ndarray, b_h: np.ndarray) -> float:
    """The cycle-time distance of two samples of hours."""
    if len(a_h) == 0 or len(b_h) == 0:
        return float("nan")
    low = min(a_h.min(), b_h.min())
    return float(wasserstein_distance(np.floor(a_h - low), np.floor(b_h - low)))


def arrival_distance(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """Wasserstein distance of case arrivals binned to hours from the first, in hours.

    ``case_arrival_distribution_distance``: how many hours arrivals must move to match.
    """
    first_a = a.groupby("case", sort=False)["time"].min()
    first_b = b.groupby("case", sort=False)["time"].min()
    origin = min(first_a.min(), first_b.min()).floor("h")
    return float(
        wasserstein_distance(np.floor(_hours(first_a - origin)), np.floor(_hours(first_b - origin)))
    )


def circadian_distance(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """Mean over weekdays of the Wasserstein distance of events' hours of the day.

    ``circadian_event_distribution_distance``: 23 for a weekday only one log has.
    """
    distances = []
    for day in range(7):
        hours_a = a.loc[a["time"].dt.day_of_week == day, "time"].dt.hour.to_numpy()
        hours_b = b.loc[b["time"].dt.day_of_week == day, "time"].dt.hour.to_numpy()
        if len(hours_a) and len(hours_b):
            distances.append(wasserstein_distance(hours_a, hours_b))
        else:
            distances.append(0.0 if len(hours_a) == len(hours_b) else 23.0)
    return float(np.mean(distances))


def ngram_distance(a: pd.DataFrame, b: pd.DataFrame, n: int = 3) -> float:
    """Normalised difference of the two logs' n-gram counts of activities, 0 to 1.

    ``n_gram_distribution_distance``, traces padded at both ends.
    """
    grams_a, grams_b = _ngrams(a, n), _ngrams(b, n)
    keys = set(grams_a) | set(grams_b)
    total = sum(grams_a.values()) + sum(grams_b.values())
    return sum(abs(grams_a[k] - grams_b[k]) for k in keys) / total if total else 0.0


def _ngrams(events: pd.DataFrame, n: int) -> Counter[tuple[str, ...]]:
    grams: Counter[tuple[str, ...]] = Counter()
    pad = ("",) * (n - 1)
    for trace in events.groupby("case", sort=False)["activity"]:
        steps = (*pad, *trace[1].tolist(), *pad)
        grams.update(zip(*(steps[i:] for i in range(n)), strict=False))
    return grams


def handoffs_per_case(events: pd.DataFrame) -> np.ndarray:
    """Per case, how often the resource changes between consecutive events with one."""
    named = events[events["resource"] != ""]
    previous = named.groupby("case", sort=False)["resource"].shift()
    changed = previous.notna() & (previous != named["resource"])
    counts = changed.groupby(named["case"], sort=False).sum()
    return counts.reindex(events["case"].unique(), fill_value=0).to_numpy(dtype=float)
