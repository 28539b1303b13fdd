"""Any experiment the schema accepts is estimated and bounded before it is built, and its
runs run, or it is refused with a ScenarioError (exit 2) in a second (issue 17).

Hypothesis draws samplers, sizes (up to 2**40 points or replications), parameters over
and beyond their allowed values, overlapping paths and odd Morris levels
(``strategies.whole_range_experiments``). The estimate must equal the design actually
built, and a design beyond the limit must be refused before anything is built.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from strategies import whole_range_experiments
from test_hardening import time_limit

from orgsim.scenario.errors import ScenarioError
from orgsim.sweep.design import load_experiment
from orgsim.sweep.execute import run_group
from orgsim.sweep.points import design_size, plan

MAX_RUNS = 40
"""The limit here: larger designs are refused, and so tested for that."""


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=whole_range_experiments())
def test_any_experiment_is_estimated_bounded_and_runs_or_is_refused(
    raw: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "experiment.yaml"
    path.write_text(yaml.safe_dump(raw))
    with time_limit(10):
        try:
            design = load_experiment(path)
            bases = ["hierarchy", "self_managing"][: len(raw["bases"])]
            runs = design_size(design, bases) * design.replications
            tasks = plan(design, path, max_runs=MAX_RUNS)
        except ScenarioError as error:
            event(f"refused: {_why(str(error))}")
            if "max_runs" in str(error):
                assert runs > MAX_RUNS
            return
    event("ran")
    assert len(tasks) == runs <= MAX_RUNS
    (row,) = run_group(tasks[:1])
    figures = [v for k, v in row.items() if k not in ("error", "run_key", "base", "scenario_hash",
               "orgsim_version") and isinstance(v, float)]  # fmt: skip
    assert row["error"] is None or isinstance(row["error"], str)
    assert row["error"] is not None or all(math.isfinite(v) or math.isnan(v) for v in figures)


def _why(message: str) -> str:
    for reason in ("max_runs", "both change", "even", "power of two", "problem(s)"):
        if reason in message:
            return reason
    return "a point's scenario"
