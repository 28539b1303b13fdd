"""Analysis: Sobol and Morris indices of functions whose indices are known; main effects."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from orgsim.sweep import discovery
from orgsim.sweep.analyze import _discovery
from orgsim.sweep.design import Experiment, Grid, design_points
from orgsim.sweep.effects import levels, main_effects
from orgsim.sweep.sensitivity import doubts, gaps, noise, sensitivity

# Ishigami & Homma (1990), a = 7, b = 0.1: indices in closed form (Sobol' & Levitan 1999)
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]
FIGURE = "satisfaction_mean"  # the stand-in output takes the name of a summary figure


def experiment(sampler: dict, ranges: list[tuple[float, float]]) -> Experiment:
    parameters = [
        {"name": f"x{i + 1}", "path": f"stand_in.x{i + 1}", "range": list(bounds)}
        for i, bounds in enumerate(ranges)
    ]
    return Experiment.model_validate(
        {
            "name": "stand_in",
            "bases": ["none.yaml"],
            "parameters": parameters,
            "sampler": sampler,
            "seed": 2024,
            "figures": [FIGURE],
        }
    )


def runs_of(design: Experiment, function, replications: int = 1, noise: float = 0.0):
    """The runs table a sweep of ``function`` would store, with replications' noise."""
    points = design_points(design, ["stand_in"])
    names = [p.name for p in design.parameters]
    x = np.array([[point.settings[name].value for name in names] for point in points])
    y = function(x)
    rows = []
    for r in range(replications):
        shift = noise * (1 if r % 2 == 0 else -1)  # cancels in the mean of an even count
        rows += [
            {"base": "stand_in", "point": p.point, "replication": r, FIGURE: v + shift}
            for p, v in zip(points, y, strict=True)
        ]
    return pd.DataFrame(rows)


def test_sobol_indices_of_ishigami_come_out_right():
    design = experiment({"method": "sobol", "samples": 1024}, [(-math.pi, math.pi)] * 3)
    runs = runs_of(design, Ishigami.evaluate, replications=2, noise=5.0)
    indices = sensitivity(design, runs).set_index("parameter")
    assert list(indices.index) == ["x1", "x2", "x3"]
    for name, s1, st in zip(indices.index, ISHIGAMI_S1, ISHIGAMI_ST, strict=True):
        row = indices.loc[name]
        assert row["S1"] == pytest.approx(s1, abs=0.05), name
        assert row["ST"] == pytest.approx(st, abs=0.05), name
        assert 0 < row["S1_conf"] < 0.1  # SALib's 95% bootstrap intervals are informative
        assert 0 < row["ST_conf"] < 0.1


def test_morris_ranks_a_linear_function_by_its_slopes():
    design = experiment({"method": "morris", "trajectories": 20}, [(0, 1), (0, 2), (5, 6)])
    runs = runs_of(design, lambda x: 10 * x[:, 0] + 1 * x[:, 1] + 0 * x[:, 2])
    indices = sensitivity(design, runs).set_index("parameter")
    # per whole range: x1 spans 1 (effect 10), x2 spans 2 (effect 2), x3 none
    assert indices["mu_star"].to_numpy() == pytest.approx([10, 2, 0], abs=1e-9)
    assert indices.loc["x3", "sigma"] == pytest.approx(0, abs=1e-9)


def test_a_design_with_a_missing_point_gives_no_indices():
    design = experiment({"method": "sobol", "samples": 8}, [(0, 1)] * 2)
    runs = runs_of(design, lambda x: x.sum(axis=1))
    assert not sensitivity(design, runs).empty
    assert sensitivity(design, runs[runs["point"] != 3]).empty


def test_a_grid_has_no_indices():
    sampled = experiment({"method": "lhs", "samples": 2}, [(0, 1)])
    design = sampled.model_copy(update={"sampler": Grid(method="grid")})
    assert sensitivity(design, pd.DataFrame({"base": ["a"], "point": [0], FIGURE: [1.0]})).empty


def test_main_effects_average_over_the_other_parameter_with_an_interval():
    rng = np.random.default_rng(3)
    a = np.repeat([1.0, 2.0], 50)
    b = np.tile([10.0, 20.0], 50)
    y = 3 * a + b + rng.normal(0, 1, 100)
    runs = pd.DataFrame({"base": "x", "a": a, "b": b, FIGURE: y, "error": None})
    table = main_effects(runs, ["a", "b"], [FIGURE]).set_index(["parameter", "level"])
    assert table.loc[("a", 1.0), "n"] == 50
    for level, expected in ((1.0, 3 + 15), (2.0, 6 + 15)):  # b averages 15
        row = table.loc[("a", level)]
        assert row["low"] < expected < row["high"]  # 95% interval, fixed seed
        assert row["mean"] == pytest.approx(y[a == level].mean())


def test_failed_runs_are_left_out_of_main_effects():
    runs = pd.DataFrame(
        {"base": "x", "a": [1.0, 1.0, 1.0], FIGURE: [1.0, 3.0, np.nan], "error": [None, None, "E"]}
    )
    table = main_effects(runs, ["a"], [FIGURE])
    assert table["n"].tolist() == [2]
    assert table["mean"].tolist() == [2.0]


def test_a_sampled_range_is_cut_into_quantile_bins():
    values = pd.Series(np.linspace(0, 1, 100))
    binned = levels(values)
    assert binned.nunique() == 5
    assert binned.iloc[0] == pytest.approx(values.iloc[:20].mean(), abs=1e-6)  # shown rounded
    assert levels(pd.Series([1.0, 2.0, 1.0])).tolist() == [1.0, 2.0, 1.0]


def box_runs(known_box: bool, samples: int = 100, replications: int = 4) -> tuple:
    """Two bases over an LHS; the second wins by 0.1 where x1 > 0.6 (or nowhere).

    Each replication's luck is shared by both bases (the same seed), as in a sweep.
    """
    design = experiment({"method": "lhs", "samples": samples}, [(0, 1), (0, 1)])
    rng, rows = np.random.default_rng(2), []
    for r in range(replications):
        luck = rng.normal(0, 0.05, samples)
        for p in design_points(design, ["first", "second"]):
            x1, x2 = p.settings["x1"].value, p.settings["x2"].value
            wins = known_box and p.base == "second" and x1 > 0.6
            y = 0.5 + luck[p.point] + (0.1 if wins else 0.0) + rng.normal(0, 0.02)
            rows.append(
                {
                    "base": p.base,
                    "point": p.point,
                    "replication": r,
                    "x1": x1,
                    "x2": x2,
                    FIGURE: y,
                    "error": None,
                }
            )
    return design, pd.DataFrame(rows)


@pytest.fixture
def few_resamples(monkeypatch):
    pytest.importorskip("ema_workbench")
    monkeypatch.setattr(discovery, "RESAMPLES", 6)  # EMA's PRIM takes ~1 s a run here


def test_prim_recovers_a_known_box_with_its_trajectory_and_quasi_p_values(few_resamples):
    found = discovery.discover(*box_runs(known_box=True))
    assert found.supported
    assert found.question.startswith(f"where second beats first on {FIGURE} (threshold:")
    limits = found.limits.set_index("parameter")
    assert list(limits.index) == ["x1"]
    assert limits.loc["x1", "low"] == pytest.approx(0.6, abs=0.05)
    assert limits.loc["x1", "qp_low"] < 0.01
    assert limits.loc["x1", "stability"] >= 5 / 6
    assert found.box["density"] > 0.95
    assert found.box["coverage"] > 0.9
    assert len(found.trajectory) > found.chosen > 0  # peeled, and a step was chosen
    assert found.trajectory["coverage"].is_monotonic_decreasing
    assert found.scores.set_index("parameter")["score"].idxmax() == "x1"


def test_prim_on_a_pure_noise_margin_supports_no_box_and_the_page_says_so(few_resamples, tmp_path):
    design, runs = box_runs(known_box=False)
    found = discovery.discover(design, runs)
    assert not found.supported
    assert "replication noise" in found.reason
    assert found.noise_share > 0.5
    page = "".join(_discovery(design, runs, tmp_path))
    assert "No box is supported" in page
    assert "prim_box.csv" not in page
    assert not (tmp_path / "prim_box.csv").exists()


def noisy_ishigami(samples: int, replications: int, sd: float = 1.0):
    """Saltelli's design of Ishigami with N(0, sd) noise on every replication (seed 1)."""
    design = experiment({"method": "sobol", "samples": samples}, [(-math.pi, math.pi)] * 3)
    points = design_points(design, ["stand_in"])
    x = np.array([[point.settings[n].value for n in ("x1", "x2", "x3")] for point in points])
    y, rng = Ishigami.evaluate(x), np.random.default_rng(1)
    rows = [
        {"base": "stand_in", "point": p.point, "replication": r, FIGURE: v}
        for r in range(replications)
        for p, v in zip(points, y + rng.normal(0, sd, len(y)), strict=True)
    ]
    return design, pd.DataFrame(rows)


# Var(Ishigami, a=7, b=0.1) = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 (Ishigami & Homma 1990)
ISHIGAMI_VAR = 7**2 / 8 + 0.1 * math.pi**4 / 5 + 0.1**2 * math.pi**8 / 18 + 0.5


def test_the_noise_share_of_ishigami_with_noise_is_the_noise_in_the_means():
    design, runs = noisy_ishigami(1024, replications=4)
    table = noise(design, runs).iloc[0]
    expected = (1.0 / 4) / (ISHIGAMI_VAR + 1.0 / 4)  # a mean of 4 has variance 1/4
    assert table["replications"] == 4
    assert table["noise_in_means"] == pytest.approx(0.25, rel=0.1)
    assert table["noise_share"] == pytest.approx(expected, rel=0.15)
    assert np.isnan(noise(design, runs[runs["replication"] == 0]).iloc[0]["noise_share"])


def test_the_convergence_warning_fires_at_small_n_and_not_at_large_n():
    small = sensitivity(*noisy_ishigami(64, replications=4))
    large = sensitivity(*noisy_ishigami(1024, replications=4))
    assert any("not converged" in doubt for doubt in doubts(small))
    assert any("intervals wider than ±0.1" in doubt for doubt in doubts(small))
    assert doubts(large) == []
    assert large["S1_half"].notna().all()


def test_impossible_sobol_values_beyond_their_intervals_are_named():
    indices = pd.DataFrame(
        {
            "base": "b",
            "figure": FIGURE,
            "parameter": ["x1", "x2", "x3"],
            "S1": [0.61, -0.14, 0.2],
            "S1_conf": [0.05, 0.05, 0.05],
            "ST": [0.44, 0.1, 0.22],
            "ST_conf": [0.05, 0.05, 0.05],
        }
    )
    found = doubts(indices)
    assert "b, satisfaction_mean: S1 above ST beyond the intervals for x1; N is too small" in found
    assert "b, satisfaction_mean: S1 below 0 beyond the intervals for x2; N is too small" in found
    assert len(found) == 2


def test_a_missing_point_is_named_rather_than_dropped_silently():
    design = experiment({"method": "sobol", "samples": 8}, [(0, 1)] * 2)
    runs = runs_of(design, lambda x: x.sum(axis=1))
    assert gaps(design, runs) == []
    assert gaps(design, runs[runs["point"] != 3]) == [
        f"stand_in, {FIGURE}: no indices, 1 of 32 design points have no finished run (points 3)"
    ]


def test_luck_shared_by_a_replication_across_points_is_not_noise_between_points():
    design = experiment({"method": "lhs", "samples": 50}, [(0, 1)])
    rng = np.random.default_rng(5)
    x = np.array([p.settings["x1"].value for p in design_points(design, ["b"])])
    rows = [
        {"base": "b", "point": i, "replication": r, FIGURE: x[i] + luck + rng.normal(0, 0.01)}
        for r, luck in enumerate(rng.normal(0, 5.0, 4))  # common random numbers: big shared luck
        for i in range(len(x))
    ]
    table = noise(design, pd.DataFrame(rows)).iloc[0]
    assert table["noise_in_means"] == pytest.approx(0.01**2 / 4, rel=0.3)
    assert table["noise_share"] < 0.01
