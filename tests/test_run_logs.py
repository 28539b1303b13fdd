"""``compare --event-logs``: every run kept as an event log, as it ends, bounded (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import assert_clean_error, run_cli

from orgsim.calibrate.reading import read_log
from orgsim.compare import api, workers
from orgsim.results import run_logs
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.loading import load_scenario

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
HIERARCHY, SELF_MANAGING = SCENARIOS / "hierarchy.yaml", SCENARIOS / "self_managing.yaml"


def _assert_logs_match_runs(folder: Path, runs, fmt: str) -> None:
    """One log a run, named by scenario and seed, whose cases are the run's requests."""
    named = zip(runs["scenario"], runs["seed"], strict=True)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}_seed{seed}.{fmt}" for name, seed in named
    )
    for run in runs.itertuples():
        log = read_log(folder / f"{run.scenario}_seed{run.seed}.{fmt}").events
        assert log["case"].nunique() == run.requests_created == run.event_log_cases
        assert set(log["activity"]) >= {"Create request", "Deliver answer"}


def test_compare_writes_one_log_a_run_that_reads_back(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    code, _, err = run_cli(
        [
            "compare", str(HIERARCHY), str(SELF_MANAGING), "--replications", "2",
            "--days", "15", "--workers", "1", "--out", str(tmp_path / "out"),
            "--event-logs", str(folder), "--event-log-format", "csv.gz",
        ]
    )  # fmt: skip
    assert code == 0, err
    runs = api.compare(
        [HIERARCHY, SELF_MANAGING], replications=2, days=15, workers=1, out=tmp_path / "out"
    ).runs  # resumed from the folder: the records of the runs that wrote the logs
    assert len(runs) == 4
    _assert_logs_match_runs(folder, runs, "csv.gz")


@pytest.mark.skipif(workers.cores() < 2, reason="needs 2 cores for a pool")
def test_pooled_workers_write_their_runs_logs(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ORGSIM_WORKER_START_S", "0")  # a pool even for tiny runs
    result = api.compare(
        [HIERARCHY], replications=3, days=12, workers=2, event_logs=tmp_path / "logs"
    )
    assert result.workers > 1
    _assert_logs_match_runs(tmp_path / "logs", result.runs, "xes.gz")


def test_logs_too_large_are_refused_before_any_run(tmp_path: Path) -> None:
    scenario = load_scenario(HIERARCHY)
    per_log = run_logs.expected_events(scenario)
    assert 0 < per_log < run_logs.MAX_EVENTS_PER_LOG
    days = scenario.run.days * run_logs.MAX_EVENTS_PER_LOG / per_log * 1.1  # one log too big
    folder, out = tmp_path / "logs", tmp_path / "out"
    code, stdout, err = run_cli(
        ["compare", str(HIERARCHY), "--replications", "2", "--days", f"{days:.0f}",
         "--out", str(out), "--event-logs", str(folder)]
    )  # fmt: skip
    assert_clean_error(code, stdout, err)
    assert "--event-logs" in err
    assert "5,000,000" in err
    assert not folder.exists()
    assert not out.exists()
    many = run_logs.MAX_LOG_EVENTS / per_log * 1.1  # each log fine, all of them too many
    with pytest.raises(ScenarioError, match="in all"):
        run_logs.check_sizes([(scenario, int(many))], "--event-logs")


def test_a_log_that_cannot_be_written_keeps_the_runs_figures(tmp_path: Path) -> None:
    logs = run_logs.RunLogs(tmp_path / "gone")  # never created: the write fails
    from orgsim.compare.extract import run_record

    scenario = load_scenario(HIERARCHY, {"run.days": 12})
    record = run_record(scenario, "h", 1, logs)
    assert record["error"] is None
    assert record["requests_created"] > 0
    assert "gone" in record["event_log_error"]
    assert "event_log" not in record


def test_sweep_writes_every_runs_log_into_the_store(tmp_path: Path, monkeypatch) -> None:
    from sweep_stand_ins import inline_backend, tiny_experiment

    from orgsim.sweep.runner import run_sweep
    from orgsim.sweep.store import Store

    monkeypatch.setattr("orgsim.sweep.runner.backend", inline_backend)
    store = Store(tmp_path / "store")
    report = run_sweep(
        tiny_experiment(tmp_path, replications=1), store.directory, event_logs=True,
        event_log_format="csv.gz",
    )  # fmt: skip
    runs = store.runs()
    assert report.failed == 0
    named = {
        f"{run.base}_{run.scenario_hash[:12]}_seed{run.seed}.csv.gz": run.requests_created
        for run in runs.itertuples()
    }
    folder = store.directory / "event_logs"
    assert sorted(p.name for p in folder.iterdir()) == sorted(named)
    assert len(named) == report.total == 6
    for name, requests in named.items():
        assert read_log(folder / name).events["case"].nunique() == requests


def test_sweep_logs_on_a_remote_cluster_are_refused_before_the_store(tmp_path: Path) -> None:
    from sweep_stand_ins import tiny_experiment

    experiment, store = tiny_experiment(tmp_path), tmp_path / "store"
    code, out, err = run_cli(
        ["sweep", str(experiment), "--out", str(store), "--scheduler", "tcp://127.0.0.1:9",
         "--event-logs"]
    )  # fmt: skip
    assert_clean_error(code, out, err)
    assert "--scheduler" in err
    assert not store.exists()
