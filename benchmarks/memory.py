"""Benchmark 3: peak memory per simulated request, with the per-request log and without.

The workload is the approval chain of :mod:`approval_chain` (a million requests by
default). Each configuration runs in a fresh interpreter. The child builds the
model, collects garbage, resets the kernel's peak-RSS mark (``/proc/self/clear_refs``)
and notes its RSS; the peak RSS above that, divided by the requests created, is the
figure: once just after ``model.run()`` (the run), once after gathering the result
(``collect``: the request DataFrame and the summary, what :func:`orgsim.simulate`
adds). A second child per configuration measures the same with ``tracemalloc``
(Python-level allocations only, numpy included; slower, but free of page and
allocator granularity) as a cross-check.

Run ``python benchmarks/memory.py --requests 1000000``.
"""

from __future__ import annotations

import gc
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    current_rss,
    make_parser,
    peak_rss,
    print_table,
    reset_peak_rss,
    run_child,
    tandem_scenario,
    target,
)

from orgsim import OrgModel
from orgsim.results.run import collect

METHODS = ("rss", "tracemalloc")
PHASES = {"peak_run": "model.run()", "peak_collect": "simulate() (run + result)"}


def _rss_probe() -> tuple[Callable[[], None], Callable[[], int]]:
    """Return ``(start, peak)`` for the peak RSS above the RSS at ``start``."""
    base = [0]

    def start() -> None:
        reset_peak_rss()
        base[0] = current_rss()

    return start, lambda: peak_rss() - base[0]


def _tracemalloc_probe() -> tuple[Callable[[], None], Callable[[], int]]:
    """Return ``(start, peak)`` for the peak of traced allocations since ``start``."""
    return tracemalloc.start, lambda: tracemalloc.get_traced_memory()[1]


def measure(requests: int, keep_log: bool, method: str, seed: int) -> dict[str, Any]:
    """Build, run and gather one model, measuring its peak memory (runs in the child).

    Args:
        requests: Expected requests.
        keep_log: Keep the per-request log.
        method: ``"rss"`` or ``"tracemalloc"``.
        seed: The run's seed.

    Returns:
        Requests created, events, run seconds and peak bytes after run and after collect.
    """
    start, peak = _rss_probe() if method == "rss" else _tracemalloc_probe()
    model = OrgModel(tandem_scenario(requests), rng=seed, keep_log=keep_log)
    gc.collect()
    start()
    began = time.perf_counter()
    model.run()
    run_s = time.perf_counter() - began
    after_run = peak()
    collect(model)
    return {
        "requests": model.life.counts.created,
        "events": model.loop.processed,
        "run_s": run_s,
        "peak_run": after_run,
        "peak_collect": peak(),
        "rss_reset": reset_peak_rss() if method == "rss" else None,
    }


def _row(keep_log: bool, method: str, figures: dict[str, Any]) -> list[str]:
    n = figures["requests"]
    return [
        "kept" if keep_log else "off",
        method,
        f"{n:,}",
        f"{figures['run_s']:.1f}",
        f"{figures['peak_run'] / 2**20:.1f}",
        f"{figures['peak_run'] / n:.0f}",
        f"{figures['peak_collect'] / 2**20:.1f}",
        f"{figures['peak_collect'] / n:.0f}",
    ]


def main(argv: list[str] | None = None) -> None:
    """Measure every configuration in a fresh child process and print the table.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.
    """
    parser = make_parser("Peak memory per simulated request.", repeats=1)
    parser.add_argument("--requests", type=int, default=1_000_000, help="requests per run")
    parser.add_argument("--child", help=json.dumps({"requests": 10, "keep_log": True}))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(**json.loads(args.child))))
        return
    requests = 5_000 if args.tiny else args.requests
    rows, kept = [], {}
    for keep_log in (True, False):
        for method in METHODS:
            payload = {"requests": requests, "keep_log": keep_log, "method": method}
            figures = run_child(Path(__file__), payload | {"seed": args.seed})
            rows.append(_row(keep_log, method, figures))
            if keep_log and method == "rss":
                kept = figures
    print(f"memory: approval chain, N={requests:,}; peak above the built model, per request")
    headers = ["log", "method", "requests", "run s", "run MiB", "B/req", "+collect MiB", "B/req"]
    print_table(headers, rows)
    if not kept["rss_reset"]:
        print("  note: peak RSS could not be reset; the RSS figures are peaks since start-up")
    for phase, label in PHASES.items():
        per_request = kept[phase] / kept["requests"]
        target(f"peak RSS/request, log kept, {label}", per_request, per_request < 300, "< 300 B")


if __name__ == "__main__":
    main()
