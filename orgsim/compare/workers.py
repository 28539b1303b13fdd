"""Running a comparison's jobs: in this process, or in a pool that dies with it.

A spawned worker pays for its start (a fresh interpreter importing pandas, Mesa and
orgsim: about 2-3 s here) before its first run, so a pool is started only when the
work left, timed on the first run, pays for it; otherwise every run is done in this
process. Workers receive the scenarios once, when they start, and then only
(scenario index, seed) per job; each run's record comes back as soon as it ends.

A worker dies with the process that started it: on Linux the kernel kills it when
its parent dies (``prctl(PR_SET_PDEATHSIG)``), elsewhere a watchdog thread notices
that its parent has changed. So a comparison killed with SIGKILL leaves no worker
behind, and the resource tracker, whose last writers are gone, exits too.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from orgsim.compare.extract import run_record
from orgsim.processes import die_with
from orgsim.results.machine import cores
from orgsim.results.run_logs import RunLogs
from orgsim.scenario.errors import ScenarioError
from orgsim.scenario.schema import Scenario

STARTUP_S = 3.0
"""Seconds a spawned worker takes before its first run (measured: 2-3 s on 2 idle cores).

The environment variable ``ORGSIM_WORKER_START_S`` replaces it; 0 starts a pool whenever
more than one worker is allowed, busy machine or not (the tests use it)."""


@dataclass(frozen=True)
class Job:
    """One run to do: which scenario (by its place in the comparison) and which seed."""

    scenario: int
    seed: int


def run_jobs(
    scenarios: Sequence[Scenario],
    hashes: Sequence[str],
    jobs: Sequence[Job],
    workers: int,
    on_record: Callable[[dict[str, Any]], object],
    startup_s: float | None = None,
    logs: RunLogs | None = None,
) -> int:
    """Run ``jobs``, calling ``on_record`` with each record as its run ends.

    Args:
        scenarios: the compared scenarios; a job names one by its index.
        hashes: their hashes, in the same order.
        jobs: the runs to do.
        workers: at most this many processes (capped at the cores and the jobs).
        on_record: called in this process, in the order runs end.
        startup_s: a worker's start-up cost, against which the work is weighed
            (default :data:`STARTUP_S`; 0 always starts a pool).
        logs: where each run writes its event log as it ends (None: no logs).

    Returns:
        The number of worker processes used (1: all runs in this process).
    """
    queue = list(jobs)
    workers = max(1, min(workers, cores(), len(queue)))
    if workers > 1:
        first = _run(scenarios, hashes, queue.pop(0), logs)
        on_record(first)
        cost = start_cost() if startup_s is None else startup_s
        if cost > 0:
            workers = min(workers, idle_cores())
        workers = _worth(workers, len(queue), first["wall_s"], cost)
    if workers <= 1:
        for job in queue:
            on_record(_run(scenarios, hashes, job, logs))
        return 1
    _run_pool(scenarios, hashes, queue, workers, on_record, logs)
    return workers


def start_cost() -> float:
    """A worker's start-up cost: :data:`STARTUP_S`, or ``ORGSIM_WORKER_START_S``."""
    text = os.environ.get("ORGSIM_WORKER_START_S", "")
    try:
        return max(0.0, float(text)) if text else STARTUP_S
    except ValueError:
        return STARTUP_S


def idle_cores() -> int:
    """Cores not busy with other work: the cores less the 1-minute load beyond ours.

    On a shared machine a second worker only competes with others' processes for the
    same cores (measured: 40 runs of 400 days took 15 s alone and 29 s with two
    workers at a load of 7 on 2 cores), so the pool is sized to what is free.
    """
    try:
        others = max(0.0, os.getloadavg()[0] - 1.0)  # this process is running: 1
    except OSError:
        return cores()
    return max(1, min(cores(), round(cores() - others)))


def _worth(workers: int, left: int, run_s: float, startup_s: float) -> int:
    """The most workers that pay for their start (1: none do).

    ``w`` workers finish ``left`` runs in about ``startup_s + left * run_s / w``, against
    ``left * run_s`` in this process alone.
    """
    work_s = left * run_s
    best = 1
    for w in range(2, min(workers, left) + 1):
        if startup_s + work_s / w < work_s:
            best = w
    return best


def _run(
    scenarios: Sequence[Scenario], hashes: Sequence[str], job: Job, logs: RunLogs | None
) -> dict[str, Any]:
    return run_record(scenarios[job.scenario], hashes[job.scenario], job.seed, logs)


def _run_pool(
    scenarios: Sequence[Scenario],
    hashes: Sequence[str],
    jobs: Sequence[Job],
    workers: int,
    on_record: Callable[[dict[str, Any]], object],
    logs: RunLogs | None,
) -> None:
    # spawn, as Mesa's batch_run: forking a process with threads can deadlock
    spawn = multiprocessing.get_context("spawn")
    setup = (os.getpid(), list(scenarios), list(hashes), logs)
    pool = ProcessPoolExecutor(workers, spawn, initializer=_start_worker, initargs=setup)
    try:
        pending: set[Future] = {pool.submit(_work, job) for job in jobs}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_record(future.result())
    except BrokenProcessPool:
        raise ScenarioError(
            "a worker process died (killed, or out of memory?); the runs finished so far "
            "are kept: run the same command again to resume, with fewer --workers"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_SCENARIOS: list[Scenario] = []
_HASHES: list[str] = []
_LOGS: list[RunLogs | None] = [None]


def _start_worker(
    parent: int, scenarios: list[Scenario], hashes: list[str], logs: RunLogs | None
) -> None:
    """A worker's start: die with ``parent``, leave Ctrl-C to it, keep the scenarios."""
    die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the pool
    _SCENARIOS[:], _HASHES[:], _LOGS[:] = scenarios, hashes, [logs]


def _work(job: Job) -> dict[str, Any]:
    return _run(_SCENARIOS, _HASHES, job, _LOGS[0])
