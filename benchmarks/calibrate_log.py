"""Benchmark 10: calibrating a scenario on a log of a million events.

A long run of the hierarchy, no customer leaving (as many working days as make
``--events`` events), is exported as an event log (``--format``: csv.gz by default, or
xes.gz); then a fresh child process calibrates a scenario on it
(``orgsim.calibrate.api.calibrate``: read, check, estimate, write) and reports its time
and peak RSS (absolute, and above the interpreter with everything imported).
Target: under a minute for a million events.

Run ``python benchmarks/calibrate_log.py``; ``--tiny`` for 20,000 events.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    current_rss,
    make_parser,
    peak_rss,
    print_table,
    reset_peak_rss,
    run_child,
    target,
)

TARGET_S = 60.0
EVENTS_PER_DAY = 250  # the hierarchy: about 50 requests a day, 5 events each
NO_CHURN = {"satisfaction.churn": {"yearly_base_rate": None, "probability": 0}}
"""No customer leaves: demand stays, and events grow with the days."""


def export(events: int, path: Path, seed: int) -> tuple[int, float]:
    """Simulate the hierarchy long enough for ``events`` events and write its event log."""
    from orgsim.results.event_log import Calendar, to_event_log, write_event_log
    from orgsim.results.run import simulate

    days = max(events / EVENTS_PER_DAY, 12)
    start = time.perf_counter()
    result = simulate(
        Path(__file__).resolve().parents[1] / "scenarios" / "hierarchy.yaml", seed=seed,
        days=days, trace=True, max_requests=10**8,
        overrides=NO_CHURN,
    )  # fmt: skip
    write_event_log(to_event_log(result.events, Calendar()), path)
    return len(result.events), time.perf_counter() - start


def measure(log: str, out: str) -> dict[str, Any]:
    """Calibrate on ``log`` (runs in the child)."""
    from orgsim.calibrate.api import LogOptions, calibrate

    reset_peak_rss()
    base = current_rss()
    start = time.perf_counter()
    calibrate(log, out, LogOptions(kind_attribute="kind"))
    return {
        "seconds": time.perf_counter() - start,
        "peak_mb": peak_rss() / 2**20,
        "above_mb": (peak_rss() - base) / 2**20,
    }


def main(argv: list[str] | None = None) -> None:
    """Export a log, calibrate on it in a child, print the figures and the target."""
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["--child"]:
        payload = json.loads(args_in[1])
        print(json.dumps(measure(payload["log"], payload["out"])))
        return
    parser = make_parser(__doc__.splitlines()[0], repeats=1)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["csv.gz", "xes.gz"], default="csv.gz")
    args = parser.parse_args(args_in)
    events = 20_000 if args.tiny else args.events
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / f"run.{args.format}"
        written, export_s = export(events, log, args.seed)
        figures = run_child(Path(__file__), {"log": str(log), "out": str(Path(folder) / "c.yaml")})
        size_mb = log.stat().st_size / 2**20
    print_table(
        ["log", "events", "file (MB)", "export (s)", "calibrate (s)", "peak (MB)", "above (MB)"],
        [[args.format, f"{written:,}", f"{size_mb:.1f}", f"{export_s:.1f}",
          f"{figures['seconds']:.1f}", f"{figures['peak_mb']:.0f}", f"{figures['above_mb']:.0f}"]],
    )  # fmt: skip
    if not args.tiny:
        seconds = figures["seconds"] * 1_000_000 / written
        target("calibrate s per million events", seconds, seconds < TARGET_S, f"< {TARGET_S:g}")


if __name__ == "__main__":
    main()
