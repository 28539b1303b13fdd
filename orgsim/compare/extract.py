"""One run as a comparison keeps it: its summary and compact extracts, or its error.

A worker returns this record instead of the whole result, so memory stays bounded
whatever the number of runs: the request log (one row per request) is reduced to
response-time quantiles and the share of decisions per level, the time series to
at most :data:`MAX_POINTS` samples of satisfaction and backlog.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

import numpy as np

from orgsim.results import metrics
from orgsim.results.run import SimulationResult, simulate
from orgsim.results.run_logs import RunLogs
from orgsim.scenario.schema import Scenario

QUANTILES = (*np.round(np.arange(0.01, 1.0, 0.01), 2).tolist(), 0.995, 0.999)
"""Probabilities at which each run's response-time distribution is kept (an ECDF)."""

MAX_POINTS = 400
"""Time-series samples kept per run (every k-th sample beyond that, and the last)."""

SERIES = ("satisfaction_mean", "backlog")


def run_record(
    scenario: Scenario, scenario_hash: str, seed: int, logs: RunLogs | None = None
) -> dict[str, Any]:
    """Run ``scenario`` with ``seed`` and return its record; an error in it is recorded.

    Any exception raised inside the model is caught and kept as text (its type,
    message and the innermost frame), so that one failing run never loses the others.
    With ``logs``, the run is traced and its event log written before it returns
    (the record names the file: ``event_log``).
    """
    start = time.perf_counter()
    head = {"scenario": scenario.name, "scenario_hash": scenario_hash, "seed": seed}
    try:
        traced = {"trace": True} if logs is not None else {}
        result = simulate(scenario, seed=seed, **traced)
        body = {**_figures(result.summary), "error": None, "extract": extract(result, scenario)}
        if logs is not None:
            body |= logs.write(result.events, scenario, seed)
    except Exception as error:  # a run's fault is a result to report
        body = {"error": _describe(error)}
    return head | body | {"wall_s": time.perf_counter() - start}


def _figures(summary: dict[str, Any]) -> dict[str, Any]:
    skip = {"scenario", "scenario_hash", "seed"}
    return {key: value for key, value in metrics.json_ready(summary).items() if key not in skip}


def _describe(error: Exception) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1:]
    where = f" (at {frame[0].filename}:{frame[0].lineno})" if frame else ""
    return f"{type(error).__name__}: {error}{where}"


def extract(result: SimulationResult, scenario: Scenario) -> dict[str, Any]:
    """Response-time quantiles, decisions per level and the thinned time series."""
    run = scenario.run
    after = metrics.measured(result.requests, run.warmup_days * run.hours_per_day)
    response = after["response_h"].to_numpy(dtype=float)
    quantiles = np.quantile(response, QUANTILES).tolist() if len(response) else []
    levels = list(result.requests["level_name"].cat.categories)
    counts = np.bincount(after["level"].clip(lower=0), minlength=len(levels))
    series = result.timeseries
    keep = np.unique([*range(0, len(series), -(-len(series) // MAX_POINTS)), len(series) - 1])
    rows = series.iloc[keep]
    return {
        "response_quantiles_h": quantiles,
        "decisions_by_level": dict(zip(levels, counts.tolist(), strict=True)),
        "series": {
            "day": (rows["time_h"] / run.hours_per_day).tolist(),
            **{name: rows[name].astype(float).tolist() for name in SERIES},
        },
    }
