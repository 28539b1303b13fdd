"""Stand-ins shared by the sweep tests: tiny experiments and runners for worker processes.

The runners are top-level functions of an importable module, so that spawned worker
processes (process pools, Dask workers) can unpickle them by name.
"""

from __future__ import annotations

import os
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
