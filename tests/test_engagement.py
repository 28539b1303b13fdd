"""Apathy (seed 002): slow or rejected escalations lower engagement; autonomy restores it.

Paired replications (tests/paired.py), one-sided paired t-tests at the 1% level.
"""

from pathlib import Path

import pytest
from paired import ALPHA, one_sided, paired, summary_keys

from orgsim.scenario.mechanisms import Engagement
from orgsim.sim.engagement import Apathy

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"
ON = {"engagement.enabled": True}


class _Person:
    def __init__(self, engagement: float, skill: float = 0.8) -> None:
        self.engagement, self.skill = engagement, skill


def test_engagement_falls_after_a_slow_escalation_and_grows_with_autonomy():
    apathy = Apathy(Engagement(enabled=True, loss_rate=0.1, recovery_rate=0.5))
    person = _Person(0.5)
    apathy.after_decision(person, above_team=True, slow_or_rejected=True)
    assert person.engagement == pytest.approx(0.45)
    apathy.after_decision(person, above_team=True, slow_or_rejected=False)
    assert person.engagement == pytest.approx(0.45)  # a quick approval teaches nothing
    apathy.after_decision(person, above_team=False, slow_or_rejected=False)
    assert person.engagement == pytest.approx(0.725)


def test_a_disengaged_employee_works_slower_and_judges_worse():
    apathy = Apathy(Engagement(enabled=True, slowdown=0.5, accuracy_loss=0.5))
    engaged, apathetic = _Person(1.0), _Person(0.0)
    assert apathy.work_h(engaged, 2.0) == 2.0
    assert apathy.work_h(apathetic, 2.0) == 3.0
    assert apathy.skill(engaged) == pytest.approx(0.8)
    assert apathy.skill(apathetic) == pytest.approx(0.65)


@pytest.mark.validation
def test_slow_approvals_lower_engagement():
    """Team leads four times slower to review (mean 2 h instead of 0.5 h): 8 seeds, 30 days."""
    slow, quick = paired(
        HIERARCHY,
        ON | {"structure.layers[0].review_time_h.mean": 2.0},
        ON,
        summary_keys("engagement_mean"),
    )
    test = one_sided(slow["engagement_mean"], quick["engagement_mean"], a_larger=False)
    assert test.pvalue < ALPHA, test


@pytest.mark.validation
def test_self_managing_teams_stay_more_engaged_than_the_hierarchy():
    """Same customers (common seeds), 8 seeds, 30 days."""
    teams, pyramid = paired(
        SELF_MANAGING, ON, ON, summary_keys("engagement_mean"), scenario_b=HIERARCHY
    )
    test = one_sided(teams["engagement_mean"], pyramid["engagement_mean"], a_larger=True)
    assert test.pvalue < ALPHA, test
