"""The decision mechanisms of issue 18 (part A), each with a direction test.

Each directional test runs paired replications (tests/paired.py: common random numbers,
one seed per pair, 8 seeds) and asks a one-sided paired t-test for significance at the
1% level (``ALPHA``). Each runs its arms twice: with the mechanism on, the claim must be
significant; with it switched off in both arms (``off``), it must not be.
"""

from pathlib import Path

import numpy as np
import pytest
from paired import ALPHA, NOBODY_LEAVES, one_sided, paired

from orgsim import simulate
from orgsim.scenario.loading import load_scenario
from orgsim.sim.decisions import log_odds, weighted_majority
from orgsim.sim.model import OrgModel
from orgsim.sim.organisation import FIRST_LAYER_LEVEL, TEAM_LEVEL
from orgsim.sim.recommendation import information_kept

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"

NOVICE_FRONT_LINE = {
    "knowledge.enabled": True,
    "knowledge.employees": {"dist": "uniform", "low": 0.2, "high": 0.5},
    "satisfaction.churn": NOBODY_LEAVES,
}


def _accuracy_at(levels):
    """A measure: the share decided right of resolved requests decided at ``levels``."""

    def measure(result):
        log = result.requests
        decided = log[(log["outcome"] == "resolved") & log["level"].isin(levels)]
        return {"accuracy": float(decided["correct"].astype(float).mean())}

    return measure


def _direction(path, arm_a, arm_b, measure, a_larger, off=None):
    """The one figure of ``measure`` moves the claimed way from arm b to arm a, and (given
    the overrides that switch the mechanism ``off``) not without the mechanism."""
    (key,) = measure(simulate(path, seed=1, days=20, overrides=arm_b)).keys()
    a, b = paired(path, arm_a, arm_b, measure)
    test = one_sided(a[key], b[key], a_larger)
    assert test.pvalue < ALPHA, test
    if off is not None:
        a, b = paired(path, arm_a | off, arm_b | off, measure)
        without = one_sided(a[key], b[key], a_larger)
        assert not without.pvalue < ALPHA, without  # NaN (identical arms) is not < ALPHA


ABOVE_TEAMS = _accuracy_at(range(FIRST_LAYER_LEVEL, FIRST_LAYER_LEVEL + 8))
ABOVE_FIRST_LAYER = _accuracy_at(range(FIRST_LAYER_LEVEL + 1, FIRST_LAYER_LEVEL + 8))

LEAN = {
    "structure.layers": [
        {"name": "team_lead", "span": 1, "mandate": 25000, "review_time_h": 0.5},
        {"name": "director", "span": 2, "mandate": None, "review_time_h": 0.75},
    ]
}
"""Two layers always at their desks: what the front line passes up is decided, not queued."""


def _figures(result):
    """A run's summary figures, NaN as None and without the scenario's hash, to compare."""
    return {
        key: None if value != value else value  # NaN != NaN
        for key, value in result.summary.items()
        if key != "scenario_hash"
    }


IN_TEAMS = _accuracy_at([TEAM_LEVEL])


# --- units ---------------------------------------------------------------------------------


def test_weighted_majority_follows_the_more_reliable_reading_and_ties_the_first():
    assert weighted_majority([(True, log_odds(0.6)), (False, log_odds(0.9))]) is False
    assert weighted_majority([(True, log_odds(0.9)), (False, log_odds(0.6))]) is True
    assert weighted_majority([(False, 1.0), (True, 1.0)]) is False
    # two advisors of 0.65 together outweigh a proposer of 0.7, not one of 0.85
    advice = [(False, log_odds(0.65)), (False, log_odds(0.65))]
    assert weighted_majority([(True, log_odds(0.7)), *advice]) is False
    assert weighted_majority([(True, log_odds(0.85)), *advice]) is True


def test_information_kept_is_the_old_decay_without_analysis_and_more_with_it():
    assert information_kept(5, 0.9, 0.0) == [0.9**d for d in range(5)]
    analysed = information_kept(5, 0.9, 0.5)
    assert analysed[:2] == [1.0, 0.9]
    assert all(a > b for a, b in zip(analysed[2:], information_kept(5, 0.9, 0.0)[2:], strict=True))


def test_a_handoff_loss_of_one_minus_the_decay_is_the_old_decay():
    """hierarchy.yaml keeps 0.9 a hop: losing 0.1 a hand-off gives the very same run."""
    base = simulate(HIERARCHY, seed=3, days=20)
    lossy = simulate(HIERARCHY, seed=3, days=20, overrides={"escalation.handoff_loss": 0.1})
    assert _figures(lossy) == _figures(base)


def test_unknown_kinds_and_an_advice_rule_without_advice_are_refused():
    from orgsim.scenario.errors import ScenarioError

    with pytest.raises(ScenarioError, match="difficulty_by_kind"):
        load_scenario(HIERARCHY, {"knowledge.difficulty_by_kind": {"nonsense": 0.5}})
    with pytest.raises(ScenarioError, match="advice_rule"):
        load_scenario(HIERARCHY, {"juries.advice_rule": "proposer"})


# --- 1. knowledge hierarchy ----------------------------------------------------------------


@pytest.mark.validation
def test_expert_managers_decide_escalated_requests_better():
    """Garicano: managers who know more solve what the front line passes up."""
    novice = NOVICE_FRONT_LINE["knowledge.employees"]
    _direction(
        HIERARCHY,
        NOVICE_FRONT_LINE | LEAN | {"knowledge.layers": [0.95]},
        NOVICE_FRONT_LINE | LEAN | {"knowledge.layers": [novice]},
        ABOVE_TEAMS,
        a_larger=True,
        off={"knowledge.enabled": False},
    )


def _front_line_knowledge(overrides, seed):
    model = OrgModel(HIERARCHY, rng=seed, overrides={"run.days": 30} | overrides)
    model.run()
    return float(np.mean([min(e.knowledge, 1.0) for e in model.org.employees]))


@pytest.mark.validation
@pytest.mark.parametrize("enabled", [True, False])
def test_learning_from_answers_raises_front_line_knowledge(enabled):
    """Knowledge flows down: escalators learn from experts' answers (not without the group)."""
    experts = NOVICE_FRONT_LINE | LEAN | {"knowledge.layers": [0.95], "knowledge.enabled": enabled}
    seeds = range(1, 9)
    learning = [_front_line_knowledge(experts | {"knowledge.learning_rate": 0.1}, s) for s in seeds]
    static = [_front_line_knowledge(experts, s) for s in seeds]
    test = one_sided(np.asarray(learning), np.asarray(static), a_larger=True)
    assert bool(test.pvalue < ALPHA) == enabled, test


# --- 2. the escalator's recommendation -----------------------------------------------------

SKILLED_ESCALATORS = {
    "structure.teams.skill": 0.95,
    "structure.information_decay": 0.7,  # the dossier loses much of the desk's insight
    "satisfaction.churn": NOBODY_LEAVES,
}


@pytest.mark.validation
def test_weighing_skilled_escalators_recommendations_raises_accuracy():
    """Managers weigh the recommendation by the escalator's record (Nitzan & Paroush)."""
    _direction(
        HIERARCHY,
        SKILLED_ESCALATORS | {"escalation.recommendation_weight": 1.0},
        SKILLED_ESCALATORS,
        ABOVE_TEAMS,
        a_larger=True,
        off={"escalation.recommendation_weight": 0.0},
    )


LOSSY = {"escalation.handoff_loss": 0.4, "satisfaction.churn": NOBODY_LEAVES}


@pytest.mark.validation
def test_analysis_on_the_way_raises_accuracy_above_the_first_layer():
    """Analysis adds what hand-offs lose: review points close part of the gap."""
    _direction(
        HIERARCHY,
        LOSSY | {"escalation.analysis_gain": 0.8},
        LOSSY,
        ABOVE_FIRST_LAYER,
        a_larger=True,
        off={"escalation.analysis_gain": 0.0},
    )


# --- 3. juries that are not ideal ----------------------------------------------------------

MAJORITY_TEAM = {
    "structure.teams.advisors": 4,  # five voters: room for Condorcet's gain
    "satisfaction.churn": NOBODY_LEAVES,
}
CONSENSUS_TEAM = {"structure.teams.decision": "consensus", "satisfaction.churn": NOBODY_LEAVES}


@pytest.mark.validation
def test_shared_readings_lower_a_majority_teams_accuracy():
    """Groupthink: members who follow one shared reading are wrong together."""
    _direction(
        SELF_MANAGING,
        MAJORITY_TEAM | {"juries.correlation": 0.6},
        MAJORITY_TEAM,
        IN_TEAMS,
        a_larger=False,
        off={"juries.correlation": 0.0},
    )


@pytest.mark.validation
def test_social_loafing_lowers_a_large_teams_accuracy():
    """Care falls as n^-t (Latané): a consensus of the whole team of 6 judges worse."""
    _direction(
        SELF_MANAGING,
        CONSENSUS_TEAM | {"juries.loafing": 0.5},
        CONSENSUS_TEAM,
        IN_TEAMS,
        a_larger=False,
        off={"juries.loafing": 0.0},
    )


def _team_response(result):
    log = result.requests
    decided = log[(log["outcome"] == "resolved") & (log["level"] == TEAM_LEVEL)]
    return {"response_h": float(decided["response_h"].mean())}


@pytest.mark.validation
def test_the_advice_process_is_faster_than_consensus():
    """The proposer consults two colleagues and decides (Laloux), not the whole team.

    No ``off`` arm: the advice process's majority vote is as fast; what the proposer's
    rule changes is who decides, shown by the unit test of :func:`weighted_majority`.
    """
    _direction(
        SELF_MANAGING,
        {"juries.advice_rule": "proposer"},
        {"structure.teams.decision": "consensus"},
        _team_response,
        a_larger=False,
    )
