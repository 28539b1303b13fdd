"""Attribution: Shapley values over a factorial design recover known effects, add up to
the total difference, report a known interaction, and survive refused mixes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from strategies import HIERARCHY

from orgsim.compare import api, attribution, factors
from orgsim.scenario.loading import load_scenario

EFFECTS = np.array([1.0, 2.0, 0.5, -1.0])
INTERACTION = 3.0  # between factors 2 and 3
SEEDS = 20


def dummy(k: int) -> list[factors.Factor]:
    return [factors.Factor(f"f{i}", (f"x.f{i}",), (0,), (1,)) for i in range(k)]


def known(design: attribution.Design, noise: float, effects=EFFECTS, seed: int = 5) -> np.ndarray:
    """v(S) per mix and seed: additive effects, one interaction, noise per run."""
    rng = np.random.default_rng(seed)
    rows = []
    for mask in design.masks:
        on = np.array([mask >> i & 1 for i in range(len(effects))])
        value = effects @ on + (INTERACTION * on[2] * on[3] if len(effects) == 4 else 0.0)
        rows.append(10.0 + value + rng.normal(0, noise, SEEDS))
    return np.array(rows)


TRUTH = {"f0: 0 → 1": 1.0, "f1: 0 → 1": 2.0, "f2: 0 → 1": 0.5 + 1.5, "f3: 0 → 1": -1.0 + 1.5}
"""Each factor's Shapley value: its own effect and half the interaction it takes part in."""


def test_shapley_recovers_each_effect_adds_up_and_reports_the_interaction():
    design = attribution.plan(dummy(4), lambda mask: None)
    assert design.full
    assert design.orders == 24
    assert len(design.masks) == 16
    values = known(design, noise=0.0)
    table = attribution.table(design, {"figure": values}, "a", "b").set_index("factor")
    for label, effect in TRUTH.items():
        assert table.loc[label, "contribution"] == pytest.approx(effect, abs=1e-12)
    assert table.loc["total", "contribution"] == pytest.approx(sum(TRUTH.values()))
    shown = [f for f in table.index if f.startswith("interaction")]
    assert shown[0] == "interaction: f2 with f3"  # the largest first
    assert table.loc[shown[0], "contribution"] == pytest.approx(INTERACTION)
    assert all(table.loc[f, "contribution"] == pytest.approx(0) for f in shown[1:])


def test_with_noise_contributions_add_up_seed_by_seed_and_their_intervals_cover():
    """200 noisy experiments of 20 seeds each: every 95% interval (factors and the
    interaction) must cover its true value in at least 90% of them (binomial: 95%
    expected, 90% is 3 standard deviations below)."""
    design = attribution.plan(dummy(4), lambda mask: None)
    covered = dict.fromkeys([*TRUTH, "interaction: f2 with f3"], 0)
    truth = TRUTH | {"interaction: f2 with f3": INTERACTION}
    experiments = 200
    for seed in range(experiments):
        values = known(design, noise=0.2, seed=seed)
        parts = attribution.shapley(design, values)
        np.testing.assert_allclose(parts.sum(axis=0), values[1] - values[0], atol=1e-12)
        table = attribution.table(design, {"f": values}, "a", "b").set_index("factor")
        for label in covered:
            covered[label] += (
                table.loc[label, "ci_low"] < truth[label] < table.loc[label, "ci_high"]
            )
    assert min(covered.values()) >= 0.9 * experiments, covered


def test_refused_mixes_are_reported_and_the_orders_avoid_them():
    refused = {0b0010: "f1 alone is no organisation"}
    design = attribution.plan(dummy(4), lambda mask: refused.get(mask))
    assert design.refused == refused
    assert 0b0010 not in design.masks
    assert design.orders == 18  # of 24 orders, the 6 starting with f1 pass through it
    values = known(design, noise=0.0, effects=np.array([1.0, 2.0, 0.5, -1.0]))
    parts = attribution.shapley(design, values)
    np.testing.assert_allclose(parts.sum(axis=0), values[1] - values[0], atol=1e-12)
    np.testing.assert_allclose(parts[:2].mean(axis=1), [1.0, 2.0], atol=1e-12)  # additive


def test_a_sampled_design_beyond_the_full_size_still_adds_up():
    k = 8
    effects = np.arange(1.0, k + 1)
    design = attribution.plan(dummy(k), lambda mask: None, seed=3)
    assert not design.full
    assert design.orders == attribution.SAMPLED_ORDERS
    assert len(design.masks) <= 2 + design.orders * (k - 1)
    values = known(design, noise=0.0, effects=effects)
    parts = attribution.shapley(design, values)
    np.testing.assert_allclose(parts.mean(axis=1), effects, atol=1e-9)  # additive: exact


def test_no_valid_order_is_an_error():
    with pytest.raises(ValueError, match="refused"):
        attribution.plan(dummy(2), lambda mask: "no" if mask in (1, 2) else None)


def test_settings_are_grouped_into_named_factors_with_their_values():
    a = load_scenario(HIERARCHY)
    changes = ["structure.teams.employee_mandate=2500", "culture.trust.blame=false"]
    b = load_scenario(HIERARCHY, [*changes, "money.manager_hourly_cost=160"])
    found = factors.group(factors.differences(a, b))
    labels = sorted(f.label for f in found)
    hourly = f"{a.money.manager_hourly_cost:,.0f}"
    assert labels == ["blame policy: yes → no", "employee mandate: 500 → 2,500",
                      f"money at stake: manager hourly cost {hourly} → 160"]  # fmt: skip
    regrouped = factors.group(factors.differences(a, b), {"people": ["culture", "structure"]})
    assert sorted(f.name for f in regrouped) == ["money at stake", "people"]


def test_explain_runs_the_mixes_and_attributes_exactly_where_the_model_says(tmp_path):
    """Money is pure measurement: the managers' hourly cost moves the cost of deciding by
    exactly the change in their pay and changes no random number, so it contributes
    exactly nothing to response times or decisions."""
    variant = {"structure.teams.employee_mandate": 2500, "money.manager_hourly_cost": 160}
    plans: list[tuple[str, int]] = []
    result = api.compare([HIERARCHY], replications=3, days=15, workers=1, out=tmp_path,
                         variants={"b": variant}, explain=True,
                         on_plan=lambda text, runs: plans.append((text, runs)))  # fmt: skip
    [(text, runs)] = plans
    assert "2 factors" in text
    assert "12 runs" in text
    assert runs == 12  # 4 mixes (2^2, all valid) x 3 replications
    [explained] = result.attributions
    rows = explained.table.set_index(["figure", "factor"])
    hourly = f"{result.scenarios[0].money.manager_hourly_cost:,.0f}"
    money, mandate = (
        f"money at stake: manager hourly cost {hourly} → 160",
        "employee mandate: 500 → 2,500",
    )
    assert rows.loc[("response_time_mean_h", money), "contribution"] == 0
    assert rows.loc[("decision_accuracy", money), "contribution"] == 0
    summary = result.summary.set_index(["scenario", "figure"])
    # the managers' pay moves the cost of deciding by exactly the change in their pay
    pay = summary.loc[("b", "management_cost"), "diff"]
    assert rows.loc[("cost_of_deciding", money), "contribution"] == pytest.approx(pay, rel=1e-9)
    for figure in ("response_time_mean_h", "cost_of_deciding", "net_money"):
        parts = rows.loc[(figure, [money, mandate]), "contribution"].sum()
        assert parts == pytest.approx(summary.loc[("b", figure), "diff"], rel=1e-9, abs=1e-9)
        assert rows.loc[(figure, "total"), "contribution"] == pytest.approx(parts)
    again = api.compare([HIERARCHY], replications=3, days=15, workers=1, out=tmp_path,
                        variants={"b": variant}, explain=True)  # fmt: skip
    pd.testing.assert_frame_equal(again.attributions[0].table, explained.table)  # resumed


def test_a_factor_naming_no_difference_is_refused_before_any_run(tmp_path, capsys):
    from orgsim.cli import main

    out = tmp_path / "cmp"
    argv = ["compare", str(HIERARCHY), "--variant", "b:culture.trust.blame=false", "--explain"]
    argv += ["--factor", "people=culture.coaching", "--out", str(out)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "--factor people: culture.coaching is not a setting in which" in error
    assert error.count("\n") == 1
    assert not (out / "runs.jsonl").exists()
