"""Comparisons: common seeds, paired intervals, the same results whatever the workers,
failed runs reported with the others complete, and the report's tables."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from strategies import HIERARCHY, SELF_MANAGING

import orgsim
from orgsim.compare import analysis, api, extract, settings, table, workers
from orgsim.scenario.errors import ScenarioError

SHORT = 15  # days: 5 measured after the 10-day warm-up


@pytest.fixture(scope="module")
def small() -> api.Comparison:
    return api.compare([HIERARCHY, SELF_MANAGING], replications=3, days=SHORT, workers=1)


# --- analysis -----------------------------------------------------------------------------


def test_paired_differences_are_taken_replication_by_replication():
    runs = pd.DataFrame(
        {
            "scenario": ["a", "a", "a", "b", "b", "b"],
            "seed": [1, 2, 3, 1, 2, 3],
            "error": [None] * 6,
            "response_time_mean_h": [10.0, 20.0, 30.0, 11.0, 21.0, 31.0],
        }
    )
    table_ = analysis.summarise(runs, ["a", "b"], keys=["response_time_mean_h"])
    row = table_.set_index("scenario").loc["b"]
    # the scenarios' means vary a lot, their paired difference not at all: a fixed
    # difference, with no interval and no p-value to pretend it was estimated
    assert row["diff"] == pytest.approx(1.0)
    assert row["diff_fixed"]
    assert math.isnan(row["diff_low"])
    assert math.isnan(row["diff_high"])
    assert math.isnan(row["p_value"])
    assert analysis.resolved(row)
    assert row["high"] - row["low"] > 10


def test_a_failed_run_drops_out_of_its_pair_only():
    runs = pd.DataFrame(
        {
            "scenario": ["a"] * 3 + ["b"] * 3,
            "seed": [1, 2, 3] * 2,
            "error": [None, None, None, None, "ValueError: x", None],
            "churn_rate": [0.1, 0.2, 0.3, 0.2, math.nan, 0.5],
        }
    )
    row = analysis.summarise(runs, ["a", "b"], keys=["churn_rate"]).set_index("scenario")
    assert row.loc["a", "n"] == 3
    assert row.loc["b", "n"] == 2
    assert row.loc["b", "diff"] == pytest.approx(((0.2 - 0.1) + (0.5 - 0.3)) / 2)


def test_p_value_is_the_paired_t_test():
    rng = np.random.default_rng(7)
    a, b = rng.normal(10, 2, 12), rng.normal(10.8, 2, 12)
    assert analysis.p_value(b - a) == pytest.approx(stats.ttest_rel(b, a).pvalue)


@pytest.mark.parametrize(("mean", "sd", "n"), [(0.1, 1.0, 5), (0.5, 1.0, 4), (2.0, 1.0, 3)])
def test_replications_needed_is_the_smallest_count_whose_interval_excludes_zero(mean, sd, n):
    diffs = np.array([mean + sd * z for z in stats.norm.ppf(np.linspace(0.1, 0.9, n))])
    needed = analysis.replications_needed(diffs)
    m, s = abs(diffs.mean()), diffs.std(ddof=1)

    def half(k: int) -> float:
        return stats.t.ppf(0.975, k - 1) * s / math.sqrt(k)

    if half(n) < m:
        assert needed == n
    else:
        assert half(int(needed)) < m <= half(int(needed) - 1)


def test_replications_needed_for_no_difference_is_not_a_number():
    assert math.isnan(analysis.replications_needed(np.array([-1.0, 1.0, -1.0, 1.0])))


# --- common random numbers ----------------------------------------------------------------


def test_common_random_numbers_narrow_the_paired_interval():
    """The same seeds for both scenarios against independent seeds, 8 runs each.

    Paired by replication either way; only with common seeds do both face the same
    customers and requests, so the difference in answers per day varies less between
    replications and its 95% interval must be narrower (here less than half as wide;
    measured 0.12-0.36 of the independent width over three sets of other seeds).
    """
    n, key = 8, "throughput_per_day"
    common = api.compare([HIERARCHY, SELF_MANAGING], replications=n, days=20, seed=1, workers=1)
    apart = api.compare([SELF_MANAGING], replications=n, days=20, seed=101, workers=1)
    baseline = common.runs[common.runs["scenario"] == "hierarchy"]
    independent = pd.concat([baseline, apart.runs.assign(seed=apart.runs["seed"] - 100)])
    assert sorted(independent["seed"]) == sorted(common.runs["seed"])  # paired alike
    widths = []
    for runs in (common.runs, independent):
        row = analysis.summarise(runs, common.names, [key]).set_index("scenario")
        widths.append(row.loc["self_managing", "diff_high"] - row.loc["self_managing", "diff_low"])
    assert widths[0] < 0.5 * widths[1]


# --- runs ---------------------------------------------------------------------------------


@pytest.mark.skipif(workers.cores() < 2, reason="needs 2 cores for a pool")
def test_results_are_the_same_whatever_the_number_of_workers(monkeypatch, small):
    monkeypatch.setenv("ORGSIM_WORKER_START_S", "0")  # a pool even for tiny runs, busy or not
    pooled = api.compare([HIERARCHY, SELF_MANAGING], replications=3, days=SHORT, workers=64)
    assert pooled.workers == min(workers.cores(), 5) > 1  # capped: cores, runs after the first
    assert small.workers == 1
    columns = [c for c in small.runs if c != "wall_s"]
    pd.testing.assert_frame_equal(small.runs[columns], pooled.runs[columns])
    pd.testing.assert_frame_equal(small.timeseries, pooled.timeseries)
    assert small.runs["seed"].tolist() == [1, 2, 3, 1, 2, 3]


def test_a_run_failing_in_the_model_is_recorded_and_the_others_complete(monkeypatch):
    real = extract.simulate

    def fragile(scenario, seed):
        if scenario.name == "self_managing" and seed == 2:
            raise ZeroDivisionError("float division by zero")
        return real(scenario, seed=seed)

    monkeypatch.setattr(extract, "simulate", fragile)
    result = api.compare([HIERARCHY, SELF_MANAGING], replications=3, days=SHORT, workers=1)
    assert result.failed[["scenario", "seed"]].values.tolist() == [["self_managing", 2]]
    assert result.failed["error"].iloc[0].startswith("ZeroDivisionError: float division by zero")
    ok = result.runs[result.runs["error"].isna()]
    assert len(ok) == 5
    assert ok["response_time_mean_h"].notna().all()
    summary = result.summary.set_index(["scenario", "figure"])
    assert summary.loc[("self_managing", "churn_rate"), "n"] == 2
    assert summary.loc[("hierarchy", "churn_rate"), "n"] == 3


def test_the_api_refuses_bad_options():
    with pytest.raises(ScenarioError, match="replications"):
        api.compare([HIERARCHY], replications=1)
    with pytest.raises(ScenarioError, match="workers"):
        api.compare([HIERARCHY], workers=0)
    with pytest.raises(ScenarioError, match="seed"):
        api.compare([HIERARCHY], seed=-1)


def test_orgsim_compare_is_callable_and_a_package():
    assert callable(orgsim.compare)
    assert orgsim.compare.write_report is api.write_report
    from orgsim import compare

    assert compare is orgsim.compare


# --- the report ---------------------------------------------------------------------------


def test_a_dollar_in_a_scenario_name_is_shown_as_written(tmp_path: Path):
    odd = tmp_path / "odd.yaml"
    odd.write_text(f"extends: {SELF_MANAGING}\nname: 'cost $x^$ & <b>bold</b> $y$'\n")
    result = api.compare([HIERARCHY, odd], replications=2, days=12, workers=1)
    written = api.write_report(result, tmp_path / "report")
    html = written["html"].read_text()
    assert "cost $x^$ &amp; &lt;b&gt;bold&lt;/b&gt; $y$" in html  # bad TeX, were it read
    assert "<b>bold</b>" not in html
    assert all(path.stat().st_size > 10_000 for role, path in written.items() if "figure" in role)


def test_the_report_is_written_when_every_run_of_a_scenario_failed(monkeypatch, tmp_path):
    real = extract.simulate

    def broken(scenario, seed):
        if scenario.name == "self_managing":
            raise ValueError("no such structure")
        return real(scenario, seed=seed)

    monkeypatch.setattr(extract, "simulate", broken)
    result = api.compare([HIERARCHY, SELF_MANAGING], replications=2, days=12, workers=1)
    written = api.write_report(result, tmp_path)
    assert len(result.failed) == 2
    assert "no successful runs of both" in written["html"].read_text()
    runs = pd.read_parquet(written["runs"])
    assert runs.loc[runs["scenario"] == "hierarchy", "churn_rate"].notna().all()


# --- tables -------------------------------------------------------------------------------


def test_the_terminal_table_fits_100_columns_for_four_scenarios(tmp_path: Path):
    files = []
    for i, name in enumerate(["a_very_long_scenario_name_one", "two", "three $x$", "four"]):
        path = tmp_path / f"s{i}.yaml"
        path.write_text(
            f"extends: {HIERARCHY}\nname: '{name}'\n"
            f"structure: {{teams: {{employee_mandate: {500 * (i + 1)}}}}}\n"
        )
        files.append(path)
    result = api.compare(files, replications=2, days=12, workers=1)
    text = table.comparison_table(result)
    assert max(len(line) for line in text.splitlines()) <= 100
    head = " ".join(table.heading(result))
    assert "12 working days" in head
    assert "first 10 a warm-up" in head
    assert "2 replications" in head
    for key in ("response time, mean (h)", "customers lost", "decisions right"):
        assert sum(line.startswith(key) for line in text.splitlines()) == 2  # means, diffs


def test_settings_side_by_side_flag_what_differs(small):
    side = settings.side_by_side(small.scenarios)
    assert side.loc["structure.teams.decision", "differs"]
    assert side.loc["structure.teams.decision"].tolist()[:2] == ["individual", "advice"]
    assert not side.loc["run.hours_per_day", "differs"]
    assert "demand.kinds[0].name" in side.index


def test_settings_keep_each_scenarios_order():
    merged = settings.merged_order([["a", "b", "c"], ["a", "x", "b", "y"]])
    assert merged == ["a", "x", "b", "y", "c"]


# --- the verdict --------------------------------------------------------------------------


def synthetic_runs(shift: dict[str, float], noise: float, n: int = 6) -> pd.DataFrame:
    """Two scenarios over n seeds; b = a + shift per figure, plus noise per seed."""
    rng = np.random.default_rng(3)
    rows = []
    for seed in range(1, n + 1):
        base = {key: 0.5 + rng.normal(0, 0.05) for key in shift}
        rows.append({"scenario": "a", "seed": seed, "error": None, **base})
        wobble = {key: base[key] + shift[key] + rng.normal(0, noise) for key in shift}
        rows.append({"scenario": "b", "seed": seed, "error": None, **wobble})
    return pd.DataFrame(rows)


def test_the_verdict_says_better_worse_or_how_many_replications_would_tell():
    from orgsim.compare import verdict

    shift = {"response_time_mean_h": -0.3, "response_time_p90_h": -0.3, "churn_rate": 0.05,
             "satisfaction_mean": 0.0, "decision_accuracy": 0.001, "false_accept_rate": 0.0,
             "management_hours_per_request": -0.2}  # fmt: skip
    summary = analysis.summarise(synthetic_runs(shift, noise=0.01), ["a", "b"], list(shift))
    found = {f.topic: f for f in verdict.findings(summary, ["a", "b"], 6)}
    assert found["speed"].better is True
    assert found["speed"].text.startswith("b answers faster than a")
    assert found["customers"].better is False
    assert "keeps fewer customers" in found["customers"].text
    assert found["decisions"].better is None
    assert "cannot tell b from a apart" in found["decisions"].text
    assert "replications would" in found["decisions"].text
    assert "95% CI" in found["management cost"].text
