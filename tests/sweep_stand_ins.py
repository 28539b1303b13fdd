"""Stand-ins shared by the sweep tests: tiny experiments and runners for worker processes.

The runners are top-level functions of an importable module, so that spawned worker
processes (process pools, Dask workers) can unpickle them by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from orgsim.scenario.schema import Scenario
from orgsim.sweep.execute import simulate_figures

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
FAILING_MANDATE = 1000.0
CRASHING_MANDATE = 2000.0


def tiny_experiment(tmp: Path, name: str = "tiny", **changes: Any) -> Path:
    """A small grid over two bases: 3 mandates x 2 replications of short runs."""
    raw: dict[str, Any] = {
        "name": name,
        "bases": [str(SCENARIOS / "hierarchy.yaml"), str(SCENARIOS / "self_managing.yaml")],
        "set": {"run.days": 6, "run.warmup_days": 1},
        "parameters": [
            {
                "name": "employee_mandate",
                "path": "structure.teams.employee_mandate",
                "values": [500, FAILING_MANDATE, CRASHING_MANDATE],
            }
        ],
        "sampler": "grid",
        "replications": 2,
        "seed": 5,
    }
    raw.update(changes)
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def failing_runner(scenario: Scenario, seed: int) -> dict[str, float]:
    """The real run, except that one mandate raises (as a bug in the model would)."""
    if scenario.structure.teams.employee_mandate == FAILING_MANDATE:
        raise RuntimeError(f"stand-in fault at seed {seed}")
    return simulate_figures(scenario, seed)


def crashing_runner(scenario: Scenario, seed: int) -> dict[str, float]:
    """The real run, except that one mandate kills its worker process outright."""
    if scenario.structure.teams.employee_mandate == CRASHING_MANDATE:
        os._exit(13)
    return simulate_figures(scenario, seed)


def quick_runner(scenario: Scenario, seed: int) -> dict[str, float]:
    """No simulation: two figures from the mandate, the layers and the seed, at once."""
    mandate = scenario.structure.teams.employee_mandate
    noise = (seed % 1000) / 1000 - 0.5
    return {
        "satisfaction_mean": 1 / (1 + mandate / 1000) + 0.01 * noise,
        "churn_rate": 0.1 + 0.001 * len(scenario.structure.layers) + 0.01 * noise,
    }


class InlineBackend:
    """Runs tasks on a thread of this process: no worker to spawn, for fast tests."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(1)

    def executor(self) -> Executor:
        """The thread pool."""
        return self.pool

    def rebuild(self) -> Executor:
        """Threads do not break: the same pool."""
        return self.pool

    def slots(self) -> int:
        """Two tasks in flight."""
        return 2


@contextmanager
def inline_backend(*_: Any, **__: Any) -> Iterator[InlineBackend]:
    """Stands in for :func:`orgsim.sweep.backends.backend` (patched into the runner)."""
    where = InlineBackend()
    try:
        yield where
    finally:
        where.pool.shutdown()
