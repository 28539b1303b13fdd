"""Churn calibrated to a yearly base rate (Reichheld 1996), moved smoothly by satisfaction."""

import math
from pathlib import Path

import pytest
from scipy import stats

from orgsim import simulate
from orgsim.scenario.behaviour import Churn
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario
from orgsim.sim.churn import CalibratedChurn

HIERARCHY = Path(__file__).resolve().parent.parent / "scenarios" / "hierarchy.yaml"


def test_the_per_answer_chance_compounds_to_the_base_rate_over_a_year():
    spec = Churn(yearly_base_rate=0.1)
    assert 1 - (1 - spec.per_answer(62.5)) ** 62.5 == pytest.approx(0.1)


def test_the_hazard_grows_by_e_to_the_sensitivity_per_unit_below_the_reference():
    rule = CalibratedChurn(Churn(yearly_base_rate=0.1, sensitivity=5), 0.75, 62.5, lambda: 0.5)
    assert rule.hazard(0.75) == pytest.approx(rule.base)
    assert rule.hazard(0.55) == pytest.approx(rule.base * math.exp(1.0))
    assert rule.hazard(0.95) < rule.base
    steep = CalibratedChurn(Churn(yearly_base_rate=0.1, sensitivity=50), 0.75, 62.5, lambda: 0.5)
    assert steep.hazard(0.0) == 1.0


def test_one_churn_rule_only():
    with pytest.raises(ScenarioError, match="one churn rule"):
        load_scenario(
            HIERARCHY,
            {"satisfaction.churn.yearly_base_rate": 0.1, "satisfaction.churn.probability": 0.05},
        )


def test_customers_who_stay_as_satisfied_as_they_came_leave_at_the_base_rate():
    """2,000 customers whose satisfaction never moves (gain and loss rates 0), 90 days at a
    base rate of 10% a year: those who left are within the binomial 99% interval. The
    hazard is per answer; the rate it compounds to does not depend on how many answers."""
    days, customers = 90, 2000
    result = simulate(
        HIERARCHY,
        seed=5,
        days=days,
        overrides={
            "demand.customers_per_team": customers // 8,
            "demand.requests_per_customer_per_day": 0.025,  # the same work as 200 at 0.25
            "satisfaction.gain_rate": 0.0,
            "satisfaction.loss_rate": 0.0,
            "satisfaction.churn": {"yearly_base_rate": 0.1},
        },
    )
    left = round(result.summary["churn_rate"] * customers)
    share = 1 - 0.9 ** (days / 250)
    low, high = stats.binom.interval(0.99, customers, share)
    assert low <= left <= high, (left, low, high)
