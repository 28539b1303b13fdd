"""The verdict's honesty: mixed where its figures disagree, fixed inputs shown as values,
Holm over the verdict's figures, and a net money figure that adds every cost."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from orgsim.compare import analysis, verdict
from orgsim.compare.comparison import _net_money
from orgsim.compare.measures import HEADLINE_KEYS


def paired_runs(shift: dict[str, float], noise: float, n: int = 8, fixed=()) -> pd.DataFrame:
    """Scenarios a and b over n seeds: b = a + shift, plus noise; ``fixed`` never vary."""
    rng = np.random.default_rng(11)
    rows = []
    for seed in range(1, n + 1):
        base = {key: 0.0 if key in fixed else 0.5 + rng.normal(0, 0.05) for key in shift}
        rows.append({"scenario": "a", "seed": seed, "error": None, **base})
        moved = {
            key: base[key] + shift[key] + (0.0 if key in fixed else rng.normal(0, noise))
            for key in shift
        }
        rows.append({"scenario": "b", "seed": seed, "error": None, **moved})
    return pd.DataFrame(rows)


def found(shift: dict[str, float], noise: float = 0.01, fixed=()) -> dict[str, verdict.Finding]:
    runs = paired_runs(shift, noise, fixed=fixed)
    summary = analysis.summarise(runs, ["a", "b"], list(shift))
    return {f.topic: f for f in verdict.findings(summary, ["a", "b"], 8)}


def test_decisions_right_up_but_bad_proposals_accepted_up_is_mixed_naming_both():
    """As high_stakes_teams against high_stakes: more decisions right, more bad deals let
    through. The old verdict said "decides better" in green and left the red figure out."""
    result = found({"decision_accuracy": 0.06, "false_accept_rate": 0.12})["decisions"]
    assert result.status == "mixed"
    assert result.better is None
    assert result.text.startswith("Mixed on decisions")
    assert "better than a on decisions right" in result.text
    assert "worse on bad proposals accepted" in result.text
    assert "decides better" not in result.text


def test_figures_that_agree_or_cannot_be_told_apart_are_not_mixed():
    agree = found({"decision_accuracy": 0.06, "false_accept_rate": -0.1})["decisions"]
    assert (agree.status, agree.better) == ("better", True)
    one_unclear = found({"response_time_mean_h": 0.3, "response_time_p90_h": 0.0})["speed"]
    assert (one_unclear.status, one_unclear.better) == ("worse", False)
    assert "cannot tell them apart" in one_unclear.text


def test_a_figure_that_never_varies_has_no_interval_and_no_p_value():
    runs = paired_runs({"management_cost": -518.0}, noise=0.0, fixed=("management_cost",))
    row = analysis.summarise(runs, ["a", "b"], ["management_cost"]).set_index("scenario")
    for name in ("a", "b"):
        assert row.loc[name, "fixed"]
        assert math.isnan(row.loc[name, "low"])
        assert math.isnan(row.loc[name, "high"])
    assert row.loc["b", "diff"] == pytest.approx(-518.0)
    assert math.isnan(row.loc["b", "p_value"])
    assert math.isnan(row.loc["b", "diff_low"])
    money = found(
        {"net_money": -600e3, "value_lost": -82e3, "cost_of_deciding": -518e3},
        fixed=("cost_of_deciding",),
    )["money"]
    assert "fixed input" in money.text
    assert "difference -518 kEUR, the same in every replication" in money.text
    assert "95% CI -518" not in money.text


def test_holm_is_the_textbook_step_down_adjustment():
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.2])
    assert analysis.holm(p) == pytest.approx(multipletests(p, method="holm")[1])


def test_the_verdicts_figures_are_holm_adjusted_together_and_judged_so():
    """Four headline figures at p about 0.02 each: each alone would be told apart, but
    not after Holm over the family (4 x 0.02 > 0.05)."""
    n = 10
    diffs = np.array([1.0, -0.2, 0.6, 0.3, 1.2, -0.4, 0.9, 0.1, 0.5, 0.8])
    keys = ["response_time_mean_h", "response_time_p90_h", "churn_rate", "satisfaction_mean"]
    rows = []
    for seed in range(n):
        rows.append({"scenario": "a", "seed": seed, "error": None, **dict.fromkeys(keys, 0.0)})
        rows.append(
            {"scenario": "b", "seed": seed, "error": None, **dict.fromkeys(keys, diffs[seed])}
        )
    summary = analysis.summarise(pd.DataFrame(rows), ["a", "b"], keys)
    b = summary[summary["scenario"] == "b"].set_index("figure")
    assert (b["p_value"] < 0.05).all()
    assert b["p_holm"].to_numpy() == pytest.approx(multipletests(b["p_value"], method="holm")[1])
    assert not any(analysis.resolved(row) for _, row in b.iterrows())
    assert set(keys) <= set(HEADLINE_KEYS)


def test_net_money_is_value_lost_plus_every_cost_of_deciding():
    runs = pd.DataFrame(
        {
            "value_lost": [100.0, 200.0, math.nan],
            "management_cost": [50.0, 50.0, 50.0],
            "employee_decision_cost": [7.0, 8.0, 9.0],  # a cost the model may add later
            "value_bad_accepted": [60.0, 150.0, 1.0],  # part of value lost: not again
        }
    )
    net = _net_money(runs)
    assert net.iloc[:2].tolist() == [157.0, 258.0]
    assert math.isnan(net.iloc[2])


def bottom(shift: dict[str, float], fixed=(), unstable=None) -> str:
    from types import SimpleNamespace

    from orgsim.compare import bottom_line

    summary = analysis.summarise(paired_runs(shift, 0.01, fixed=fixed), ["a", "b"], list(shift))
    stub = SimpleNamespace(
        names=["a", "b"],
        summary=summary,
        unstable=unstable or {},
        findings=lambda: verdict.findings(summary, ["a", "b"], 8, unstable),
    )
    return bottom_line.paragraph(stub)


MONEY = {"net_money": -50e3, "value_lost": -40e3, "cost_of_deciding": -10e3}


def test_the_bottom_line_prefers_says_mixed_and_gives_the_net_money():
    text = bottom(
        {"response_time_mean_h": -0.3, "response_time_p90_h": -0.5, "churn_rate": 0.0,
         "satisfaction_mean": 0.0, "decision_accuracy": 0.06, "false_accept_rate": 0.12,
         **MONEY},
        fixed=("cost_of_deciding",),
    )  # fmt: skip
    assert text.startswith("Bottom line: on speed, prefer b to a; on customers, b and a cannot")
    assert (
        "on decisions, mixed: b is better on decisions right but worse on bad proposals "
        "accepted than a" in text
    )
    assert "on money, prefer b to a" in text
    assert "Net money lost (value lost + every cost of deciding): a " in text
    assert "b -50 kEUR, 95% CI" in text
    assert "let us say so on speed, decisions and money; on customers they cannot tell" in text


def test_the_bottom_line_prefers_nothing_on_money_when_only_a_part_is_told_apart():
    money = {"net_money": 0.0, "value_lost": 0.0, "cost_of_deciding": -10e3}
    text = bottom(money, fixed=("cost_of_deciding",))
    assert "prefer" not in text
    assert "on money, b's cost of deciding is lower than a's, but the net figure cannot" in text


def test_the_bottom_line_ranks_no_scenario_without_a_steady_state():
    text = bottom(MONEY, unstable={"b": "no steady state: its figures depend on the horizon"})
    assert "prefer" not in text
    assert text.startswith("Bottom line: on money, nothing is ranked (no steady state).")
    assert "b is not ranked: no steady state: its figures depend on the horizon." in text


def test_money_is_answered_by_its_net_figure_and_names_the_part_going_the_other_way():
    """As high_stakes_teams: lower management cost, much more value lost: loses more."""
    money = {"net_money": 2e6, "value_lost": 2.2e6, "cost_of_deciding": -0.2e6}
    result = found(money, fixed=("cost_of_deciding",))["money"]
    assert (result.status, result.better) == ("worse", False)
    assert result.text.startswith("b loses more money than a: net money lost")
    assert "Cost of deciding" in result.text
    assert "the other way: a part the net figure outweighs" in result.text
    parts_only = found({**money, "net_money": 0.0, "value_lost": 0.0})["money"]
    assert parts_only.status == "better"  # only management cost told apart
