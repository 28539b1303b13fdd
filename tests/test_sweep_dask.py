"""Dask: a killed worker loses nothing; a scheduler and workers of their own run a sweep.

Both compare with the same runs made in this process, one by one: results do not
depend on what runs them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sweep_stand_ins import tiny_experiment

from orgsim.cli import main
from orgsim.sweep import backends
from orgsim.sweep.backends import SCHEDULER_VARIABLE, DaskBackend
from orgsim.sweep.design import load_experiment
from orgsim.sweep.execute import execute, run_group
from orgsim.sweep.points import plan
from orgsim.sweep.store import Store

distributed = pytest.importorskip("distributed")

LOCALHOST = "127.0.0.1"


def in_process(tasks) -> pd.DataFrame:
    """The runs made here, one after another: what every executor must reproduce."""
    return _comparable(pd.DataFrame(run_group(tasks)))


def _comparable(runs: pd.DataFrame) -> pd.DataFrame:
    added = ["wall_time_s", "design_id", "orgsim_commit"]  # the store adds the last two
    runs = runs.drop(columns=added, errors="ignore").sort_values("run_key").reset_index(drop=True)
    return runs[sorted(runs.columns)]


def test_a_killed_dask_worker_loses_nothing(tmp_path):
    path = tiny_experiment(tmp_path, replications=3)
    tasks = plan(load_experiment(path), path)
    rows, killed = [], []
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        pids = client.run(os.getpid)

        def kill_a_busy_worker_once(new_rows):
            rows.extend(new_rows)
            if not killed:
                busy, tasks_on_it = max(client.processing().items(), key=lambda i: len(i[1]))
                os.kill(pids[busy], signal.SIGKILL)
                killed.append(len(tasks_on_it))

        execute(tasks, DaskBackend(client), kill_a_busy_worker_once, min_task_s=0.3)
    assert killed[0] > 0, "the worker killed had tasks to lose"
    runs = _comparable(pd.DataFrame(rows))
    assert runs["run_key"].is_unique
    assert sorted(runs["run_key"]) == sorted(task.key for task in tasks)
    pd.testing.assert_frame_equal(runs, in_process(tasks))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def _dask(*arguments: str) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "dask"), *arguments]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_sweep_runs_on_a_dask_scheduler_and_two_workers_of_their_own(tmp_path):
    address = f"tcp://{LOCALHOST}:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    scheduler = _dask("scheduler", "--host", LOCALHOST, "--port", port, "--no-dashboard")
    workers = [
        _dask("worker", address, "--host", LOCALHOST, "--nthreads", "1", "--no-dashboard")
        for _ in range(2)
    ]
    try:
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        path = tiny_experiment(tmp_path)
        assert main(["sweep", str(path), "--out", str(tmp_path / "a"), "--scheduler", address]) == 0
    finally:
        for process in [*workers, scheduler]:
            process.terminate()
        for process in [*workers, scheduler]:
            process.wait(timeout=30)
    tasks = plan(load_experiment(path), path)
    stored = Store(tmp_path / "a").runs()
    pd.testing.assert_frame_equal(_comparable(stored), in_process(tasks), check_dtype=False)


def test_an_unreachable_scheduler_from_the_environment_is_a_clear_error(
    tmp_path, capsys, monkeypatch
):
    path = tiny_experiment(tmp_path)
    address = f"tcp://{LOCALHOST}:{_free_port()}"
    monkeypatch.setattr(backends, "CONNECT_TIMEOUT", "1s")
    monkeypatch.setenv(SCHEDULER_VARIABLE, address)  # no --scheduler: the environment's
    assert main(["sweep", str(path), "--out", str(tmp_path / "s")]) == 2
    assert f"--scheduler {address}: cannot reach it" in capsys.readouterr().err


def test_dask_local_starts_a_cluster_for_the_sweep(tmp_path):
    path = tiny_experiment(tmp_path, replications=1)
    out = tmp_path / "store"
    assert main(["sweep", str(path), "--out", str(out), "--dask-local", "--workers", "1"]) == 0
    tasks = plan(load_experiment(path), path)
    stored = _comparable(Store(out).runs())
    pd.testing.assert_frame_equal(stored, in_process(tasks), check_dtype=False)
