"""Barriers to innovation (seeds 000, 002): ideas climb the chain in a hierarchy, teams adopt them.

Paired replications (tests/paired.py) of the two structures with common seeds;
one-sided paired t-tests at the 1% level.
"""

from pathlib import Path

import pytest
from paired import ALPHA, one_sided, paired, summary_keys

from orgsim import OrgModel, simulate

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"
ON = {"ideas.enabled": True}


def test_ideas_off_leave_no_trace_and_on_never_reach_the_request_log():
    off = simulate(HIERARCHY, seed=2, days=20)
    on = simulate(HIERARCHY, seed=2, days=20, overrides=ON)
    assert off.summary["ideas_proposed"] == 0
    assert on.summary["ideas_proposed"] > 0
    assert (on.requests["customer_id"] >= 0).all()


def test_an_adopted_good_idea_speeds_its_team_and_a_bad_one_slows_it():
    model = OrgModel(HIERARCHY, rng=2, overrides=ON | {"ideas.speedup": 0.1, "run.days": 20})
    model.run()
    ideas = model.ideas
    assert ideas.adopted > 0
    good = ideas.adopted - ideas.bad_adopted
    product = 1.0
    for factor in ideas.work_factor:
        product *= factor
    assert product == pytest.approx(0.9**good * 1.1**ideas.bad_adopted)


@pytest.mark.validation
def test_self_managing_teams_adopt_ideas_faster_and_more_of_them():
    """The same employees' ideas (8 common seeds, 30 days) in both structures."""
    keys = summary_keys("idea_adoption_mean_h", "ideas_adopted")
    teams, pyramid = paired(SELF_MANAGING, ON, ON, keys, scenario_b=HIERARCHY)
    faster = one_sided(teams["idea_adoption_mean_h"], pyramid["idea_adoption_mean_h"], False)
    assert faster.pvalue < ALPHA, faster
    more = one_sided(teams["ideas_adopted"], pyramid["ideas_adopted"], a_larger=True)
    assert more.pvalue < ALPHA, more


@pytest.mark.validation
def test_the_hierarchy_s_screening_keeps_more_bad_ideas_out():
    """The fair side of the fight: series screening rejects bad ideas (Sah & Stiglitz 1986).

    A bad idea is rarer than a good one: 0.05 ideas a day per employee, so that enough of
    them come up in 30 days (8 common seeds).
    """
    keys = summary_keys("ideas_bad_adopted")
    many = ON | {"ideas.per_employee_per_day": 0.05}
    pyramid, teams = paired(HIERARCHY, many, many, keys, scenario_b=SELF_MANAGING)
    test = one_sided(pyramid["ideas_bad_adopted"], teams["ideas_bad_adopted"], a_larger=False)
    assert test.pvalue < ALPHA, test
