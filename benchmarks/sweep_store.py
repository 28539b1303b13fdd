"""Benchmark 10: a 100,000-run sweep store written, compacted and analysed.

Stand-in runs (figures computed at once from the parameters and the seed, no
simulation) fill the store of a grid over two bases (10 x 10 points each, 500
replications: 100,000 runs) through ``Store.write`` in groups of ``--group`` runs, as a
sweep's executor hands them over; then ``Store.compact`` rewrites the parts as one
file, and ``orgsim analyze`` reads it back (main effects, heat maps, paired contrasts,
noise). Times and the disk size before and after compaction are printed.

Run ``python benchmarks/sweep_store.py`` (``--tiny``: 2 x 2 points, 5 replications).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from common import SCENARIOS, print_table

from orgsim.sweep.analyze import analyze
from orgsim.sweep.design import load_experiment
from orgsim.sweep.execute import make_row
from orgsim.sweep.points import plan
from orgsim.sweep.runner import layout
from orgsim.sweep.store import Store


def experiment_file(folder: Path, levels: int, replications: int) -> Path:
    """A grid of ``levels`` x ``levels`` points over both shipped structures."""
    raw = {
        "name": "store_benchmark",
        "bases": [str(SCENARIOS / "hierarchy.yaml"), str(SCENARIOS / "self_managing.yaml")],
        "parameters": [
            {
                "name": "mandate",
                "path": "structure.teams.employee_mandate",
                "range": [250, 5000],
                "steps": levels,
            },
            {
                "name": "trust",
                "path": "culture.trust.initial",
                "range": [0.3, 0.9],
                "steps": levels,
            },
        ],
        "replications": replications,
        "figures": ["satisfaction_mean", "churn_rate"],
    }
    path = folder / "store_benchmark.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def figures(params: dict, seed: int, base: str) -> dict[str, float]:
    """Stand-in figures: smooth in the parameters, a little luck from the seed."""
    luck = (seed % 997) / 997 - 0.5
    gap = 0.05 if base == "self_managing" else 0.0
    return {
        "satisfaction_mean": 0.6
        + 0.2 * params["trust"]
        - params["mandate"] / 1e5
        + gap
        + 0.02 * luck,
        "churn_rate": 0.1 - 0.05 * params["trust"] + 0.01 * luck,
    }


def size_mb(folder: Path) -> float:
    """Megabytes of the Parquet files in ``folder``."""
    return sum(p.stat().st_size for p in folder.glob("*.parquet")) / 1e6


def main(argv: list[str] | None = None) -> None:
    """Write, compact and analyse the store; print the times and sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a tiny store, for CI")
    parser.add_argument("--group", type=int, default=100, help="runs per part written")
    args = parser.parse_args(argv)
    levels, replications = (2, 5) if args.tiny else (10, 500)
    group = min(args.group, 8) if args.tiny else args.group
    with tempfile.TemporaryDirectory() as folder:
        source = experiment_file(Path(folder), levels, replications)
        experiment = load_experiment(source)
        start = time.perf_counter()
        tasks = plan(experiment, source)
        planned = time.perf_counter() - start
        store = Store(Path(folder) / "store")
        start = time.perf_counter()
        store.open(experiment, source, resume=False, layout=layout(tasks))
        with store:
            for first in range(0, len(tasks), group):
                group_tasks = tasks[first : first + group]
                store.write(
                    [
                        make_row(t, figures(t.params, t.seed, t.base), 0.001, None)
                        for t in group_tasks
                    ]
                )
        written = time.perf_counter() - start
        parts = len(list(store.parts.glob("*.parquet")))
        before = size_mb(store.parts)
        start = time.perf_counter()
        store.compact()
        compacted = time.perf_counter() - start
        after = size_mb(store.parts)
        start = time.perf_counter()
        analyze(store.directory)
        analysed = time.perf_counter() - start
        rows = len(store.runs())
    print_table(
        ["step", "seconds", "detail"],
        [
            ["plan", f"{planned:.1f}", f"{len(tasks):,} runs, {2 * levels**2} points"],
            ["write", f"{written:.1f}", f"{parts:,} parts, {before:.1f} MB"],
            ["compact", f"{compacted:.1f}", f"1 file, {after:.1f} MB"],
            ["analyze", f"{analysed:.1f}", f"{rows:,} runs read back"],
        ],
    )
    assert rows == len(tasks), "every run is stored once"


if __name__ == "__main__":
    main()
