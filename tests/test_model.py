"""The model as Mesa sees it, and reproducibility."""

import itertools
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from orgsim import OrgModel, simulate
from orgsim.sim.organisation import DecisionPoint

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"


def test_a_step_is_one_sampling_interval_of_the_event_clock():
    model = OrgModel(HIERARCHY, rng=3, overrides={"run.days": 5, "run.warmup_days": 1})
    assert (model.steps, model.time, model.clock_h) == (0, 0.0, 0.0)
    model.step()
    assert (model.steps, model.time, model.clock_h) == (1, 1.0, 8.0)
    model.run()
    assert (model.steps, model.time, model.clock_h) == (5, 5.0, 40.0)
    assert not model.running
    # the DataCollector sampled at the start and after every step
    frame = model.datacollector.get_model_vars_dataframe()
    assert frame["time_h"].tolist() == [0.0, 8.0, 16.0, 24.0, 32.0, 40.0]


def test_customers_employees_and_managers_are_mesa_agents():
    model = OrgModel(HIERARCHY, rng=3, overrides={"run.days": 2, "run.warmup_days": 1})
    kinds = {cls.__name__: len(agents) for cls, agents in model.agents_by_type.items()}
    # 8 teams x 6; 8 leads + 2 department managers + 1 director + 5 committee members
    assert kinds == {"Employee": 48, "Manager": 16, "Customer": 200}


def test_the_pyramid_routes_each_team_up_its_own_reporting_line():
    model = OrgModel(HIERARCHY, rng=3, overrides={"run.days": 2, "run.warmup_days": 1})
    routes = [[point.name for point in team.route] for team in model.org.teams]
    assert routes[0] == ["team_lead-0", "department_manager-0", "director-0", "deal_committee-0"]
    assert routes[5] == ["team_lead-5", "department_manager-1", "director-0", "deal_committee-0"]
    committee = model.org.teams[0].route[-1]
    assert isinstance(committee, DecisionPoint)
    assert len(committee.members) == 5
    assert committee.rule.needed == 3


def test_same_scenario_and_seed_give_identical_results():
    first = simulate(HIERARCHY, seed=11, days=20)
    second = simulate(HIERARCHY, seed=11, days=20)
    assert first.summary_json() == second.summary_json()
    pd.testing.assert_frame_equal(first.requests, second.requests)
    pd.testing.assert_frame_equal(first.timeseries, second.timeseries)
    assert simulate(HIERARCHY, seed=12, days=20).summary_json() != first.summary_json()


def test_two_structures_with_one_seed_face_the_very_same_requests():
    columns = ["request_id", "customer_id", "kind", "value", "good", "created_h"]
    # no churn, so no request is dropped in either structure
    overrides = {"satisfaction.churn": {"yearly_base_rate": None, "probability": 0.0}}
    hierarchy = simulate(HIERARCHY, seed=5, days=30, overrides=overrides).requests
    self_managing = simulate(SELF_MANAGING, seed=5, days=30, overrides=overrides).requests
    both = hierarchy[columns].merge(self_managing[columns], on="request_id", suffixes=("", "_b"))
    assert len(both) > 1000
    for column in columns[1:]:
        assert (both[column] == both[f"{column}_b"]).all(), column


def test_batch_run_builds_the_model_from_flat_keyword_parameters():
    results = mesa.batch_run(
        OrgModel,
        parameters={
            "scenario": str(HIERARCHY),
            "overrides": [{"run.days": 3, "run.warmup_days": 1}],
        },
        max_steps=3,
        number_processes=1,
        display_progress=False,
        rng=[7],
    )
    assert [row["Step"] for row in results] == [3]
    assert results[0]["created"] > 0


@pytest.mark.parametrize("scenario", [HIERARCHY, SELF_MANAGING])
def test_warmup_is_left_out_of_times_and_rates(scenario):
    result = simulate(scenario, seed=2, days=20)
    requests = result.requests
    measured = requests[(requests["created_h"] >= 80) & (requests["outcome"] == "resolved")]
    assert result.summary["response_time_mean_h"] == pytest.approx(measured["response_h"].mean())
    assert result.summary["requests_created"] > len(measured)


def test_every_table_row_carries_its_seed():
    result = simulate(HIERARCHY, seed=4, days=12)
    for table in (result.requests, result.timeseries, result.stations):
        assert (table["seed"] == 4).all()
    assert result.summary["seed"] == 4


def test_the_request_table_holds_every_request_created():
    result = simulate(HIERARCHY, seed=1, days=30)
    requests, summary = result.requests, result.summary
    assert len(requests) == summary["requests_created"]
    outcomes = requests["outcome"].value_counts()
    assert outcomes["in_progress"] == summary["requests_in_progress"] > 0
    unfinished = requests[requests["outcome"] == "in_progress"]
    assert unfinished["delivered_h"].isna().all()
    assert unfinished["response_h"].isna().all()
    assert unfinished["correct"].isna().all()  # not decided for the customer yet
    finished = requests[requests["outcome"] != "in_progress"]
    assert finished["delivered_h"].notna().all()
    assert finished["correct"].notna().all()


def test_a_request_that_never_queued_waited_exactly_zero():
    wait = simulate(HIERARCHY, seed=1, days=30).requests["wait_h"]
    assert (wait >= 0).all()
    assert not np.signbit(wait).any()  # no -0.0
    # exactly 0, or a real wait: no float residue of arrival + service - finish
    assert ((wait == 0) | (wait > 1e-9)).all()
    assert 0 < (wait > 0).mean() < 1


@pytest.mark.parametrize("path", [HIERARCHY, SELF_MANAGING])
def test_advancing_in_small_increments_runs_the_same_events_as_stepping(path):
    overrides = {"run.days": 6.3, "run.warmup_days": 1}  # the horizon falls inside a step
    stepped = OrgModel(path, rng=7, overrides=overrides)
    stepped.run()
    advanced = OrgModel(path, rng=7, overrides=overrides)
    clocks = []
    while advanced.running:
        advanced.advance(0.7)
        clocks.append(advanced.clock_h)
    assert clocks[0] == pytest.approx(0.7)
    assert clocks[-1] == pytest.approx(6.3 * 8)
    assert all(b > a for a, b in itertools.pairwise(clocks))
    assert advanced.steps == stepped.steps == 7
    assert bytes(advanced.log.rows) == bytes(stepped.log.rows)
    pd.testing.assert_frame_equal(
        advanced.datacollector.get_model_vars_dataframe(),
        stepped.datacollector.get_model_vars_dataframe(),
    )
