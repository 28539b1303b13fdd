"""Comparisons: common seeds, paired intervals, and the same results whatever the workers."""

from pathlib import Path

import pandas as pd
import pytest

from orgsim import load_scenario
from orgsim.compare import runner as compare

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def scenarios():
    return [load_scenario(SCENARIOS / f"{name}.yaml") for name in ("hierarchy", "self_managing")]


def test_results_are_the_same_whatever_the_number_of_workers(scenarios):
    alone = compare.run_replications(scenarios, replications=2, seed=3, days=20, workers=1)
    pooled = compare.run_replications(scenarios, replications=2, seed=3, days=20, workers=2)
    pd.testing.assert_frame_equal(alone, pooled)
    assert alone["seed"].tolist() == [3, 4, 3, 4]


def test_paired_differences_are_taken_replication_by_replication():
    runs = pd.DataFrame(
        {
            "scenario": ["a", "a", "a", "b", "b", "b"],
            "seed": [1, 2, 3, 1, 2, 3],
            "response_time_mean_h": [10.0, 20.0, 30.0, 11.0, 21.0, 31.0],
        }
    )
    table = compare.compare(runs, keys=["response_time_mean_h"]).set_index("scenario")
    # the scenarios' means vary a lot, their paired difference not at all
    assert table.loc["b", "diff"] == pytest.approx(1.0)
    assert (table.loc["b", "diff_low"], table.loc["b", "diff_high"]) == (1.0, 1.0)
    assert table.loc["b", "high"] - table.loc["b", "low"] > 10
