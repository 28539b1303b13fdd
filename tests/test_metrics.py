import math

import pandas as pd
import pytest

from orgsim.results import metrics
from orgsim.scenario.costs import Loss


def _frame(rows, values=None, kinds=None):
    frame = pd.DataFrame(
        rows, columns=["created_h", "response_h", "level", "good", "accepted", "outcome"]
    )
    frame["value"] = values if values is not None else 0.0
    frame["kind"] = pd.Categorical(kinds if kinds is not None else ["routine"] * len(rows))
    return frame


def test_measured_keeps_resolved_requests_created_after_the_warmup():
    frame = _frame(
        [
            (1.0, 1.5, 0, True, True, "resolved"),
            (5.0, 2.5, 0, True, True, "resolved"),
            (6.0, 3.5, 0, True, True, "abandoned"),
        ]
    )
    kept = metrics.measured(frame, warmup_h=2.0)
    assert kept["response_h"].tolist() == [2.5]
    assert list(kept.columns) == metrics.MEASURED_COLUMNS


def test_decision_quality_counts_false_accepts_among_bad_and_false_rejects_among_good():
    frame = _frame(
        [
            (0, 1, 0, True, True, "resolved"),  # right
            (0, 1, 2, True, False, "resolved"),  # false reject
            (0, 1, 3, False, True, "resolved"),  # false accept
            (0, 1, 0, False, False, "resolved"),  # right
        ]
    )
    quality = metrics.decision_quality(frame)
    assert quality == {
        "escalation_rate": 0.5,
        "decision_accuracy": 0.5,
        "false_accept_rate": 0.5,
        "false_reject_rate": 0.5,
    }


def test_response_times_are_nan_without_requests_and_quantiles_otherwise():
    assert all(math.isnan(v) for v in metrics.response_times(_frame([])).values())
    frame = _frame([(0, float(h), 0, True, True, "resolved") for h in range(1, 101)])
    times = metrics.response_times(frame)
    assert times["response_time_mean_h"] == pytest.approx(50.5)
    assert times["response_time_p50_h"] == pytest.approx(50.5)
    assert times["response_time_p99_h"] == pytest.approx(99.01)


def test_littles_law_gap_is_relative_to_l():
    stations = pd.DataFrame(
        {
            "station": ["a"],
            "mean_in_system": [2.0],
            "arrival_rate_per_h": [0.5],
            "mean_sojourn_h": [4.2],
        }
    )
    assert metrics.littles_law(stations)["relative_gap"].iloc[0] == pytest.approx(0.05)


def test_json_ready_turns_nan_into_null():
    assert metrics.json_ready({"a": math.nan, "b": 1.0}) == {"a": None, "b": 1.0}


def test_value_at_stake_prices_false_accepts_false_rejects_and_lost_customers():
    frame = _frame(
        [
            (0, 1, 0, True, True, "resolved"),  # right: costs nothing
            (0, 1, 2, True, False, "resolved"),  # false reject
            (0, 1, 3, False, True, "resolved"),  # false accept
            (0, 1, 0, False, False, "resolved"),  # right
        ],
        values=[1000.0, 200.0, 30.0, 4.0],
    )
    money = metrics.value_at_stake(frame, customers_lost=3, customer_value=500.0)
    assert money == {
        "value_bad_accepted": 30.0,
        "value_good_rejected": 200.0,
        "value_customers_lost": 1500.0,
        "value_lost": 1730.0,
    }


def test_each_kind_s_loss_function_prices_its_wrong_decisions():
    """A bad discount accepted costs the discount; a good deal rejected its margin x close
    chance (0.1); a justified complaint refused its value and 50 of goodwill."""
    frame = _frame(
        [
            (0, 1, 0, False, True, "resolved"),  # discount accepted, bad: costs 1000
            (0, 1, 0, True, False, "resolved"),  # deal rejected, good: 0.1 x 2000
            (0, 1, 0, True, False, "resolved"),  # complaint refused, good: 30 + 50
            (0, 1, 0, True, True, "resolved"),  # deal accepted, good: nothing
        ],
        values=[1000.0, 2000.0, 30.0, 4000.0],
        kinds=["price_change", "custom_deal", "complaint", "custom_deal"],
    )
    losses = {
        "price_change": Loss(bad_accepted=1.0, good_rejected=0.0),
        "custom_deal": Loss(bad_accepted=0.2, good_rejected=0.1),
        "complaint": Loss(good_rejected=1.0, good_rejected_amount=50.0),
    }
    money = metrics.value_at_stake(frame, customers_lost=1, customer_value=500.0, losses=losses)
    assert money["value_bad_accepted"] == pytest.approx(1000.0)
    assert money["value_good_rejected"] == pytest.approx(200.0 + 80.0)
    assert money["value_lost"] == pytest.approx(1000.0 + 280.0 + 500.0)


def test_cost_of_deciding_prices_employees_hours_beside_managers():
    hours = {"advice": 10.0, "coordination": 5.0}
    cost = metrics.cost_of_deciding(management_cost=900.0, employee_hours=hours,
                                    employee_hourly_cost=60.0)  # fmt: skip
    assert cost == {"employee_overhead_hours": 15.0, "cost_of_deciding": 900.0 + 15 * 60.0}


def test_management_cost_is_managers_paid_hours_at_the_hourly_cost():
    assert metrics.management_cost(managers=3, hours=100.0, hourly_cost=50.0) == 15_000.0
