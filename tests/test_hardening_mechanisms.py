"""Hostile input (issue 8) in the seeds' mechanism groups: each class found, answered at its root.

The whole-range property test (test_whole_range.py) found each class once it drew the
mechanism groups; each test here holds one reproducer, and failed before its fix.
"""

from __future__ import annotations

import math
import time
import warnings

import pytest
from strategies import GROUP_FIELDS, HIERARCHY, SELF_MANAGING
from test_hardening import refused, time_limit

from orgsim.results.metrics import MAY_BE_NULL, json_ready
from orgsim.results.run import collect
from orgsim.scenario import limits, workload
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.scenario.schema import Demand, Scenario
from orgsim.sim.customer_base import satisfied
from orgsim.sim.ideas import WORK_FACTOR_RANGE
from orgsim.sim.model import OrgModel
from orgsim.sim.requests import Request

# --- 1. values without a bound that break the run ---------------------------------------------


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ("demand.new_customers.per_day=1e308", "demand.new_customers.per_day"),
        (
            "demand.new_customers.referrals_per_customer_per_day=1e308",
            "demand.new_customers.referrals_per_customer_per_day",
        ),
        ("demand.new_customers.market_size=1000000000000", "demand.new_customers.market_size"),
        ("ideas.per_employee_per_day=1e-140", "ideas.per_employee_per_day"),
        ("ideas.value=1e308", "ideas.value"),
        ("ideas.write_up_h=1e308", "ideas.write_up_h"),
        ("money.customer_value=1e308", "money.customer_value"),
        ("money.manager_hourly_cost=1e308", "money.manager_hourly_cost"),
        ("monitoring.reporting_h=1e308", "monitoring.reporting_h"),
        ("monitoring.interval_days=1e308", "monitoring.interval_days"),
        ("monitoring.cut_days=1e308", "monitoring.cut_days"),
        ("retrospectives.interval_days=1e308", "retrospectives.interval_days"),
    ],
)
def test_mechanism_values_that_break_the_run_are_refused_by_the_schema(
    override: str, field: str
) -> None:
    """1e308 new accounts a day: 'lam value too large'; an idea rate of 1e-140: a raw
    pydantic error from inside the model; an interval of 1e308 days: an event due at an
    infinite hour; money of 1e308: an infinite figure."""
    refused(HIERARCHY, [override], field)


def test_the_strategy_draws_every_field_of_every_mechanism_group() -> None:
    """The whole-range test covers a field only if the strategy draws it."""
    scenario = Scenario.model_fields
    for name, fields in GROUP_FIELDS.items():
        model = (Demand.model_fields if name == "new_customers" else scenario)[name].annotation
        assert set(fields) == set(model.model_fields), name


# --- 4. runaway work: new customers, ideas and meetings count in the work estimate ----------


def test_new_customers_beyond_a_machine_are_refused_before_any_slot_is_made() -> None:
    """A million new accounts a day for 30 days: 30 million account slots (9 GB)."""
    message = refused(HIERARCHY, ["demand.new_customers.per_day=1e6", "run.days=30"])
    assert "demand.new_customers" in message
    assert f"{limits.MAX_CUSTOMERS:,}" in message


def test_the_work_estimate_counts_new_customers_ideas_and_meetings() -> None:
    """By hand: 8 teams x 25 customers, plus 4 a day for 90 days = 560 account slots,
    x 2 requests a day x 90 days = 100,800 requests; 8 x 5 employees x 0.5 ideas a day
    x 90 days = 1,800 ideas; 90 / 3 = 30 retrospectives of 40 employees = 1,200 jobs;
    90 / 9 = 10 CRM readings of 8 teams = 80."""
    changes = {
        "demand.customers_per_team": 25,
        "demand.requests_per_customer_per_day": 2,
        "demand.new_customers.per_day": 4,
        "structure.teams.count": 8,
        "structure.teams.size": 5,
        "structure.layers": [],
        "structure.teams.employee_mandate": None,
        "ideas.enabled": True,
        "ideas.per_employee_per_day": 0.5,
        "retrospectives.enabled": True,
        "retrospectives.interval_days": 3,
        "monitoring.enabled": True,
        "monitoring.interval_days": 9,
        "run.days": 90,
    }
    scenario = load_scenario(HIERARCHY, changes)
    assert workload.expected_requests(scenario) == pytest.approx(560 * 2 * 90)
    # requests, ideas, retrospectives, CRM readings, and a coordination slot a day each
    assert workload.expected_work(scenario) == pytest.approx(100_800 + 1_800 + 1_200 + 80 + 3_600)


@pytest.mark.parametrize(
    "overrides",
    [
        ["demand.new_customers.per_day=1000"],
        ["ideas.enabled=true", "ideas.per_employee_per_day=10", "structure.teams.size=1000"],
        ["retrospectives.enabled=true", "retrospectives.interval_days=0.05"],
    ],
)
def test_work_beyond_the_requests_is_refused_before_the_run(overrides: list[str]) -> None:
    """Each of these alone is far more work than the customers' 2,000 requests."""
    OrgModel(HIERARCHY, overrides=["run.days=40"], max_requests=20_000)
    scenario = load_scenario(HIERARCHY, [*overrides, "run.days=40"])
    with time_limit(10), pytest.raises(ScenarioError, match="max_requests"):
        OrgModel(scenario, max_requests=20_000)


def test_referrals_cost_a_count_per_change_not_a_recount_per_arrival() -> None:
    """400,000 candidate accounts, none satisfied enough to refer: each candidate recounted
    every slot before (minutes); the running count makes it a fraction of a second."""
    overrides = {
        "demand.new_customers.referrals_per_customer_per_day": 1,
        "demand.new_customers.market_size": 200_000,
        "demand.new_customers.referral_threshold": 1.0,
        "demand.requests_per_customer_per_day": 1e-6,
        "run.days": 2,
        "run.warmup_days": 1,
    }
    started = time.perf_counter()
    with time_limit(30), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = OrgModel(HIERARCHY, rng=1, overrides=overrides)
        model.run()
    assert len(model.newcomers.candidates) > 350_000
    assert time.perf_counter() - started < 10


def test_the_running_count_of_referrers_is_a_recount() -> None:
    """Satisfaction moves, customers leave and arrive: the count follows every change."""
    overrides = {
        "demand.new_customers.referrals_per_customer_per_day": 0.05,
        "demand.new_customers.per_day": 1,
        "demand.new_customers.referral_threshold": 0.6,
        "satisfaction.churn": {"yearly_base_rate": None, "probability": 0.3},
        "run.days": 40,
    }
    model = OrgModel(SELF_MANAGING, rng=4, overrides=overrides)
    model.run()
    referrers = model.newcomers.referrers
    assert model.newcomers.arrived > 0
    assert model.life.counts.churned > 0
    assert referrers.count == satisfied(model.accounts, referrers.threshold)


# --- 2. silently wrong: a duration or a mandate that is no number ----------------------------


def test_adopted_ideas_cannot_make_work_infinitely_slow_or_free() -> None:
    """A thousand bad ideas adopted at speedup 0.99 made the work factor infinite, and a
    request of no work NaN hours long: the event heap stalled."""
    model = OrgModel(HIERARCHY, rng=1, overrides={"ideas.enabled": True, "ideas.speedup": 0.99})
    ideas, employee = model.ideas, model.org.employees[0]
    for good in (False, True):
        for number in range(2_000):
            idea = Request(-1 - number, -1, employee, -1, 0.0, good, 0.0, math.inf, 0.0)
            idea.accepted = True
            ideas.decided(idea)
        factor = ideas.work_factor[employee.team.index]
        assert factor == (WORK_FACTOR_RANGE[1] if not good else WORK_FACTOR_RANGE[0])
        assert 0 * factor == 0


def test_cutting_an_unlimited_mandate_to_nothing_leaves_no_mandate_not_nan() -> None:
    """inf x 0 is NaN: an employee with an unlimited mandate, cut to 0, signed with NaN."""
    overrides = {
        "structure.layers": [],
        "structure.teams.employee_mandate": None,
        "monitoring.enabled": True,
        "monitoring.action": "cut_mandate",
        "monitoring.mandate_kept": 0.0,
        "monitoring.accuracy_below": 1.0,  # every team with an answer is cut
        "monitoring.interval_days": 1,
        "monitoring.cut_days": 30,
        "run.days": 10,
        "run.warmup_days": 1,
    }
    model = OrgModel(HIERARCHY, rng=2, overrides=overrides)
    model.run()
    authority = collect(model).requests["authority"]
    assert model.monitoring.interventions > 0
    assert not authority.isna().any()
    assert (authority == 0).any()  # decided under a cut, with no mandate
    assert all(member.mandate == 0 for team in model.org.teams for member in team.members)


# --- summary figures with nothing to measure ---------------------------------------------------


def test_yearly_churn_is_null_when_no_customer_is_left_to_measure_it_on() -> None:
    """Every customer gone in the warm-up: no customer-year to divide by."""
    overrides = {
        "satisfaction.churn": {"threshold": 1.0, "probability": 1.0},
        "demand.requests_per_customer_per_day": 5,
        "run.days": 20,
        "run.warmup_days": 19,
    }
    summary = collect(_ran(HIERARCHY, overrides)).summary
    assert summary["customers_active"] == 0
    assert math.isnan(summary["churn_rate_yearly"])
    assert json_ready(summary)["churn_rate_yearly"] is None
    assert "churn_rate_yearly" in MAY_BE_NULL


def _ran(path: object, overrides: dict[str, object]) -> OrgModel:
    model = OrgModel(path, rng=1, overrides=overrides)  # type: ignore[arg-type]
    model.run()
    return model
