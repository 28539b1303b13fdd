"""Designs that grow: more replications, or a Sobol N doubled, run only what is new."""

from __future__ import annotations

import pandas as pd
import pytest
from sweep_stand_ins import SCENARIOS, inline_backend, quick_runner, tiny_experiment

from orgsim.cli import main
from orgsim.scenario.errors import ScenarioError
from orgsim.sweep.runner import run_sweep
from orgsim.sweep.store import Store

FIGURES = ["satisfaction_mean", "churn_rate"]  # quick_runner's


@pytest.fixture(autouse=True)
def inline(monkeypatch):
    monkeypatch.setattr("orgsim.sweep.runner.backend", inline_backend)


def comparable(directory) -> pd.DataFrame:
    runs = Store(directory).runs().drop(columns=["wall_time_s", "orgsim_commit"])
    return runs.sort_values("run_key").reset_index(drop=True)


def sobol(tmp, samples: int):
    mandate = {"name": "mandate", "path": "structure.teams.employee_mandate", "range": [250, 4000]}
    trust = {"name": "trust", "path": "culture.trust.initial", "range": [0.3, 0.9]}
    return tiny_experiment(
        tmp,
        bases=[str(SCENARIOS / "hierarchy.yaml")],
        parameters=[mandate, trust],
        sampler={"method": "sobol", "samples": samples},
        replications=1,
        figures=FIGURES,
    )


def test_more_replications_run_only_the_new_ones_and_equal_a_straight_sweep(tmp_path, capsys):
    grown, straight = tmp_path / "grown", tmp_path / "straight"
    first = run_sweep(
        tiny_experiment(tmp_path, replications=8, figures=FIGURES), grown, runner=quick_runner
    )
    assert first.ran == 6 * 8
    more = tiny_experiment(tmp_path, replications=12, figures=FIGURES)
    assert main(["sweep", "--status", str(grown), str(more)]) == 0
    said = capsys.readouterr().out
    assert "48 of 48 runs stored, 0 failed; the design is complete" in said
    assert f"{more} would add 24 runs (72 in its design)" in said
    report = run_sweep(more, grown, runner=quick_runner, resume=True)
    assert (report.stored_before, report.ran) == (48, 6 * 4)
    run_sweep(
        tiny_experiment(tmp_path, replications=12, figures=FIGURES), straight, runner=quick_runner
    )
    pd.testing.assert_frame_equal(comparable(grown), comparable(straight))


def test_a_sobol_design_with_n_doubled_runs_only_the_new_points(tmp_path):
    grown, straight = tmp_path / "grown", tmp_path / "straight"
    assert run_sweep(sobol(tmp_path, 4), grown, runner=quick_runner).ran == 4 * (2 + 2)
    report = run_sweep(sobol(tmp_path, 8), grown, runner=quick_runner, resume=True)
    assert (report.stored_before, report.ran) == (16, 16)
    run_sweep(sobol(tmp_path, 8), straight, runner=quick_runner)
    pd.testing.assert_frame_equal(comparable(grown), comparable(straight))


def test_a_design_that_would_shrink_or_change_is_refused(tmp_path):
    out = tmp_path / "store"
    run_sweep(tiny_experiment(tmp_path, replications=4, figures=FIGURES), out, runner=quick_runner)
    with pytest.raises(ScenarioError, match=r"would shrink \(replications 4 -> 2\)"):
        run_sweep(
            tiny_experiment(tmp_path, replications=2, figures=FIGURES),
            out,
            runner=quick_runner,
            resume=True,
        )
    with pytest.raises(ScenarioError, match="another design"):
        run_sweep(
            tiny_experiment(tmp_path, replications=4, seed=9, figures=FIGURES),
            out,
            runner=quick_runner,
            resume=True,
        )
