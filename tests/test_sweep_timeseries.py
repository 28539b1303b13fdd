"""Time series per run: kept on request in a second table, the same as a run alone."""

from __future__ import annotations

import pandas as pd
from sweep_stand_ins import inline_backend, tiny_experiment

from orgsim import simulate
from orgsim.sweep.analyze import analyze
from orgsim.sweep.design import load_experiment
from orgsim.sweep.points import plan
from orgsim.sweep.runner import run_sweep
from orgsim.sweep.store import Store


def test_kept_series_are_each_runs_daily_series_and_drawn(tmp_path, monkeypatch):
    monkeypatch.setattr("orgsim.sweep.runner.backend", inline_backend)
    path = tiny_experiment(tmp_path, keep=["timeseries"], replications=1)
    store = Store(tmp_path / "store")
    report = run_sweep(path, store.directory)
    series = store.timeseries()
    assert series["run_key"].nunique() == report.total == len(store.runs())
    assert "_timeseries" not in store.runs().columns
    task = plan(load_experiment(path), path)[0]
    alone = simulate(task.scenario, seed=task.seed).timeseries.reset_index(drop=True)
    stored = series[series["run_key"] == task.key].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        stored[alone.columns], alone.astype(float), check_dtype=False, check_names=False
    )
    page = analyze(store.directory).read_text()
    assert "Daily series" in page
    assert (store.directory / "analysis" / "timeseries.png").stat().st_size > 0


def test_without_keep_no_series_are_stored(tmp_path, monkeypatch):
    monkeypatch.setattr("orgsim.sweep.runner.backend", inline_backend)
    run_sweep(tiny_experiment(tmp_path, replications=1), tmp_path / "store")
    assert Store(tmp_path / "store").timeseries().empty
    assert not (tmp_path / "store" / "timeseries").exists()
