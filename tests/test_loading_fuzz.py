"""Fuzzing the scenario loader: any input gives a Scenario or a clean ScenarioError.

And scenarios the loader accepts must run: a small model is built and run for a few
days, so that a rule missing from the validator shows up as a crash here.
"""

from __future__ import annotations

import math
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from strategies import (
    BASE_RAWS,
    SMALL_RUN,
    YAML_DOCUMENTS,
    mutated_scenarios,
    plausible_scenarios,
    small,
    with_values,
)

import orgsim
from orgsim.scenario.loading import ScenarioError, load_scenario
from orgsim.scenario.schema import Scenario

FUZZ = settings(
    deadline=None,
    derandomize=True,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow],
)


def load_or_error(source: Any, overrides: Any = None) -> Scenario | ScenarioError:
    """The scenario, or the ScenarioError; any other exception fails the test."""
    try:
        return load_scenario(source, overrides)
    except ScenarioError as error:
        caught = error
    message = str(caught)
    assert message.strip(), "an error needs a message"
    assert "Traceback" not in message
    assert len(message) < 5000, "one message, not a dump"
    return caught


@FUZZ
@given(text=YAML_DOCUMENTS)
@example(text="name: [1,\n")
@example(text="- a\n- b\n")
@example(text="a: 2020-13-01\n")
@example(text="a: !!bool maybe\n")
@example(text="a: &x [*x]\n")
@example(text="extends: [1]\n")
def test_any_yaml_document_loads_or_fails_cleanly(text: str) -> None:
    with TemporaryDirectory() as directory:
        path = Path(directory) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        result = load_or_error(path)
    assert isinstance(result, ScenarioError)  # none of these is a whole scenario
    assert str(path) in str(result)


@FUZZ
@given(case=mutated_scenarios())
def test_mutated_scenario_loads_or_fails_cleanly(case: tuple[dict[str, Any], list[str]]) -> None:
    raw, overrides = case
    result = load_or_error(raw, overrides)
    assert isinstance(result, Scenario | ScenarioError)
    if isinstance(result, ScenarioError):
        assert str(result).startswith("scenario mapping: ")


@FUZZ
@given(case=mutated_scenarios())
def test_mutated_scenario_file_loads_or_fails_cleanly(
    case: tuple[dict[str, Any], list[str]],
) -> None:
    raw, overrides = case
    with TemporaryDirectory() as directory:
        path = Path(directory) / "scenario.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        result = load_or_error(path, overrides)
    if isinstance(result, ScenarioError):
        assert str(result).startswith(str(path))


def test_the_small_starting_scenarios_are_valid() -> None:
    """The fuzzing below starts from these: they must be valid, or it tests nothing."""
    for raw in BASE_RAWS.values():
        scenario = load_scenario(small(raw))
        assert scenario.run.days == SMALL_RUN["days"]


@settings(
    deadline=None,
    derandomize=True,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(raw=plausible_scenarios(), seed=st.integers(0, 3))
def test_accepted_small_scenario_runs(raw: dict[str, Any], seed: int) -> None:
    result = load_or_error(raw)
    assume(isinstance(result, Scenario))
    assert isinstance(result, Scenario)
    teams = result.structure.teams
    requests = result.demand.requests_per_customer_per_day * teams.count
    assume(teams.count * teams.size <= 200)
    assume(requests * result.demand.customers_per_team * SMALL_RUN["days"] <= 2000)
    run = orgsim.simulate(result, seed=seed, days=SMALL_RUN["days"])
    assert run.summary["requests_created"] >= 0
    assert run.summary["seed"] == seed


# --- what the fuzzing found: once accepted by the validator and fatal to the model -----------

_CRASHES = {
    "absence_share_one": {"structure.layers[1].absence.share": 1},
    "infinite_request_rate": {"demand.requests_per_customer_per_day": math.inf},
    "huge_lognormal_cv": {"demand.kinds[0].work_h.cv": 1e300},
    "huge_gamma_cv": {"demand.kinds[0].work_h": {"dist": "gamma", "mean": 1, "cv": 1e300}},
    "infinite_uniform_high": {
        "demand.kinds[0].work_h": {"dist": "uniform", "low": 0, "high": math.inf}
    },
    "infinite_kind_share": {"demand.kinds[0].share": math.inf},
    "huge_kind_shares": {"demand.kinds[0].share": 1e308, "demand.kinds[1].share": 1e308},
}
_RUNS = {
    "absence_share_almost_one": {"structure.layers[1].absence.share": 0.999},
    "zero_work": {"demand.kinds[0].work_h": 0},
    "one_unlimited_layer": {"structure.layers": [{"name": "boss", "span": 8}]},
}


@pytest.mark.parametrize(
    "changes",
    [pytest.param(changes, id=name) for name, changes in (_CRASHES | _RUNS).items()],
)
def test_edge_scenario_is_rejected_or_runs(changes: dict[str, Any]) -> None:
    result = load_or_error(with_values(small(BASE_RAWS["hierarchy"]), changes))
    if isinstance(result, Scenario):
        orgsim.simulate(result, seed=0, days=SMALL_RUN["days"])
