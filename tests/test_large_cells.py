"""Large cells with coordination by channels under a high load: self-management loses speed.

large_cells.yaml (two cells of 60) against large_teams.yaml (the same 120 people, 500
customers and load in twenty self-managing teams of 6), 8 common seeds of 30 days
(replication r of both runs seed r), one-sided paired t-tests at the 1% level
(tests/paired.py).
"""

from pathlib import Path

import pytest
from paired import ALPHA, one_sided, paired, summary_keys

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
KEY = "response_time_mean_h"

pytestmark = pytest.mark.validation


def _cells_and_teams(overrides: dict) -> tuple:
    cells, teams = paired(
        SCENARIOS / "large_cells.yaml",
        overrides,
        overrides,
        summary_keys(KEY),
        replications=8,
        days=30,
        scenario_b=SCENARIOS / "large_teams.yaml",
    )
    return cells[KEY], teams[KEY]


def test_large_cells_answer_later_than_small_teams_of_the_same_people():
    """And they lose by more than with the channels' time switched off, where the cells'
    larger pool of colleagues is all that differs: coordination decides it."""
    cells, teams = _cells_and_teams({})
    test = one_sided(cells, teams, a_larger=True)
    assert test.pvalue < ALPHA, (cells, teams, test)
    free_cells, free_teams = _cells_and_teams({"coordination.share_per_colleague": 0.0})
    test = one_sided(cells - teams, free_cells - free_teams, a_larger=True)
    assert test.pvalue < ALPHA, (cells - teams, free_cells - free_teams, test)
