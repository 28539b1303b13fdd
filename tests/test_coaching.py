"""Coaching costs time and cannot teach more than the coach knows.

Sessions are booked at the coach's and the employee's desks, a coach holds as many a
round as its hours allow, and skill tends to the coach's own. Directional claims are
paired by seed (tests/paired.py), one-sided t-tests at the 1% level.
"""

from pathlib import Path

import numpy as np
import pytest
from paired import ALPHA, NOBODY_LEAVES, one_sided, paired, summary_keys

from orgsim import OrgModel

COACHED = Path(__file__).resolve().parent.parent / "scenarios" / "self_managing_coached.yaml"
SEEDS = range(1, 9)
QUICK = {"culture.coaching.skill_gain": 0.3, "run.days": 40}


def _skills_after(overrides: dict, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each employee's skill at the start and at the end of a run."""
    model = OrgModel(COACHED, rng=seed, overrides=overrides)
    before = np.array([e.skill for e in model.org.employees])
    model.run()
    return before, np.array([e.skill for e in model.org.employees])


def test_nobody_is_coached_above_the_coach_s_own_skill():
    """Coaches of skill 0.7: those below rise toward 0.7 and no further; the rest stay."""
    coaches = {"structure.layers[0].skill": 0.7, "culture.coaching.skill_ceiling": 0.95}
    before, after = _skills_after(QUICK | coaches, seed=1)
    assert (before < 0.7).sum() > 5
    assert (after[before < 0.7] > before[before < 0.7]).all()
    assert (after <= np.maximum(before, 0.7) + 1e-12).all()


@pytest.mark.validation
def test_a_coach_with_little_time_coaches_fewer_people_a_round():
    """A tenth of a coach's week holds 4 one-hour sessions: skill grows less than with all of it."""
    sessions = {"culture.coaching.session_h": 1.0}
    grown = {True: [], False: []}
    for seed in SEEDS:
        for busy in (True, False):
            share = 0.1 if busy else 1.0
            before, after = _skills_after(
                QUICK | sessions | {"culture.coaching.coach_share": share}, seed
            )
            grown[busy].append(float((after - before).mean()))
    test = one_sided(np.array(grown[True]), np.array(grown[False]), a_larger=False)
    assert test.pvalue < ALPHA, (grown, test)


@pytest.mark.validation
def test_coaching_sessions_take_the_employees_time():
    """Two-hour sessions every week answer customers later than free coaching.

    Employees busy about 45% of their time (0.6 requests a customer a day); nobody leaves,
    so that both arms keep the same customers.
    """
    busy = {"demand.requests_per_customer_per_day": 0.6, "satisfaction.churn": NOBODY_LEAVES}
    costly, free = paired(
        COACHED,
        busy | {"culture.coaching.session_h": 2.0},
        busy | {"culture.coaching.session_h": 0.0},
        summary_keys("response_time_mean_h"),
    )
    key = "response_time_mean_h"
    test = one_sided(costly[key], free[key], a_larger=True)
    assert test.pvalue < ALPHA, test


def test_session_hours_are_booked_on_the_timesheet():
    model = OrgModel(COACHED, rng=2, overrides={"culture.coaching.session_h": 0.5})
    model.run()
    rounds = model.mechanisms["coaching"]
    # 48 people seen each round, every 5 days to day 90; from the warm-up's end (day 10) on
    assert rounds.sessions == 48 * 18
    assert model.timesheet.hours["coaching"] == pytest.approx(48 * 17 * 0.5)
