"""Examples are tests: every scenario file loads, runs, and gives its expected figures."""

from pathlib import Path

import pytest
import yaml

from orgsim import load_scenario, simulate
from orgsim.compare import analysis, api
from orgsim.results.metrics import SUMMARY_KEYS

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "examples").glob("*.yaml")
)  # the catalogue's scenarios, then the examples (an imported chart), held alike
EXPECTED = yaml.safe_load((Path(__file__).parent / "expected_figures.yaml").read_text())


def test_every_scenario_file_has_expected_figures():
    assert {path.stem for path in SCENARIO_FILES} == set(EXPECTED)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_runs_to_its_expected_figures(path):
    summary = simulate(path, seed=1).summary
    assert set(SUMMARY_KEYS) | {"seed", "scenario_hash"} <= set(summary)
    for key, value in EXPECTED[path.stem].items():
        assert summary[key] == pytest.approx(value, rel=1e-5), key


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_names_match_their_files(path):
    assert load_scenario(path).name == path.stem


def test_the_hierarchy_answers_slower_and_keeps_fewer_customers():
    """Paired over 5 common seeds at 95% confidence: both differences exclude zero."""
    paths = [ROOT / "scenarios" / f"{n}.yaml" for n in ("hierarchy", "self_managing")]
    table = api.compare(paths, replications=5, seed=1, workers=1).summary
    diff = table[table["scenario"] == "self_managing"].set_index("figure")
    assert diff.loc["response_time_mean_h", "diff_high"] < 0
    assert diff.loc["churn_rate", "diff_high"] < 0
    assert diff.loc["satisfaction_mean", "diff_low"] > 0


def test_where_stakes_are_high_the_hierarchy_s_screening_wins_on_value():
    """The fair fight: large risky deals, inexperienced teams, experienced screeners.

    Paired over 5 common seeds at 95% confidence: the self-managing teams lose more
    value (bad deals accepted, good ones rejected, customers lost), more even than the
    hierarchy's dearer management costs, though they answer faster.
    """
    order = ["high_stakes", "high_stakes_teams"]
    paths = [ROOT / "scenarios" / f"{n}.yaml" for n in order]
    runs = api.compare(paths, replications=5, seed=1, workers=1).runs
    runs["value_and_management"] = runs["value_lost"] + runs["management_cost"]
    keys = ["value_lost", "value_and_management", "net_loss", "response_time_mean_h"]
    table = analysis.summarise(runs, order, keys)
    diff = table[table["scenario"] == "high_stakes_teams"].set_index("figure")
    assert diff.loc["value_lost", "diff_low"] > 0
    assert diff.loc["value_and_management", "diff_low"] > 0
    assert diff.loc["net_loss", "diff_low"] > 0  # employees' hours priced too
    assert diff.loc["response_time_mean_h", "diff_high"] < 0
