"""A sweep from file to store: design, validate every point, skip stored runs, execute."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from orgsim.results import run_logs
from orgsim.results.files import ready_folder
from orgsim.results.run_logs import RunLogs
from orgsim.scenario import limits
from orgsim.scenario.errors import ScenarioError
from orgsim.sweep.backends import backend
from orgsim.sweep.design import load_experiment
from orgsim.sweep.execute import (
    Row,
    Runner,
    execute,
    simulate_figures,
    simulate_logged,
    simulate_with_series,
)
from orgsim.sweep.points import RunTask, plan
from orgsim.sweep.store import Store


@dataclass(frozen=True)
class SweepReport:
    """What a sweep did: runs in the design, found stored already, run now, failed now."""

    total: int
    stored_before: int
    ran: int
    failed: int
    quarantined: tuple[str, ...] = ()


def run_sweep(
    source: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: bool = False,
    resume: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_rows: Callable[[list[Row]], None] | None = None,
    runner: Runner = simulate_figures,
    max_runs: int = limits.MAX_RUNS,
    max_requests: int = limits.MAX_REQUESTS,
    event_logs: bool = False,
    event_log_format: str = "xes.gz",
) -> SweepReport:
    """Run the experiment in ``source`` into the store ``out``.

    Every point is resolved and validated before the first run; with ``resume``,
    runs whose key is stored already are skipped.

    Args:
        source: the experiment file.
        out: the store's folder.
        workers: local worker processes (default: the machine's cores).
        scheduler: a Dask scheduler's address (or ``DASK_SCHEDULER_ADDRESS``).
        dask_local: run on a Dask ``LocalCluster`` of ``workers`` processes.
        resume: continue a sweep stored in ``out``.
        on_start: told how many runs are to be made, before the first.
        on_rows: told of each group of rows once it is stored (progress).
        runner: what a run computes (a stand-in in tests; picklable, top-level).
        max_runs: refuse a design of more runs (points x bases x replications).
        max_requests: refuse a design with a run expected to do more work; checked
            for every point before the first run, so the runs themselves are let be.
        event_logs: write every run's event log into ``out/event_logs/`` as it ends
            (:func:`orgsim.sweep.execute.simulate_logged`); sizes checked first, local
            workers only (a remote Dask worker would write on its own machine).
        event_log_format: ``xes.gz`` (default), ``csv.gz``, ``xes`` or ``csv``.

    Raises:
        ScenarioError: the experiment, a point, the options or the folder are unusable.
    """
    experiment = load_experiment(source)
    max_runs = limits.check_count(max_runs, "max_runs")
    max_requests = limits.check_count(max_requests, "max_requests")
    tasks = plan(experiment, source, max_runs, max_requests)
    if runner is simulate_figures and "timeseries" in experiment.keep:
        runner = simulate_with_series
    logs = _run_logs(tasks, out, scheduler, event_logs, event_log_format)
    if logs is not None and runner in (simulate_figures, simulate_with_series):
        series = runner is simulate_with_series
        runner = partial(simulate_logged, logs=logs, series=series, max_requests=max_requests)
    if runner in (simulate_figures, simulate_with_series) and max_requests != limits.MAX_REQUESTS:
        runner = partial(runner, max_requests=max_requests)  # picklable
    with backend(workers, scheduler, dask_local) as where:  # options checked first
        store = Store(out)
        store.open(experiment, source, resume, layout(tasks))
        with store:
            if logs is not None:
                ready_folder(logs.folder, "--event-logs")
            stored = store.keys()
            todo = [task for task in tasks if task.key not in stored]
            if on_start:
                on_start(len(todo))
            failed = 0

            def save(rows: list[Row]) -> None:
                nonlocal failed
                store.write(rows)
                failed += sum(row["error"] is not None for row in rows)
                if on_rows:
                    on_rows(rows)

            execute(todo, where, save, runner=runner)
    report = SweepReport(len(tasks), len(tasks) - len(todo), len(todo), failed)
    return replace(report, quarantined=tuple(store.quarantined))


def _run_logs(
    tasks: list[RunTask], out: str | Path, scheduler: str | None, wanted: bool, fmt: str
) -> RunLogs | None:
    """Where the runs' logs go, checked before the store is touched; None: no logs."""
    if not wanted:
        return None
    if scheduler is not None:
        raise ScenarioError(
            "--event-logs with --scheduler: each Dask worker would write its logs on its "
            "own machine; sweep on local workers (or --dask-local) to keep event logs"
        )
    logs = RunLogs(Path(out) / "event_logs", run_logs.check_format(fmt, "--event-log-format"))
    run_logs.check_sizes([(task.scenario, 1) for task in tasks], "--event-logs")
    return logs


def layout(tasks: list[RunTask]) -> dict[str, int]:
    """Design points per base."""
    points: dict[str, int] = {}
    for task in tasks:
        points[task.base] = max(points.get(task.base, 0), task.point + 1)
    return points
