"""Any scenario the schema allows runs to its end with finite, consistent figures, or is refused.

Hypothesis draws every field over its whole allowed range, bounds included
(``strategies.whole_range_scenarios``). Each example must either be refused with a
``ScenarioError`` (by the loader, or by the work estimate before the run) or run to its
horizon, within a time limit, with requests conserved and every reported figure a
finite number or one of the documented nulls. Any other exception, a hang or a NaN fails.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import whole_range_scenarios
from test_hardening import time_limit

from orgsim.results.metrics import MAY_BE_NULL, json_ready
from orgsim.results.run import collect
from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.sim.model import OrgModel

MAX_REQUESTS = 3_000
"""The work estimate's limit here: larger runs are refused, and so tested for that."""

SECONDS_PER_EXAMPLE = 20


WHOLE_RANGE = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEEDS = st.integers(0, limits.MAX_SEED)


@WHOLE_RANGE
@given(raw=whole_range_scenarios(), seed=SEEDS)
def test_any_scenario_in_the_schema_runs_or_is_refused(raw: dict[str, Any], seed: int) -> None:
    runs_or_is_refused(raw, seed)


@WHOLE_RANGE
@given(raw=whole_range_scenarios(all_mechanisms_on=True), seed=SEEDS)
def test_any_scenario_with_every_mechanism_on_runs_or_is_refused(
    raw: dict[str, Any], seed: int
) -> None:
    """Judgement, money, new customers, CRM, apathy, retrospectives and ideas in one run."""
    runs_or_is_refused(raw, seed)


def runs_or_is_refused(raw: dict[str, Any], seed: int) -> None:
    """``raw`` is refused with a ScenarioError, or runs to its horizon with sound figures."""
    with time_limit(SECONDS_PER_EXAMPLE):
        try:
            model = OrgModel(raw, rng=seed, max_requests=MAX_REQUESTS)
        except ScenarioError as error:
            event(f"refused: {_refused_where(error)}")
            return
        model.run()
        result = collect(model)
    event("ran")
    assert model.clock_h == model.horizon_h
    _assert_conserved(model, result.requests)
    _assert_finite(result.summary)
    requests = result.requests
    for column in ("created_h", "wait_h", "value"):
        assert np.isfinite(requests[column]).all(), column
    # what has not happened yet is NaN: a delivery in progress, a decision not taken
    ended = requests[requests["outcome"] != "in_progress"]
    for column in ("decided_h", "delivered_h"):
        assert np.isfinite(ended[column]).all(), column
    assert np.isfinite(requests["decided_h"].dropna()).all()
    assert not requests["authority"].isna().any()  # a mandate, or infinity for unlimited
    _assert_pending_events_finite(model)
    _assert_mechanisms_consistent(model, result.summary)
    for table in (result.timeseries, result.stations):
        numbers = table.select_dtypes("number")
        assert np.isfinite(numbers.to_numpy(dtype=float)).all(), numbers.columns.tolist()


def _assert_conserved(model: OrgModel, requests: Any) -> None:
    counts = model.life.counts
    assert counts.created == counts.resolved + counts.abandoned + counts.in_flight
    assert len(requests) == counts.created  # ended, and in progress at the horizon
    ended = requests[requests["outcome"] != "in_progress"]
    assert (ended["delivered_h"] <= model.horizon_h).all()


def _assert_finite(summary: dict[str, Any]) -> None:
    for key, value in json_ready(summary).items():
        if value is None:
            assert key in MAY_BE_NULL, f"{key} is null"
        elif isinstance(value, float):
            assert math.isfinite(value), f"{key} is {value}"


def _assert_pending_events_finite(model: OrgModel) -> None:
    """Every event still due is at a finite time after the horizon: a NaN or infinite
    duration would leave an event that never runs, and the run would stall silently."""
    for time_h, *_ in model.loop.heap:
        assert math.isfinite(time_h), f"an event is due at {time_h} h"
        assert time_h >= model.horizon_h


def _assert_mechanisms_consistent(model: OrgModel, summary: dict[str, Any]) -> None:
    """The mechanisms' counts fit together, and their shares stay shares."""
    assert 0 <= summary["ideas_bad_adopted"] <= summary["ideas_adopted"]
    assert summary["ideas_adopted"] <= summary["ideas_proposed"]
    initial = model.spec.structure.teams.count * model.spec.demand.customers_per_team
    assert summary["customers"] == initial + summary["customers_arrived"]
    assert 0 <= summary["customers_active"] <= summary["customers"]
    assert summary["errors_discussed"] <= summary["requests_resolved"]
    for share in ("engagement_mean", "trust_mean", "satisfaction_mean", "churn_rate"):
        assert 0 <= summary[share] <= 1, share
    for money in ("value_bad_accepted", "value_good_rejected", "value_customers_lost",
                  "value_lost", "management_cost"):  # fmt: skip
        assert summary[money] >= 0, money


def _refused_where(error: ScenarioError) -> str:
    """The field a refusal names, or ``work estimate`` (the model's refusal names the scenario)."""
    where = str(error).splitlines()[-1].strip().split(":")[0]
    return "work estimate" if where.startswith("scenario ") else where[:30]
