"""A sweep from file to store: design, validate every point, skip stored runs, execute."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from orgsim.scenario import limits
from orgsim.sweep.backends import backend
from orgsim.sweep.design import load_experiment
from orgsim.sweep.execute import Row, Runner, execute, simulate_figures, simulate_with_series
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

    Raises:
        ScenarioError: the experiment, a point, the options or the folder are unusable.
    """
    experiment = load_experiment(source)
    max_runs = limits.check_count(max_runs, "max_runs")
    max_requests = limits.check_count(max_requests, "max_requests")
    tasks = plan(experiment, source, max_runs, max_requests)
    if runner is simulate_figures and "timeseries" in experiment.keep:
        runner = simulate_with_series
    if runner in (simulate_figures, simulate_with_series) and max_requests != limits.MAX_REQUESTS:
        runner = partial(runner, max_requests=max_requests)  # picklable
    with backend(workers, scheduler, dask_local) as where:  # options checked first
        store = Store(out)
        store.open(experiment, source, resume, layout(tasks))
        with store:
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


def layout(tasks: list[RunTask]) -> dict[str, int]:
    """Design points per base."""
    points: dict[str, int] = {}
    for task in tasks:
        points[task.base] = max(points.get(task.base, 0), task.point + 1)
    return points
