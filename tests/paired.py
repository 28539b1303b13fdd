"""Paired replications for directional tests: the same seeds for both arms (common random numbers).

A directional test runs a scenario twice per seed, once with each arm's overrides,
measures a figure of each run, and asks a one-sided paired t-test whether the
difference goes the way the mechanism's source claims.
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from orgsim import simulate
from orgsim.results.run import SimulationResult

ALPHA = 0.01
"""Significance level of every directional test (one-sided)."""

NOBODY_LEAVES = {"yearly_base_rate": None, "probability": 0.0}
"""``satisfaction.churn`` with no churn rule at work: both arms keep the same customers."""


def paired(
    scenario: Path | Mapping[str, Any],
    arm_a: Mapping[str, Any],
    arm_b: Mapping[str, Any],
    measure: Callable[[SimulationResult], dict[str, float]],
    replications: int = 8,
    days: float = 30,
    scenario_b: Path | Mapping[str, Any] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Figures of ``measure`` for each arm, one run per seed 1..``replications``.

    Arm b runs ``scenario_b`` if given (two structures), else ``scenario`` too.
    """
    arms: tuple[dict[str, list[float]], dict[str, list[float]]] = ({}, {})
    scenarios = (scenario, scenario if scenario_b is None else scenario_b)
    for seed in range(1, replications + 1):
        for figures, overrides, path in zip(arms, (arm_a, arm_b), scenarios, strict=True):
            result = simulate(path, seed=seed, days=days, overrides=dict(overrides))
            for key, value in measure(result).items():
                figures.setdefault(key, []).append(value)
    a, b = ({k: np.asarray(v) for k, v in arm.items()} for arm in arms)
    return a, b


def one_sided(a: np.ndarray, b: np.ndarray, a_larger: bool) -> Any:
    """Paired t-test of ``a`` against ``b``, one-sided in the claimed direction."""
    return stats.ttest_rel(a, b, alternative="greater" if a_larger else "less")


def summary_keys(*keys: str) -> Callable[[SimulationResult], dict[str, float]]:
    """A measure that reads ``keys`` from a run's summary."""
    return lambda result: {key: float(result.summary[key]) for key in keys}
