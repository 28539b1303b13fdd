"""Benchmark 4: one simulated year of an organisation of 10,000 employees.

A shipped scenario (the hierarchy by default) with as many teams of its size as make
``--employees`` employees (customers and managers follow, demand per customer stays
the same), run for ``--days`` working days (260: 52 weeks of 5 days) in a fresh child
process, the per-request log kept. The child reports build, run and gather (collect)
times, events, requests and its peak RSS, absolute and above the interpreter with
everything imported (before the scenario is read).

Run ``python benchmarks/big_run.py``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from common import (
    DEFAULT_SCENARIOS,
    current_rss,
    make_parser,
    peak_rss,
    print_table,
    reset_peak_rss,
    run_child,
    run_orgsim,
    scenario_path,
    target,
    team_shape,
)

TARGET_S = 60.0


def measure(scenario: str, employees: int, days: float, seed: int) -> dict[str, Any]:
    """Run the big organisation once and measure it (runs in the child).

    Args:
        scenario: Scenario stem.
        employees: Employees wanted (rounded up to whole teams).
        days: Working days simulated.
        seed: The run's seed.

    Returns:
        Headcounts, timings, events, requests and peak RSS figures.
    """
    _, size = team_shape(scenario)
    overrides = {"structure.teams.count": math.ceil(employees / size), "run.days": days}
    reset_peak_rss()
    base = current_rss()
    run = run_orgsim(scenario_path(scenario), seed, overrides, keep_model=True)
    assert run.model is not None
    peak = peak_rss()
    return {
        "employees": len(run.model.org.employees),
        "managers": len(run.model.org.managers),
        "customers": len(run.model.customers),
        "build_s": run.build_s,
        "run_s": run.run_s,
        "collect_s": run.collect_s,
        "events": run.events,
        "requests": run.requests,
        "peak_mib": peak / 2**20,
        "peak_above_mib": (peak - base) / 2**20,
    }


def _row(name: str, f: dict[str, Any]) -> list[str]:
    total = f["build_s"] + f["run_s"] + f["collect_s"]
    return [
        name,
        f"{f['employees']:,}/{f['managers']:,}/{f['customers']:,}",
        f"{f['requests']:,}",
        f"{f['events']:,}",
        f"{f['build_s']:.1f}",
        f"{f['run_s']:.1f}",
        f"{f['collect_s']:.1f}",
        f"{total:.1f}",
        f"{f['events'] / f['run_s']:,.0f}",
        f"{f['peak_mib']:,.0f}",
        f"{f['peak_above_mib']:,.0f}",
    ]


def main(argv: list[str] | None = None) -> None:
    """Run the big organisation of each scenario in a child process and print the table.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.
    """
    parser = make_parser("One simulated year of a 10,000-employee organisation.", repeats=1)
    parser.add_argument("--employees", type=int, default=10_000, help="employees wanted")
    parser.add_argument("--days", type=float, default=260.0, help="working days simulated")
    parser.add_argument(
        "--scenario", choices=DEFAULT_SCENARIOS, action="append", help="default: hierarchy"
    )
    parser.add_argument("--child", help=json.dumps({"scenario": "hierarchy", "employees": 10}))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(**json.loads(args.child))))
        return
    employees, days = (120, 20.0) if args.tiny else (args.employees, args.days)
    rows, slowest = [], 0.0
    for name in args.scenario or ["hierarchy"]:
        for r in range(args.repeats):
            payload = {"scenario": name, "employees": employees, "days": days}
            figures = run_child(Path(__file__), payload | {"seed": args.seed + r})
            rows.append(_row(name, figures))
            slowest = max(slowest, figures["build_s"] + figures["run_s"] + figures["collect_s"])
    print(f"big run: {employees:,} employees, {days:g} working days, log kept, one child per run")
    headers = ["scenario", "empl/mgr/cust", "requests", "events", "build s", "run s"]
    headers += ["collect s", "total s", "events/s", "peak MiB", "above MiB"]
    print_table(headers, rows)
    target("wall time of the slowest run, s", slowest, slowest < TARGET_S, "< 60 s")


if __name__ == "__main__":
    main()
