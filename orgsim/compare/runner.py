"""Comparing structures: replications with common random numbers, confidence intervals.

Replication r of every scenario runs with seed ``seed + r``, so each structure faces
the very same customers and requests in it; differences against the first scenario
are therefore taken replication by replication (paired), which shrinks their
intervals to what structure, not luck, explains.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd

from orgsim.results.metrics import SUMMARY_KEYS, json_ready
from orgsim.results.run import simulate
from orgsim.results.stats import mean_interval
from orgsim.scenario.loading import ScenarioError, load_scenario
from orgsim.scenario.schema import Scenario

COMPARED = [key for key in SUMMARY_KEYS if key not in ("requests_created", "requests_resolved")]


def run_replications(
    scenarios: Sequence[Scenario],
    replications: int,
    seed: int,
    days: float | None = None,
    workers: int = 1,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> pd.DataFrame:
    """One summary row per (scenario, replication), in a fixed order whatever ``workers``."""
    jobs = [(s, seed + r, days) for s in scenarios for r in range(replications)]
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        mapper = map
        if workers > 1:
            # spawn, as Mesa's batch_run: forking a process with threads can deadlock
            spawn = multiprocessing.get_context("spawn")
            mapper = stack.enter_context(ProcessPoolExecutor(workers, mp_context=spawn)).map
        for summary in mapper(_summary_of, jobs):  # in job order, whatever the workers
            rows.append(summary)
            if on_result:
                on_result(summary)
    return pd.DataFrame(rows)


def _summary_of(job: tuple[Scenario, int, float | None]) -> dict[str, Any]:
    scenario, seed, days = job
    return simulate(scenario, seed=seed, days=days).summary | {"replication_seed": seed}


def compare(runs: pd.DataFrame, keys: Sequence[str] = COMPARED) -> pd.DataFrame:
    """Mean and 95% interval per scenario and figure, and the paired difference to the first."""
    order = list(dict.fromkeys(runs["scenario"]))
    baseline = runs[runs["scenario"] == order[0]].set_index("seed")
    rows = []
    for name in order:
        group = runs[runs["scenario"] == name].set_index("seed")
        for key in keys:
            values = group[key].astype(float).dropna()
            row = {"scenario": name, "figure": key, "mean": values.mean(), "n": len(values)}
            row["low"], row["high"] = _interval(values)
            if name != order[0]:
                paired = (group[key] - baseline[key]).astype(float).dropna()
                row["diff"] = paired.mean()
                row["diff_low"], row["diff_high"] = _interval(paired)
            rows.append(row)
    return pd.DataFrame(rows)


def _interval(values: pd.Series) -> tuple[float, float]:
    if len(values) < 2 or values.nunique() == 1:
        return float(values.mean()), float(values.mean())
    return mean_interval(values.to_numpy())


def load_all(paths: Sequence[str], overrides: Sequence[str]) -> list[Scenario]:
    """The scenarios to compare, each with the same command-line overrides."""
    scenarios = [load_scenario(path, overrides) for path in paths]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(
            f"{', '.join(paths)}: the scenarios to compare need distinct `name`s, got {names}"
        )
    return scenarios


def appender(path: Path) -> Callable[[dict[str, Any]], None]:
    """A callback that appends each summary to a JSON-lines file as soon as it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")

    def append(summary: dict[str, Any]) -> None:
        with path.open("a") as file:
            file.write(json.dumps(json_ready(summary)) + "\n")

    return append
