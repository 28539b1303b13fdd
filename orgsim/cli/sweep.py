"""``orgsim sweep``, ``analyze`` and ``store``: an experiment's runs and their store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from orgsim.cli.options import (
    _add_max_requests,
    _add_max_runs,
    _positive,
    add_event_log_format,
)
from orgsim.scenario.errors import ScenarioError


def _add_sweep(commands: argparse._SubParsersAction) -> None:
    sweep = commands.add_parser(
        "sweep",
        help="run an experiment's design points and replications into a results store",
        description="Run every (design point x replication) of an experiment file "
        "(experiments/*.yaml) and store each run as a row of Parquet part files in --out. "
        "Every point is validated before the first run. Runs go to local worker "
        "processes, or to a Dask cluster with --scheduler (or DASK_SCHEDULER_ADDRESS); "
        "results are the same whatever runs them. --resume skips stored runs.",
    )
    sweep.add_argument(
        "experiment",
        nargs="?",
        help="experiment file, e.g. experiments/layers_vs_mandate.yaml",
    )
    sweep.add_argument(
        "--out",
        type=Path,
        default=Path("results/sweep"),
        metavar="DIR",
        help="the results store (results/sweep)",
    )
    sweep.add_argument("--workers", type=_positive, help="local worker processes (all cores)")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://10.0.0.5:8786"
    )
    where.add_argument(
        "--dask-local", action="store_true", help="start a local Dask cluster of --workers"
    )
    sweep.add_argument("--resume", action="store_true", help="continue the sweep stored in --out")
    sweep.add_argument(
        "--status",
        metavar="DIR",
        type=Path,
        help="tell what the store DIR holds, what is missing, and what the experiment "
        "(if given) would add; runs nothing",
    )
    _add_max_runs(sweep)
    _add_max_requests(sweep, "refuse a design with a run expected to make")
    sweep.add_argument(
        "--event-logs",
        action="store_true",
        help="write every run's event log into OUT/event_logs/ as it ends, named "
        "BASE_DIGEST_seedSEED (XES's standard names, as run --event-log); refused before "
        "any run over 5 million events a log or 50 million in all; local workers only; "
        "runs found stored (--resume) are not run again, nor logged",
    )
    add_event_log_format(sweep)
    sweep.set_defaults(
        command=_sweep, kept="; every stored run is kept in --out: --resume runs the rest"
    )


def _sweep(args: argparse.Namespace) -> int:
    from orgsim.sweep.runner import run_sweep

    if args.status is not None:
        return _status(args.status, args.experiment)
    if args.experiment is None:
        raise ScenarioError("sweep: name an experiment file (or --status DIR)")
    with _Progress() as progress:
        report = run_sweep(
            args.experiment,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            dask_local=args.dask_local,
            resume=args.resume,
            on_start=progress.start,
            on_rows=lambda rows: progress.update(len(rows)),
            max_runs=args.max_runs,
            max_requests=args.max_requests,
            event_logs=args.event_logs,
            event_log_format=args.event_log_format,
        )
    _warn_quarantined(report.quarantined)
    print(
        f"{report.ran} runs made ({report.failed} failed), {report.stored_before} found stored, "
        f"{report.total} in the design; store in {args.out}/ (orgsim analyze {args.out})"
    )
    return 0


class _Progress:
    """A progress bar on standard error, shown only once there are runs to make."""

    def __init__(self) -> None:
        self.bar = None

    def start(self, todo: int) -> None:
        if todo:
            from tqdm import tqdm

            self.bar = tqdm(desc="runs", unit="run", file=sys.stderr, total=todo)

    def update(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _warn_quarantined(parts: Sequence[str]) -> None:
    for part in parts:
        print(
            f"orgsim: warning: unreadable part moved to quarantine/, its runs count as "
            f"missing: {part}",
            file=sys.stderr,
        )


def _status(directory: Path, experiment: str | None) -> int:
    from orgsim.sweep.status import completeness, growth
    from orgsim.sweep.store import Store

    store = Store(directory)
    _warn_quarantined(store.check())
    print(f"{directory}: {completeness(store).describe()}")
    if experiment is not None:
        print(growth(store, experiment))
    return 0


def _add_analyze(commands: argparse._SubParsersAction) -> None:
    analyze = commands.add_parser(
        "analyze",
        help="tables, plots and sensitivity indices of a sweep's store",
        description="Read a sweep's store with DuckDB and write, in DIR/analysis: the runs "
        "as one Parquet file, main effects with 95% confidence intervals, two-parameter "
        "heat maps, Sobol or Morris indices (SALib) for such designs, and index.html.",
    )
    analyze.add_argument("store", type=Path, help="the sweep's --out folder")
    analyze.set_defaults(command=_analyze)


def _analyze(args: argparse.Namespace) -> int:
    from orgsim.sweep.analyze import analyze

    page = analyze(args.store)
    print(f"analysis in {page.parent}/ (open {page})")
    return 0


def _add_store(commands: argparse._SubParsersAction) -> None:
    store = commands.add_parser(
        "store",
        help="query or compact a sweep's store",
        description="Work on a sweep's --out folder: query it in DuckDB SQL (the view "
        "`runs` holds the design's runs, one row each; `all_runs` every stored row), or "
        "rewrite its many small part files as a few large ones (safe against a kill).",
    )
    actions = store.add_subparsers(title="actions", required=True, metavar="ACTION")
    query = actions.add_parser("query", help="run SQL over the views runs and all_runs")
    query.add_argument("store", type=Path, help="the sweep's --out folder")
    query.add_argument(
        "sql", help='e.g. "select base, avg(satisfaction_mean) from runs group by base"'
    )
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    query.set_defaults(command=_store_query)
    compact = actions.add_parser("compact", help="rewrite the parts as a few large files")
    compact.add_argument("store", type=Path, help="the sweep's --out folder")
    compact.set_defaults(command=_store_compact)


def _store_query(args: argparse.Namespace) -> int:
    from orgsim.sweep.store import Store

    store = Store(args.store)
    _warn_quarantined(store.check())
    table = store.query(args.sql)
    if args.csv:
        from orgsim.results.escaping import to_csv

        sys.stdout.write(to_csv(table, index=False))  # level labels are the writer's text
    else:
        print(table.to_string(index=False))
    return 0


def _store_compact(args: argparse.Namespace) -> int:
    from orgsim.sweep.store import Store

    before, after = Store(args.store).compact()
    print(f"{args.store}: {before} part files -> {after}")
    return 0
