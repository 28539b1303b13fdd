"""Benchmark 6: sweep throughput, process pool and Dask, 1 and 2 workers, against a loop.

Runs the same ``--runs`` hierarchy runs of ``--days`` days (about 1 s each at the
default 1800 days) through ``orgsim.sweep.execute`` on five contenders: a plain loop
over ``simulate`` in this process, a process pool of 1 and of 2 workers, and a Dask
``LocalCluster`` of 1 and of 2 workers. Each pool is started and warmed (its workers
have imported orgsim) before timing, so the figures are the steady state of a long
sweep, not the start-up. Rows go to a Parquet store as in ``orgsim sweep``. Rounds are
interleaved; the table gives medians, runs per second and the overhead per run against
the loop (``(time on 1 worker - loop time) / runs``). Target: 2 workers at least 1.8x
one worker on runs of a second or more. On a machine others load, two workers may not
find two free cores: the same contenders then run stand-in runs that sleep ``--sleep``
seconds (no CPU), which show what the executors themselves scale to.

Run ``python benchmarks/sweep_throughput.py --repeats 3``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path

from common import make_parser, median, median_ratio, print_table, scenario_path, target

from orgsim import load_scenario
from orgsim.scenario.schema import Scenario
from orgsim.sweep.backends import DaskBackend, ProcessBackend
from orgsim.sweep.design import Experiment
from orgsim.sweep.execute import Backend, Runner, execute, run_group, simulate_figures
from orgsim.sweep.points import RunTask
from orgsim.sweep.store import Store

SPEEDUP_TARGET = 1.8
DESIGN = Experiment.model_validate(
    {
        "name": "throughput",
        "bases": ["hierarchy.yaml"],
        "parameters": [{"name": "days", "path": "run.days", "values": [1800]}],
    }
)
"""What the store records as the design (the runs are made here, not planned from it)."""


def tasks_of(days: float, runs: int, seed: int) -> list[RunTask]:
    """``runs`` hierarchy runs of ``days`` days, seeds ``seed``, ``seed + 1``, ..."""
    changes = {"run.days": days, "run.warmup_days": min(10, days / 4)}
    scenario = load_scenario(scenario_path("hierarchy"), changes)
    return [
        RunTask(f"run{seed}-{i}", "hierarchy", i, 0, seed + i, {}, scenario) for i in range(runs)
    ]


def warmed(backend: Backend, warmup: list[RunTask]) -> Backend:
    """The backend after every worker has imported orgsim and made one short run."""
    execute(warmup * backend.slots(), backend, lambda rows: None)
    return backend


Sweep = Callable[[list[RunTask], Store, Runner], None]


def timed(sweep: Sweep, tasks: list[RunTask], runner: Runner) -> float:
    """Seconds to run ``tasks`` and store their rows, in a fresh store."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        store.open(DESIGN, folder, resume=False)
        with store:
            start = time.perf_counter()
            sweep(tasks, store, runner)
            return time.perf_counter() - start


def loop(tasks: list[RunTask], store: Store, runner: Runner) -> None:
    """The floor: each run in turn in this process, each row stored as it ends."""
    for task in tasks:
        store.write(run_group([task], runner))


def on(backend: Backend) -> Sweep:
    """A sweep of the tasks on ``backend``."""
    return lambda tasks, store, runner: execute(tasks, backend, store.write, runner=runner)


def sleeper(seconds: float, scenario: Scenario, seed: int) -> dict[str, float]:
    """A stand-in run that takes ``seconds`` of wall time and no CPU."""
    time.sleep(seconds)
    return {}


def main(argv: list[str] | None = None) -> None:
    from distributed import Client, LocalCluster

    parser = make_parser(__doc__.splitlines()[0], repeats=3)
    parser.add_argument("--runs", type=int, default=12, help="runs per sweep (12)")
    parser.add_argument("--days", type=float, default=1800, help="days per run (~1 s: 1800)")
    parser.add_argument("--sleep", type=float, default=1.0, help="stand-in run, seconds (1)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.runs, args.days, args.repeats, args.sleep = 4, 20, 1, 0.05
    warmup = tasks_of(5, 1, 0)
    with ExitStack() as stack:
        contenders = {"plain loop": loop}
        for workers in (1, 2):
            pool = ProcessBackend(workers)
            stack.callback(pool.close)
            contenders[f"process pool x{workers}"] = on(warmed(pool, warmup))
        for workers in (1, 2):
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
            )
            client = stack.enter_context(Client(cluster))
            contenders[f"dask x{workers}"] = on(warmed(DaskBackend(client), warmup))
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        seconds = rounds(contenders, args, lambda r: tasks_of(args.days, args.runs, r), None)
        report(f"{args.runs} orgsim runs of {args.days:g} days", seconds, args.runs)
        sleep = partial(sleeper, args.sleep)
        seconds = rounds(contenders, args, lambda r: tasks_of(5, args.runs, r), sleep)
        report(f"{args.runs} stand-in runs sleeping {args.sleep:g} s (no CPU)", seconds, args.runs)


def rounds(
    contenders: dict[str, Sweep],
    args: argparse.Namespace,
    tasks: Callable[[int], list[RunTask]],
    runner: Runner | None,
) -> dict[str, list[float]]:
    """Each contender's seconds per round, rounds interleaved."""
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    for r in range(args.repeats):
        batch = tasks(args.seed + 1000 * r)
        for name, sweep in contenders.items():
            seconds[name].append(timed(sweep, batch, runner or simulate_figures))
    return seconds


def report(title: str, seconds: dict[str, list[float]], runs: int) -> None:
    """Print runs per second, overhead per run against the loop, and the speed-ups."""
    base = seconds["plain loop"]
    rows = []
    for name, times in seconds.items():
        overhead = (median(times) - median(base)) / runs
        rows.append(
            [
                name,
                f"{median(times):.2f}",
                f"{runs / median(times):.2f}",
                f"{1000 * overhead:+.0f}" if "x2" not in name and name != "plain loop" else "",
            ]
        )
    print(f"{title}, median of {len(base)} rounds:")
    print_table(["contender", "seconds", "runs/s", "overhead ms/run vs loop"], rows)
    for kind in ("process pool", "dask"):
        speedup = median_ratio(seconds[f"{kind} x1"], seconds[f"{kind} x2"])
        target(f"{kind}: 2 workers / 1 worker", speedup, speedup >= SPEEDUP_TARGET, ">= 1.8")


if __name__ == "__main__":
    main()
