"""The mechanisms the model had before issue 9, each moved the way its source claims.

Trust and blame (Denrell & March 2001; seed 001), coaching (seeds 000, 001), managers'
absences (seed 002's vulnerability of vertical order), lateral hand-offs (seed 002's
network order) and coordination cost (seed 004's cells). Paired replications
(tests/paired.py), one-sided paired t-tests at the 1% level.
"""

from pathlib import Path

import pytest
from paired import ALPHA, NOBODY_LEAVES, one_sided, paired, summary_keys

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"
COACHED = SCENARIOS / "self_managing_coached.yaml"
SELF_MANAGING_MANDATE = 5000

pytestmark = pytest.mark.validation


def _within_mandate(result):
    """Escalated share and mean response time of requests an employee may decide alone."""
    log = result.requests
    within = log[
        (log["outcome"] == "resolved")
        & (log["value"] > 0)
        & (log["value"] <= SELF_MANAGING_MANDATE)
    ]
    return {
        "escalated": float((within["level"] > 0).mean()),
        "response_h": float(within["response_h"].mean()),
    }


def test_blame_makes_people_escalate_within_their_mandate_and_answer_later():
    """Self-managing teams, 60 days; quick learning, coaches not restoring trust."""
    quick = {
        "culture.trust.learning_rate": 0.1,
        "culture.trust.discovery_probability": 0.6,
        "culture.coaching.trust_gain": 0.0,
    }
    blamed, spared = paired(
        SELF_MANAGING,
        quick | {"culture.trust.blame": True},
        quick | {"culture.trust.blame": False},
        _within_mandate,
        days=60,
    )
    for key in ("escalated", "response_h"):
        test = one_sided(blamed[key], spared[key], a_larger=True)
        assert test.pvalue < ALPHA, (key, test)


def test_coaching_raises_trust_and_accuracy():
    """Coaches who know more (0.9) than most of their people; nobody leaves, so that both
    arms keep the same customers. Coaching lifts skill only up to the coach's own."""
    expert = {
        "structure.layers[0].skill": 0.9,
        "satisfaction.churn": NOBODY_LEAVES,
    }
    coached, left_alone = paired(
        COACHED,
        expert,
        expert | {"culture.coaching.skill_gain": 0.0, "culture.coaching.trust_gain": 0.0},
        summary_keys("trust_mean", "decision_accuracy"),
    )
    for key in ("trust_mean", "decision_accuracy"):
        test = one_sided(coached[key], left_alone[key], a_larger=True)
        assert test.pvalue < ALPHA, (key, test)


def test_absences_raise_the_hierarchy_s_99th_percentile_more_than_the_teams():
    """Approvers away 30% of the time: every layer of the pyramid, the teams' circle."""
    p99 = summary_keys("response_time_p99_h")
    away = {f"structure.layers[{i}].absence.share": 0.3 for i in range(4)}
    pyramid_away, pyramid = paired(HIERARCHY, away, {}, p99, days=60)
    circle_away = {"structure.layers[0].absence.share": 0.3}  # the circle: its only layer
    teams_away, teams = paired(SELF_MANAGING, circle_away, {}, p99, days=60)
    key = "response_time_p99_h"
    rise_pyramid = pyramid_away[key] - pyramid[key]
    rise_teams = teams_away[key] - teams[key]
    test = one_sided(rise_pyramid, rise_teams, a_larger=True)
    assert test.pvalue < ALPHA, test


def test_lateral_hand_offs_shorten_the_teams_response_times():
    """Nobody leaves, so that both arms keep the same customers (churn's noise would hide
    an effect of a tenth of an hour)."""
    stay = {"satisfaction.churn": NOBODY_LEAVES}
    network = {"structure.teams.lateral_handoff": {"enabled": True, "queue_threshold": 3}}
    helped, alone = paired(
        SELF_MANAGING,
        stay | network,
        stay | {"structure.teams.lateral_handoff.enabled": False},
        summary_keys("response_time_mean_h"),
    )
    test = one_sided(helped["response_time_mean_h"], alone["response_time_mean_h"], False)
    assert test.pvalue < ALPHA, test


def test_coordination_cost_slows_large_teams_decisions():
    costly, free = paired(
        SELF_MANAGING,
        {"structure.teams.coordination_cost": 0.2},
        {"structure.teams.coordination_cost": 0.0},
        summary_keys("response_time_mean_h"),
    )
    test = one_sided(costly["response_time_mean_h"], free["response_time_mean_h"], True)
    assert test.pvalue < ALPHA, test
