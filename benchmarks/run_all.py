"""Run every benchmark, for CI at ``--tiny`` size so that none of them can rot.

``python benchmarks/run_all.py --tiny`` runs each benchmark once at a tiny size (well
under a minute in all) and exits with status 1 if any of them raised. Without
``--tiny`` it runs them all at full size, which takes several minutes.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable

import approval_chain
import big_run
import calibrate_log
import compare_workers
import memory
import profile_chain
import scaling
import startup
import sweep_store
import sweep_throughput
import ui_fps
import uneven_chart

BENCHMARKS: dict[str, Callable[[list[str] | None], None]] = {
    "approval_chain": approval_chain.main,
    "scaling": scaling.main,
    "memory": memory.main,
    "big_run": big_run.main,
    "profile_chain": profile_chain.main,
    "compare_workers": compare_workers.main,
    "startup": startup.main,
    "sweep_throughput": sweep_throughput.main,
    "sweep_store": sweep_store.main,
    "calibrate_log": calibrate_log.main,
    "uneven_chart": uneven_chart.main,
    "ui_fps": ui_fps.main,  # needs /usr/bin/chromium (.ci/install-browser)
}


def run(name: str, entry: Callable[[list[str] | None], None], argv: list[str]) -> bool:
    """Run one benchmark, reporting its failure instead of raising it.

    Args:
        name: The benchmark's name.
        entry: Its ``main``.
        argv: Arguments passed on.

    Returns:
        Whether it ran without an exception.
    """
    print(f"=== {name} {' '.join(argv)}", flush=True)
    start = time.perf_counter()
    try:
        entry(argv)
    except Exception:
        traceback.print_exc()
        print(f"=== {name}: FAILED", flush=True)
        return False
    print(f"=== {name}: ok in {time.perf_counter() - start:.1f} s\n", flush=True)
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and return the exit status.

    Args:
        argv: Arguments, or ``None`` for ``sys.argv[1:]``.

    Returns:
        0 if every benchmark ran, 1 otherwise.
    """
    parser = argparse.ArgumentParser(description="Run every benchmark.")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--only", choices=BENCHMARKS, action="append", help="run just these")
    args = parser.parse_args(argv)
    passed = ["--tiny"] if args.tiny else []
    chosen = args.only or list(BENCHMARKS)
    failed = [name for name in chosen if not run(name, BENCHMARKS[name], passed)]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
