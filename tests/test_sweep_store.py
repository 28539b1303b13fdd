"""The store: same rows whatever the workers, after a kill and resume, with failures kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from sweep_stand_ins import (
    CRASHING_MANDATE,
    FAILING_MANDATE,
    SCENARIOS,
    crashing_runner,
    failing_runner,
    tiny_experiment,
)

from orgsim.cli import main
from orgsim.sweep.backends import ProcessBackend
from orgsim.sweep.design import load_experiment
from orgsim.sweep.execute import execute
from orgsim.sweep.points import plan
from orgsim.sweep.runner import run_sweep
from orgsim.sweep.store import Store

VOLATILE = ["wall_time_s", "orgsim_commit"]  # the commit: of the code that made each row


def comparable(directory) -> pd.DataFrame:
    """A store's rows in run-key order, without the wall time (which varies)."""
    runs = Store(directory).runs().drop(columns=VOLATILE)
    return runs.sort_values("run_key").reset_index(drop=True)


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    """The tiny experiment's store, run straight through by one worker."""
    tmp = tmp_path_factory.mktemp("straight")
    report = run_sweep(tiny_experiment(tmp, replications=4), tmp / "store", workers=1)
    assert report.ran == report.total == 2 * 3 * 4
    return tmp / "store"


def test_one_and_two_workers_store_identical_rows(straight, tmp_path):
    run_sweep(tiny_experiment(tmp_path, replications=4), tmp_path / "store", workers=2)
    one, two = comparable(straight), comparable(tmp_path / "store")
    assert one["run_key"].is_unique
    assert one["error"].isna().all()
    pd.testing.assert_frame_equal(one, two)


def test_a_store_row_carries_identity_parameters_and_figures(straight):
    runs = Store(straight).runs()
    for column in ("run_key", "point", "seed", "scenario_hash", "orgsim_version", "error"):
        assert runs[column].notna().any() or column == "error"
    assert set(runs["employee_mandate"]) == {500.0, FAILING_MANDATE, CRASHING_MANDATE}
    assert runs["satisfaction_mean"].between(0, 1).all()
    assert (runs["wall_time_s"] > 0).all()
    # common random numbers: one seed per replication, across points and bases
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()


def test_a_sweep_killed_half_way_and_resumed_stores_the_same_rows(straight, tmp_path):
    path = tiny_experiment(tmp_path, replications=4)
    out = tmp_path / "store"
    command = [sys.executable, "-m", "orgsim.cli", "sweep", str(path), "--out", str(out)]
    child = subprocess.Popen(
        [*command, "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )
    deadline, seen = time.monotonic() + 60, set()
    while len(seen) < 3 and time.monotonic() < deadline:
        seen = Store(out).keys()  # readers may query the store while the sweep writes it
        time.sleep(0.01)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    stored = len(Store(out).runs())
    assert 3 <= stored < 24, "the kill must fall half-way"
    assert main([*command[3:], "--workers", "1"]) == 2  # a store holds runs: --resume needed
    report = run_sweep(path, out, workers=1, resume=True)
    assert (report.stored_before, report.ran) == (stored, 24 - stored)
    resumed = comparable(out)
    assert resumed["run_key"].is_unique
    pd.testing.assert_frame_equal(resumed, comparable(straight))


def test_resume_refuses_another_design(straight, tmp_path):
    path = tiny_experiment(tmp_path, replications=4, seed=99)
    with pytest.raises(Exception, match="another design"):
        run_sweep(path, straight, workers=1, resume=True)


def test_a_run_that_raises_is_recorded_with_its_error(tmp_path):
    report = run_sweep(tiny_experiment(tmp_path), tmp_path / "s", workers=1, runner=failing_runner)
    runs = Store(tmp_path / "s").runs()
    failed = runs[runs["employee_mandate"] == FAILING_MANDATE]
    assert report.failed == len(failed) == 4
    assert failed["error"].str.startswith("RuntimeError: stand-in fault at seed").all()
    assert failed["satisfaction_mean"].isna().all()
    assert runs.loc[runs["employee_mandate"] != FAILING_MANDATE, "error"].isna().all()


def test_a_crashed_worker_pool_is_rebuilt_and_its_runs_retried(tmp_path):
    one_base = [str(SCENARIOS / "hierarchy.yaml")]  # one crashing run: each crash costs a pool
    path = tiny_experiment(tmp_path, bases=one_base, replications=1)
    tasks = plan(load_experiment(path), path)
    rows = []
    pool = ProcessBackend(1)
    try:
        execute(tasks, pool, rows.extend, runner=crashing_runner, max_attempts=2)
    finally:
        pool.close()
    runs = pd.DataFrame(rows)
    assert sorted(runs["run_key"]) == sorted(task.key for task in tasks)
    crashed = runs[runs["employee_mandate"] == CRASHING_MANDATE]
    assert len(crashed) == 1
    assert crashed["error"].str.contains("lost with its worker 2 times").all()
    assert runs.loc[runs["employee_mandate"] != CRASHING_MANDATE, "error"].isna().all()
