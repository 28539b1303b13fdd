"""Debate and retrospectives (seed 004): errors discussed raise skill; agreements keep work home.

Paired replications (tests/paired.py), one-sided paired t-tests at the 1% level.
"""

from pathlib import Path

import pytest
from paired import ALPHA, one_sided, paired, summary_keys

from orgsim import OrgModel

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HIERARCHY = SCENARIOS / "hierarchy.yaml"
SELF_MANAGING = SCENARIOS / "self_managing.yaml"
ON = {"retrospectives.enabled": True}


def test_a_meeting_takes_every_member_s_time_and_teaches_by_the_errors():
    alone = {"run.days": 12, "run.warmup_days": 1, "coordination.share_per_colleague": 0.0}
    model = OrgModel(HIERARCHY, rng=4, overrides=ON | alone)  # no daily coordination slot too
    employees = model.org.employees
    before = [e.skill for e in employees]
    model.loop.run_until(10 * 8 - 1e-9)  # just before the first meeting
    errors = list(model.retrospectives.errors)
    jobs = [e.station.arrivals for e in employees]
    model.loop.run_until(10 * 8)
    assert [e.station.arrivals - n for e, n in zip(employees, jobs, strict=True)] == [1] * len(
        employees
    )
    for employee, was in zip(employees, before, strict=True):
        assert (employee.skill > was) == (errors[employee.team.index] > 0)


@pytest.mark.validation
def test_retrospectives_raise_accuracy():
    """The hierarchy's teams learn from their errors: 8 paired seeds, 30 days."""
    meeting, not_meeting = paired(HIERARCHY, ON, {}, summary_keys("decision_accuracy"))
    test = one_sided(meeting["decision_accuracy"], not_meeting["decision_accuracy"], a_larger=True)
    assert test.pvalue < ALPHA, test


def _handoffs_below_the_layers(result):
    log = result.requests
    return {"handoffs": float(log.loc[log["level"] <= 1, "handoffs"].mean())}


@pytest.mark.validation
def test_team_agreements_cut_hand_offs_inside_the_team():
    """Self-managing teams hand overloaded work on; agreements keep it with its employee."""
    handing = ON | {"structure.teams.lateral_handoff": {"enabled": True, "queue_threshold": 3}}
    agreed, unagreed = paired(
        SELF_MANAGING,
        handing | {"retrospectives.agreement_gain": 0.3},
        handing,
        _handoffs_below_the_layers,
    )
    test = one_sided(agreed["handoffs"], unagreed["handoffs"], a_larger=False)
    assert test.pvalue < ALPHA, test
