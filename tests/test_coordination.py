"""Coordination by communication channels (Brooks 1975; Dunbar 1993): large cells answer later.

Holding the number of employees fixed (120) and the demand per employee, the cells are
cut ever larger; each member then keeps up with more colleagues, out of its working
time. The team's decisions wait behind that time, so a cell's mean response to a team
decision grows faster per member added beyond ~50 than below it (below, the larger
pool of colleagues to hand work to still helps; beyond, the channels' time wins). Paired by seed
(common random numbers), one-sided paired t-tests at the 1% level (tests/paired.py).
The legacy stretch of consult time (``coordination_cost``, linear in size) is set to 0
so that only the channels' time is at work. The load is high: 0.95 requests a customer a
day keep employees busy about 70% of their time.
"""

from pathlib import Path

import numpy as np
import pytest
from paired import ALPHA, NOBODY_LEAVES, one_sided

from orgsim import simulate
from orgsim.scenario.costs import Coordination
from orgsim.sim.organisation import TEAM_LEVEL

SELF_MANAGING = Path(__file__).resolve().parent.parent / "scenarios" / "self_managing.yaml"
EMPLOYEES, CUSTOMERS = 120, 500
SIZES = (20, 40, 60, 120)
SEEDS = range(1, 7)

pytestmark = pytest.mark.validation


def _team_response_h(size: int, seed: int, share: float) -> float:
    count = EMPLOYEES // size
    result = simulate(
        SELF_MANAGING,
        seed=seed,
        days=30,
        overrides={
            "structure.teams.count": count,
            "structure.teams.size": size,
            "structure.teams.coordination_cost": 0.0,
            "demand.customers_per_team": CUSTOMERS // count,
            "demand.requests_per_customer_per_day": 0.95,
            "satisfaction.churn": NOBODY_LEAVES,
            "coordination.share_per_colleague": share,
        },
    )
    log = result.requests
    warm_h = 10 * 8  # the scenario's warm-up: 10 days of 8 hours
    team = log[(log["outcome"] == "resolved") & (log["level"] == TEAM_LEVEL)]
    return float(team.loc[team["created_h"] >= warm_h, "response_h"].mean())


def _slopes(share: float) -> tuple[np.ndarray, np.ndarray]:
    """Per seed: hours added per member below 50 (20 to 40) and beyond (60 to 120)."""
    below, beyond = [], []
    for seed in SEEDS:
        r20, r40, r60, r120 = (_team_response_h(size, seed, share) for size in SIZES)
        below.append((r40 - r20) / 20)
        beyond.append((r120 - r60) / 60)
    return np.asarray(below), np.asarray(beyond)


DEFAULT = Coordination().share_per_colleague


def test_a_cell_answers_later_per_member_added_beyond_50_than_below():
    """With the default coordination parameters: beyond 50 it grows, and faster than below."""
    below, beyond = _slopes(DEFAULT)
    grows = one_sided(beyond, np.zeros_like(beyond), a_larger=True)
    assert grows.pvalue < ALPHA, (beyond, grows)
    faster = one_sided(beyond, below, a_larger=True)
    assert faster.pvalue < ALPHA, (below, beyond, faster)


def test_the_growth_beyond_50_comes_from_the_channels_time():
    """Switched off (share 0), a cell grows more slowly beyond 50."""
    _, on = _slopes(DEFAULT)
    _, off = _slopes(0.0)
    test = one_sided(on, off, a_larger=True)
    assert test.pvalue < ALPHA, (on, off, test)
