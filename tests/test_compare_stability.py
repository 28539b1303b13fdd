"""A scenario whose queues grow without bound is flagged everywhere and never ranked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from strategies import HIERARCHY

from orgsim.cli import main
from orgsim.compare import api, stability

DAYS = 30


@pytest.fixture(scope="module")
def unstable_pair(tmp_path_factory) -> tuple[Path, Path]:
    """The hierarchy, and a copy whose team leads take 6 h a review: their queues grow."""
    folder = tmp_path_factory.mktemp("stability")
    slow = folder / "slow_leads.yaml"
    slow.write_text(
        f"extends: {HIERARCHY}\nname: slow_leads\n"
        "overrides:\n  structure.layers[0].review_time_h: {dist: exponential, mean: 6}\n"
    )
    return HIERARCHY, slow


@pytest.fixture(scope="module")
def compared(unstable_pair) -> api.Comparison:
    return api.compare(list(unstable_pair), replications=4, days=DAYS, workers=1)


def test_a_growing_backlog_is_flagged_and_a_steady_one_is_not(compared):
    trends = compared.trends
    assert trends["slow_leads"].unstable
    assert trends["slow_leads"].low > 0
    assert not trends["hierarchy"].unstable
    assert list(compared.unstable) == ["slow_leads"]
    assert stability.NO_STEADY_STATE in compared.unstable["slow_leads"]


def test_the_unstable_scenario_is_never_ranked(compared):
    found = compared.findings()
    assert found
    assert all(f.status == "unstable" and f.better is None for f in found)
    assert all("depend on the horizon" in f.text for f in found)


def test_the_trend_test_reads_the_slope_of_each_run():
    days = [10, 11, 12, 13, 14]
    rows = [
        {"scenario": name, "seed": seed, "day": d, "backlog": base + slope * (d - 10) + seed % 2}
        for name, base, slope in (("flat", 40, 0.0), ("piling", 40, 20.0))
        for seed in range(4)
        for d in days
    ]
    trends = stability.trends(pd.DataFrame(rows), {"flat": 10, "piling": 10})
    assert trends["piling"].slope == pytest.approx(20.0)
    assert trends["piling"].unstable
    assert not trends["flat"].unstable


def test_terminal_and_report_say_no_steady_state(unstable_pair, tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", *map(str, unstable_pair), "--replications", "3", "--days",
                 str(DAYS), "--workers", "1", "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "warning: slow_leads: no steady state: its figures depend on the horizon" in printed
    assert "slow_leads answers" not in printed
    assert "slow_leads keeps" not in printed
    html = (out / "report.html").read_text()
    assert 'id="stability"' in html
    assert "no steady state: its figures depend on the horizon" in html
    assert "No steady state" in (out / "report.md").read_text()
