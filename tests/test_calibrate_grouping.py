"""Resource groups by activity profile where a log has no org:group (issue 22)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_cli import run_cli

from orgsim.calibrate.api import LogOptions, calibrate
from orgsim.calibrate.grouping import groups_by_activity


def _two_desks_log(path: Path, seed: int = 4) -> Path:
    """Cases opened and fixed by one of 3 agents, half billed and closed by one of 3 clerks."""
    rng = np.random.default_rng(seed)
    rows, start = [], pd.Timestamp("2024-01-01 09:00")
    for case in range(300):
        at = start + pd.offsets.BDay(case // 8) + pd.Timedelta(minutes=int(rng.integers(0, 400)))
        agent, clerk = f"agent {rng.integers(3)}", f"clerk {rng.integers(3)}"
        steps = [("Open", agent), ("Fix", agent)]
        steps += [("Bill", clerk), ("Close", clerk)] if case % 2 else [("Close", agent)]
        for activity, who in steps:
            at += pd.Timedelta(minutes=int(rng.integers(5, 60)))
            rows.append((f"c{case}", activity, who, at.isoformat()))
    frame = pd.DataFrame(rows, columns=["case:concept:name", "concept:name", "org:resource",
                                        "time:timestamp"])  # fmt: skip
    frame.to_csv(path, index=False)
    return path


def test_resources_with_one_profile_form_one_group() -> None:
    events = pd.DataFrame(
        {
            "resource": ["a1", "a1", "a2", "a2", "b1", "b1", "b2", "", "a3", "a3", "a3"],
            "activity": ["x", "y", "x", "y", "z", "z", "z", "x", "x", "x", "y"],
        }
    )
    groups = groups_by_activity(events)  # a3's (2, 1, 0) correlates 0.87 with (1, 1, 0)
    assert groups["a1"] == groups["a2"] == groups["a3"]
    assert groups_by_activity(events, 0.9)["a3"] != groups["a1"]  # not at 0.9
    assert groups["b1"] == groups["b2"] != groups["a1"]
    assert groups["a1"] == "group 1"  # the largest first
    assert "" not in groups.index


def test_calibrate_forms_teams_from_activity_groups_only_when_asked(tmp_path: Path) -> None:
    log = _two_desks_log(tmp_path / "desks.csv")
    grouped = calibrate(log, tmp_path / "g.yaml", LogOptions(group_similarity=0.7))
    plain = calibrate(log, tmp_path / "p.yaml", LogOptions())
    assert grouped.calibration.inferred["teams"] == 2
    assert plain.calibration.inferred["teams"] == 1
    assert any("activity profile" in note for note in grouped.notes)
    assert grouped.facts["options"]["group_similarity"] == 0.7


@pytest.mark.parametrize("bad", ["2", "high"])
def test_a_similarity_outside_minus_one_to_one_is_refused(tmp_path: Path, bad: str) -> None:
    log = _two_desks_log(tmp_path / "desks.csv")
    code, _, err = run_cli(
        ["calibrate", str(log), "--out", str(tmp_path / "d.yaml"), "--group-by-activity", bad]
    )
    assert code == 2
    assert "correlation from -1 to 1" in err
    assert not (tmp_path / "d.yaml").exists()
