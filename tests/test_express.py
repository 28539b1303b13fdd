"""The express loop runs every scenario exactly as the general loop does (issue 23).

:mod:`orgsim.sim.express` runs a request's common steps inline instead of through the
request life's methods. Each test runs one scenario and seed on both loops and compares
everything a run leaves: the summary, the request log, the stations' table, the time
series, the event log when traced, and the state behind them (every event run and still
due, every random stream's next number, every customer's and employee's state). Any
difference in a draw, an event or a float operation shows up here.
"""

from __future__ import annotations

import types
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from regen_regression_figures import ALL_MECHANISMS, scenario_files
from strategies import (
    HIERARCHY,
    SELF_MANAGING,
    organisations,
    raw_scenario,
    whole_range_scenarios,
    with_values,
)
from test_whole_range import SEEDS, WHOLE_RANGE

from orgsim.results.run import collect
from orgsim.scenario import limits
from orgsim.scenario.errors import CapacityWarning, ScenarioError
from orgsim.sim.express import general_only
from orgsim.sim.model import OrgModel
from orgsim.sim.tracing import Trace
from orgsim.validate.degenerate import tandem

MAX_REQUESTS = 20_000
"""Drawn scenarios expected to make more requests are refused (on both loops alike)."""


def outputs(
    scenario: Path | dict[str, Any],
    seed: int,
    engine: str,
    overrides: dict[str, Any] | None = None,
    trace: bool = False,
    max_requests: int = limits.MAX_REQUESTS,
) -> dict[str, Any] | None:
    """Everything one run leaves, as text to compare; ``None`` if the scenario is refused."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CapacityWarning)
        try:
            model = OrgModel(
                scenario, rng=seed, overrides=overrides, engine=engine, max_requests=max_requests
            )
        except ScenarioError:
            return None
    if trace:
        model.life.trace = Trace(model.loop)
    model.run()
    result = collect(model)
    life, loop = model.life, model.loop
    return {
        "summary": result.summary_json(),
        "requests": result.requests.to_csv(index=False),
        "stations": result.stations.to_csv(index=False),
        "timeseries": result.timeseries.to_csv(),
        "events": result.events.to_csv(index=False) if trace else "",
        "clock": repr((loop.now, loop.processed, next(loop.sequence))),
        "due": repr(sorted((time_h, order) for time_h, order, *_ in loop.heap)),
        "next draws": repr([life._vote(), life._chance(), life._handoff(), life._truth()]),
        "customers": repr((bytes(model.accounts.active), model.accounts.satisfaction.tobytes())),
        "people": repr([(e.trust, e.skill, e.engagement) for e in model.org.employees]),
        "in progress": repr(
            [
                (r.id, r.position, r.votes, r.pending, r.climb, r.wait_h)
                for r in life.in_progress.values()
            ]
        ),
    }


def assert_same_on_both_loops(
    scenario: Path | dict[str, Any],
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    trace: bool = False,
    drawn: bool = False,
) -> None:
    """Both loops give the same outputs; a drawn scenario may be refused by both alike."""
    limit = MAX_REQUESTS if drawn else limits.MAX_REQUESTS
    general = outputs(scenario, seed, "general", overrides, trace, limit)
    express = outputs(scenario, seed, "express", overrides, trace, limit)
    if drawn and general is None:
        assert express is None
        event("refused")
        return
    assert general is not None
    assert express is not None
    if drawn:
        event("ran")
    differ = [name for name in general if general[name] != express[name]]
    assert not differ, f"the express loop changed: {', '.join(differ)}"


# --- every shipped scenario, at its own horizon -----------------------------------------


@pytest.mark.parametrize("path", scenario_files(), ids=lambda path: path.stem)
def test_every_shipped_scenario_runs_identically_on_the_express_loop(path: Path) -> None:
    assert_same_on_both_loops(path, overrides={"run.days": 120})


@pytest.mark.parametrize(
    "path", [HIERARCHY, SELF_MANAGING, ALL_MECHANISMS], ids=lambda path: path.stem
)
def test_a_traced_run_is_identical_too(path: Path) -> None:
    """The inline steps write the trace's rows as the request life's methods do."""
    assert_same_on_both_loops(path, overrides={"run.days": 40}, trace=True)


# --- the steps the express loop runs inline, each in its less common forms --------------

VARIANTS = {
    "hand-offs take a fixed time": {"structure.handoff_time_h": 0.5},
    "hand-offs take a random time": {
        "structure.handoff_time_h": {"dist": "exponential", "mean": 0.3}
    },
    "no hand-off time": {"structure.handoff_time_h": 0},
    "reviews take no time": {"structure.layers[0].review_time_h": 0},
    "a sequential committee": {
        "structure.layers[1].members": 3,
        "structure.layers[1].rule": "majority",
        "structure.layers[1].review": "sequential",
    },
    "a parallel committee of all": {
        "structure.layers[0].members": 2,
        "structure.layers[0].rule": "all",
    },
    "no rework": {"structure.rework.probability": 0},
    "rework every time": {"structure.rework.probability": 1, "structure.rework.max_rounds": 3},
    "calibrated churn": {
        "satisfaction.churn": {"probability": 0.0, "yearly_base_rate": 0.5, "sensitivity": 8}
    },
    "threshold churn": {"satisfaction.churn": {"threshold": 0.6, "probability": 0.3}},
    "trust learnt from blame": {"culture.trust.learning_rate": 0.3},
    "a pooled team queue": {"structure.teams.pooled": True},
    "new customers, some referred": {
        "demand.new_customers": {
            "per_day": 0.5,
            "referrals_per_customer_per_day": 0.02,
            "referral_threshold": 0.6,
            "market_size": 400,
        }
    },
    "retrospectives": {"retrospectives": {"enabled": True, "agreement_gain": 0.2}},
    "CRM monitoring": {"monitoring": {"enabled": True, "interval_days": 5, "reporting_h": 0.05}},
    "judgement criteria": {
        "judgement": {"employee_caution": 0.3, "manager_caution": 0.5, "blame_caution": 0.5}
    },
    "lateral hand-offs": {
        "structure.teams.lateral_handoff": {
            "enabled": True,
            "queue_threshold": 2,
            "scope": "team",
            "candidates": 2,
        }
    },
    "a kind's wait and closing": {
        "demand.kinds[0].wait_h": {"dist": "exponential", "mean": 0.5},
        "demand.kinds[0].close_after_h": {"dist": "exponential", "mean": 4},
    },
    "intake desks: dispatch, transfers, closing": {
        "structure.intake": {
            "dispatch": {"share": 0.5, "people": 2, "time_h": {"dist": "exponential", "mean": 0.1}},
            "transfer": {"share": 0.1, "time_h": {"dist": "exponential", "mean": 0.1}},
            "closing": {"share": 0.5, "people": 1, "time_h": {"dist": "exponential", "mean": 0.1}},
        },
        "demand.kinds[0].close_after_h": {"dist": "exponential", "mean": 4},
    },
}


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=list(VARIANTS))
def test_the_inline_steps_in_their_less_common_forms(changes: dict[str, Any]) -> None:
    raw = with_values(raw_scenario(HIERARCHY), changes)
    assert_same_on_both_loops(raw, seed=7, overrides={"run.days": 60})
    assert_same_on_both_loops(raw, seed=7, overrides={"run.days": 30}, trace=True)


def test_the_approval_chain_is_run_inline() -> None:
    """The benchmark's chain never calls the request life's review or arrival methods."""
    scenario = tandem(0.8, (1.0, 1.0, 1.0), 2_000.0, 200.0)
    calls = {"general": 0, "express": 0}
    for engine in calls:
        model = OrgModel(scenario, rng=3, engine=engine)
        assert general_only(model.life) is None
        reviewed = model.life.on_reviewed.__func__

        def counting(life: Any, request: Any, by: Any, engine: str = engine) -> None:
            calls[engine] += 1
            reviewed(life, request, by)  # noqa: B023 (the same method in every round)

        # bound the way the life binds it, so the express loop still recognises it
        model.life.on_reviewed = types.MethodType(counting, model.life)
        model.run()
    assert calls["express"] == 0
    assert calls["general"] > 3_000  # three reviews a request


# --- any scenario the schema accepts ------------------------------------------------------

EXAMPLES = settings(WHOLE_RANGE, max_examples=40)  # two runs an example


@EXAMPLES
@given(raw=whole_range_scenarios(), seed=SEEDS)
def test_any_scenario_in_the_schema_runs_identically(raw: dict[str, Any], seed: int) -> None:
    assert_same_on_both_loops(raw, seed, drawn=True)


@EXAMPLES
@given(raw=organisations(), seed=SEEDS)
def test_any_organisation_runs_identically(raw: dict[str, Any], seed: int) -> None:
    assert_same_on_both_loops(raw, seed, drawn=True)
