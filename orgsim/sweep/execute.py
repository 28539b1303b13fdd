"""Running a sweep's runs on any ``concurrent.futures.Executor``, losing none.

Runs are sent in groups sized so that each task lasts at least ``min_task_s`` (a
Dask task costs about 2 ms of overhead on 2 cores, a process pool's about 0.1 ms),
with a few tasks per worker in flight for balance. Each finished group goes to
``on_rows`` at once (the store writes it). A run that raises is a row with its
error; a group lost with its worker (a process pool broken by a crash, a killed
Dask worker) is sent again, run by run, and recorded as failed after
``MAX_ATTEMPTS``. Which executor runs a task never changes its result: every run
is fixed by its scenario and seed alone.

The functions sent to workers are top-level and picklable: ``import mesa`` makes
multiprocessing spawn its workers, which import them by name.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, wait
from typing import Any, Protocol

from orgsim import __version__
from orgsim.results.run import SimulationResult, simulate
from orgsim.results.run_logs import RunLogs
from orgsim.scenario.limits import MAX_REQUESTS
from orgsim.scenario.schema import Scenario
from orgsim.sweep.points import RunTask

MAX_ATTEMPTS = 3
"""Times a run may be lost with its worker before it is recorded as failed."""

Runner = Callable[[Scenario, int], dict[str, float]]
"""What a run computes: its numeric figures from a scenario and a seed."""

Row = dict[str, Any]


SERIES = "_timeseries"
"""The key under which a run's daily series travel with its row to the store."""


def simulate_figures(
    scenario: Scenario, seed: int, max_requests: int = MAX_REQUESTS
) -> dict[str, float]:
    """Every numeric figure of the run's summary, as floats (the seed is a column)."""
    return _figures(simulate(scenario, seed=seed, max_requests=max_requests).summary)


def simulate_with_series(
    scenario: Scenario, seed: int, max_requests: int = MAX_REQUESTS
) -> dict[str, Any]:
    """The figures, and the DataCollector's series (one record per day) under SERIES."""
    return _with_series(simulate(scenario, seed=seed, max_requests=max_requests))


def _with_series(result: SimulationResult) -> dict[str, Any]:
    series = result.timeseries.reset_index(drop=True).astype(float)
    return _figures(result.summary) | {SERIES: series.assign(step=series.index).to_dict("records")}


def simulate_logged(
    scenario: Scenario,
    seed: int,
    logs: RunLogs,
    series: bool = False,
    max_requests: int = MAX_REQUESTS,
) -> dict[str, Any]:
    """The figures (and the series if ``series``), the run's event log written first.

    The log is named by the point's base, its scenario's digest and the seed
    (``BASE_DIGEST_seedSEED``), unique in the store. A log that cannot be written
    fails the run (its row holds the error): the run was asked for with its log.
    """
    result = simulate(scenario, seed=seed, max_requests=max_requests, trace=True)
    written = logs.write(result.events, scenario, seed, f"{scenario.name}_{scenario.digest()[:12]}")
    if "event_log_error" in written:
        raise OSError(f"event log not written: {written['event_log_error']}")
    return _with_series(result) if series else _figures(result.summary)


def _figures(summary: dict[str, Any]) -> dict[str, float]:
    return {
        key: float(value)
        for key, value in summary.items()
        if isinstance(value, int | float) and not isinstance(value, bool) and key != "seed"
    }


def run_group(tasks: Sequence[RunTask], runner: Runner = simulate_figures) -> list[Row]:
    """Run each task in turn and return one row each; a run that raises is a row too."""
    return [_run_one(task, runner) for task in tasks]


def _run_one(task: RunTask, runner: Runner) -> Row:
    start = time.perf_counter()
    try:
        figures, error = runner(task.scenario, task.seed), None
    except Exception as exc:  # any fault of one run is its row's, not the sweep's
        figures, error = {}, f"{type(exc).__name__}: {exc}"
    return make_row(task, figures, time.perf_counter() - start, error)


def make_row(task: RunTask, figures: dict[str, float], wall_s: float, error: str | None) -> Row:
    """One stored row: identity, varied parameters, figures, wall time and error."""
    return {
        "run_key": task.key,
        "base": task.base,
        "point": task.point,
        "replication": task.replication,
        "seed": task.seed,
        **task.params,
        "scenario_hash": task.digest or task.scenario.digest(),
        "orgsim_version": __version__,
        **figures,
        "wall_time_s": wall_s,
        "error": error,
    }


class Backend(Protocol):
    """Where tasks run: an executor, how many tasks to keep in it, and a way to renew it."""

    def executor(self) -> Executor:
        """The executor to submit to."""
        ...

    def rebuild(self) -> Executor:
        """A working executor after the current one broke."""
        ...

    def slots(self) -> int:
        """Tasks to keep in flight: a few per worker, so none waits idle."""
        ...


class _Batcher:
    """Forms groups lasting at least ``min_task_s``, from the measured time per run."""

    def __init__(self, min_task_s: float) -> None:
        self.min_task_s = min_task_s
        self.seconds_per_run: float | None = None

    def learn(self, rows: Sequence[Row]) -> None:
        mean = sum(row["wall_time_s"] for row in rows) / len(rows)
        old = self.seconds_per_run
        self.seconds_per_run = mean if old is None else 0.7 * old + 0.3 * mean

    def size(self, remaining: int, slots: int) -> int:
        if not self.seconds_per_run:
            return 1  # measure first
        wanted = math.ceil(self.min_task_s / self.seconds_per_run)
        return max(1, min(wanted, math.ceil(remaining / slots)))


def execute(
    tasks: Sequence[RunTask],
    backend: Backend,
    on_rows: Callable[[list[Row]], None],
    runner: Runner = simulate_figures,
    min_task_s: float = 0.1,
    max_attempts: int = MAX_ATTEMPTS,
) -> None:
    """Run every task on ``backend``, handing each finished group's rows to ``on_rows``.

    Runs lost with a worker become suspects: they are sent again one at a time with
    nothing else in flight, so that a run that kills its worker is told apart from
    the runs that merely shared the pool with it.
    """
    pending: deque[RunTask] = deque(tasks)
    suspects: deque[RunTask] = deque()
    attempts: dict[str, int] = {}
    flight: dict[Future, list[RunTask]] = {}
    batcher = _Batcher(min_task_s)
    executor = backend.executor()
    while pending or suspects or flight:
        broken = _fill(executor, flight, pending, suspects, batcher, backend.slots(), runner)
        if not flight:
            executor = backend.rebuild()
            continue
        done, _ = wait(flight, return_when=FIRST_COMPLETED)
        for future in done:
            group = flight.pop(future)
            try:
                rows = future.result()
            except Exception as exc:  # the group was lost with its worker, not by a run
                broken |= isinstance(exc, BrokenExecutor)
                _retry(group, exc, attempts, max_attempts, suspects, on_rows)
                continue
            batcher.learn(rows)
            on_rows(rows)
        if broken:
            for group in flight.values():  # the rest of a broken pool's tasks are lost too
                suspects.extend(group)
            flight.clear()
            executor = backend.rebuild()


def _fill(
    executor: Executor,
    flight: dict[Future, list[RunTask]],
    pending: deque[RunTask],
    suspects: deque[RunTask],
    batcher: _Batcher,
    slots: int,
    runner: Runner,
) -> bool:
    """Submit groups until ``slots`` are in flight; return whether the executor is broken."""
    while True:
        alone = bool(suspects)
        if alone:
            if flight:
                return False  # a suspect runs alone
            group = [suspects.popleft()]
        elif pending and len(flight) < slots:
            size = batcher.size(len(pending), slots)
            group = [pending.popleft() for _ in range(min(size, len(pending)))]
        else:
            return False
        try:
            flight[executor.submit(run_group, group, runner)] = group
        except BrokenExecutor:  # it broke before its failed tasks were collected
            suspects.extendleft(reversed(group))
            return True
        if alone or len(flight) >= slots:
            return False


def _retry(
    group: list[RunTask],
    exc: BaseException,
    attempts: dict[str, int],
    max_attempts: int,
    suspects: deque[RunTask],
    on_rows: Callable[[list[Row]], None],
) -> None:
    """Send a lost group's runs again, one by one; record those lost too often."""
    failed = []
    for task in group:
        attempts[task.key] = attempts.get(task.key, 0) + 1
        if attempts[task.key] >= max_attempts:
            reason = f"lost with its worker {max_attempts} times: {type(exc).__name__}: {exc}"
            failed.append(make_row(task, {}, 0.0, reason))
        else:
            suspects.append(task)
    if failed:
        on_rows(failed)
