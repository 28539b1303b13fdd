"""Benchmark: ``orgsim compare`` with 1 worker against 2, and against a forced pool.

The same comparison (both shipped scenarios, ``--replications`` each, ``--days``)
runs three ways per round, the rounds interleaved: ``--workers 1``; ``--workers 2``
as users get it (a pool only when the first run's time says the rest pays for the
workers' start, on the cores that others leave idle); and ``--workers 2`` with a pool
forced (``ORGSIM_WORKER_START_S=0``), to
show what a pool costs on work too small for it (not with ``--tiny``). Results must be
identical (checked);
the table gives median wall time, the processes used and the ratio to 1 worker. The
report is not written (its figures cost the same whatever the workers).

Run ``python benchmarks/compare_workers.py --repeats 3``; the default comparison is
``orgsim compare``'s (20 replications of 90 days); ``--days 400`` gives runs long enough
for a pool to pay for itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from common import make_parser, median, median_ratio, print_table, scenario_path

from orgsim.compare import api
from orgsim.compare.comparison import Comparison
from orgsim.compare.defaults import DEFAULT_REPLICATIONS

START = "ORGSIM_WORKER_START_S"  # 0: a pool whenever 2 workers are allowed


def timed(replications: int, days: float, count: int, startup_s: float | None) -> Callable:
    """A job for one round: the comparison's wall time, processes used, and its runs."""

    def job(seed: int) -> tuple[float, int, Comparison]:
        paths = [scenario_path("hierarchy"), scenario_path("self_managing")]
        saved = os.environ.pop(START, None)
        if startup_s is not None:
            os.environ[START] = str(startup_s)
        try:
            start = time.perf_counter()
            result = api.compare(paths, replications=replications, days=days, seed=seed,
                                 workers=count)  # fmt: skip
            return time.perf_counter() - start, result.workers, result
        finally:
            os.environ.pop(START, None)
            if saved is not None:
                os.environ[START] = saved

    return job


def main(argv: list[str] | None = None) -> None:
    parser = make_parser(__doc__.splitlines()[0], repeats=3)
    parser.add_argument("--replications", type=int, default=DEFAULT_REPLICATIONS)
    parser.add_argument("--days", type=float, default=90)
    args = parser.parse_args(argv)
    if args.tiny:
        args.replications, args.days, args.repeats = 2, 15, 1
    jobs = {
        "--workers 1": timed(args.replications, args.days, 1, None),
        "--workers 2": timed(args.replications, args.days, 2, None),
    }
    if not args.tiny:  # a forced pool's start costs seconds: not for CI's smoke run
        jobs["--workers 2, pool forced"] = timed(args.replications, args.days, 2, 0.0)
    results: dict[str, list] = {name: [] for name in jobs}
    for r in range(args.repeats):  # interleaved: a slow spell hits every contender
        for name, job in jobs.items():
            results[name].append(job(args.seed + r))
    columns = [c for c in results["--workers 1"][0][2].runs if c != "wall_s"]
    for name, rounds in results.items():
        for (_, _, one), (_, _, other) in zip(results["--workers 1"], rounds, strict=True):
            assert one.runs[columns].equals(other.runs[columns]), f"{name}: results differ"
    alone = [t for t, _, _ in results["--workers 1"]]
    runs = 2 * args.replications
    print(f"{runs} runs of {args.days:g} days, median of {args.repeats} round(s); results equal")
    rows = []
    for name, rounds in results.items():
        times = [t for t, _, _ in rounds]
        rows.append(
            [name, f"{median(times):.2f}", str(rounds[0][1]), f"{median_ratio(times, alone):.2f}"]
        )
    print_table(["contender", "wall s", "processes", "ratio to 1 worker"], rows)


if __name__ == "__main__":
    main()
