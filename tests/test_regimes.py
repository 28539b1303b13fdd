"""Regimes where each side wins, found by the decision mechanisms (issue 18).

Each test compares a shipped pair of scenarios over 5 common seeds (replication r of
both uses seed r: common random numbers) and asks the paired difference's 95% interval
(orgsim.results.stats.CONFIDENCE) to exclude zero in the winner's favour. A regime is
earned only on long-run averages: both sides of each pair must reach a steady state
(orgsim.compare.stability: no backlog growing without bound), or their figures would
depend on the horizon.
"""

from functools import cache
from pathlib import Path

import pytest

from orgsim.compare import analysis, api
from orgsim.scenario.loading import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
KEYS = ["decision_accuracy", "money", "response_time_mean_h", "response_time_p90_h", "churn_rate"]
PAIRS = [
    ("expert_managers", "expert_managers_teams"),
    ("routine_informed", "routine_informed_teams"),
]

pytestmark = pytest.mark.validation


@cache
def _comparison(hierarchy: str, teams: str, overrides: tuple = ()):
    """The pair over 5 common seeds (one run per pair and overrides, shared by the tests);
    ``overrides`` (key, value) pairs change both scenarios alike."""
    scenarios = [
        load_scenario(SCENARIOS / f"{n}.yaml", dict(overrides) or None) for n in (hierarchy, teams)
    ]
    return api.compare(scenarios, replications=5, seed=1)


def _paired_differences(hierarchy: str, teams: str, overrides: dict | None = None):
    """The teams' paired difference to the hierarchy, by figure; ``money`` is value lost plus
    management cost. ``overrides`` change both scenarios alike."""
    order = [hierarchy, teams]
    runs = _comparison(hierarchy, teams, tuple(sorted((overrides or {}).items()))).runs.copy()
    runs["money"] = runs["value_lost"] + runs["management_cost"]
    table = analysis.summarise(runs, order, KEYS)
    return table[table["scenario"] == teams].set_index("figure")


@pytest.mark.parametrize(("hierarchy", "teams"), PAIRS)
def test_each_regime_pair_reaches_a_steady_state(hierarchy, teams):
    """No side's backlog grows without bound: a regime claimed on horizon-dependent averages
    is not earned (the managers once knew up to 0.95 of difficulties uniform on [0, 1], so
    the requests nobody knew climbed every layer to a deal committee reading one day a week)."""
    comparison = _comparison(hierarchy, teams)
    assert set(comparison.trends) == {hierarchy, teams}
    assert comparison.unstable == {}


def test_expert_managers_and_a_novice_front_line_make_the_hierarchy_win_decisions_and_money():
    """Garicano's knowledge hierarchy: experts solve what the novices pass up; teams guess."""
    diff = _paired_differences("expert_managers", "expert_managers_teams")
    assert diff.loc["decision_accuracy", "diff_high"] < 0
    assert diff.loc["money", "diff_low"] > 0


def test_without_the_knowledge_hierarchy_the_expert_regime_goes_to_the_teams():
    """The same pair with ``knowledge.enabled: false``: the teams win decisions, so the
    knowledge hierarchy, not the rest of the files, decides the regime.

    Money is not claimed: at 5 seeds the teams' edge cannot be told from zero (about -84
    kEUR, 95% CI -334 to +165; already so before the regime pairs were made stable), only
    that the hierarchy's money edge is gone."""
    diff = _paired_differences(
        "expert_managers", "expert_managers_teams", {"knowledge.enabled": False}
    )
    assert diff.loc["decision_accuracy", "diff_low"] > 0
    assert diff.loc["money", "diff_low"] < 0


def test_routine_work_and_an_informed_front_line_make_self_management_win():
    """Nothing to pass up: the teams lose less money and answer most requests sooner.

    Since the starting pair is fair (the same initial trust, no coaching in either), the
    teams no longer judge better here, and keeping more customers is not shown at 5 seeds.
    Since the hierarchy is stable (its managers know the whole trade, so nothing climbs to
    the deal committee for want of knowledge), the teams no longer answer faster on
    average: their 90th percentile is lower, but the few requests above the team mandate
    wait for the leadership circle, and that tail lifts their mean above the hierarchy's.
    So only money and the 90th percentile are claimed.
    """
    diff = _paired_differences("routine_informed", "routine_informed_teams")
    assert diff.loc["response_time_p90_h", "diff_high"] < 0
    assert diff.loc["response_time_mean_h", "diff_low"] > 0
    assert diff.loc["money", "diff_high"] < 0
