"""``orgsim run``: one scenario once, and its event-log options."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from orgsim.cli.options import (
    _add_max_requests,
    _add_scenario_options,
    _changes,
    _date,
    _tell,
)
from orgsim.scenario.errors import ScenarioError


def _add_run(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser(
        "run",
        help="run one scenario once and print its summary",
        description="Run one scenario once. Prints a summary table, or with --json the "
        "summary as one JSON object; --out also writes summary.json, requests.parquet, "
        "timeseries.csv and stations.csv.",
    )
    run.add_argument("scenario", help="scenario file, e.g. scenarios/hierarchy.yaml")
    _add_scenario_options(run)
    run.add_argument("--json", action="store_true", help="print only the summary, as JSON")
    run.add_argument("--out", type=Path, metavar="DIR", help="write the results to DIR")
    _add_max_requests(run, "refuse a run expected to make")
    _add_event_log_options(run)
    run.set_defaults(command=_run)


def _add_event_log_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--event-log",
        type=Path,
        metavar="FILE",
        help="write every request as a case of an event log: FILE.xes, .xes.gz, .csv or "
        ".csv.gz, XES's standard names (case:concept:name, concept:name, org:resource, "
        "org:group, time:timestamp, lifecycle:transition), calendar timestamps",
    )
    parser.add_argument(
        "--log-start",
        type=_date,
        default="2024-01-01",
        metavar="YYYY-MM-DD",
        help="first working day of the event log's calendar (default 2024-01-01); "
        "working days Monday to Friday, from --log-day-start",
    )
    parser.add_argument(
        "--log-day-start",
        type=float,
        default=8.0,
        metavar="HOUR",
        help="hour the working day starts, UTC (default 8: 08:00)",
    )


def _event_log_target(path: Path | None) -> None:
    """Check --event-log before the run: a known suffix, in a folder that can be written."""
    if path is None:
        return
    from orgsim.results.files import ready_folder

    if not path.name.lower().endswith((".xes", ".xes.gz", ".csv", ".csv.gz")):
        raise ScenarioError(f"--event-log {path}: allowed suffixes: .xes, .xes.gz, .csv, .csv.gz")
    if path.is_dir():
        raise ScenarioError(f"--event-log {path}: is a folder; name a file")
    ready_folder(path.parent if str(path.parent) else Path("."))


def _write_event_log(args: argparse.Namespace, result: object, hours_per_day: float) -> None:
    from orgsim.results.event_log import Calendar, to_event_log, write_event_log

    calendar = Calendar(args.log_start, hours_per_day, args.log_day_start)
    try:
        write_event_log(to_event_log(result.events, calendar), args.event_log)  # type: ignore[attr-defined]
    except OSError as error:
        raise ScenarioError(
            f"--event-log {args.event_log}: cannot write it ({error.strerror or error})"
        ) from None


def _run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    from orgsim.scenario.loading import load_scenario

    scenario = load_scenario(args.scenario, _changes(args))
    read = time.perf_counter()
    # Only now the model's imports (Mesa, pandas): a bad file is answered at once.
    from orgsim.results.files import ready_folder
    from orgsim.results.run import simulate
    from orgsim.results.tables import summary_table

    _tell(
        f"orgsim: {args.scenario} read and checked in {read - start:.1f} s, the simulator "
        f"loaded in {time.perf_counter() - read:.1f} s"
    )

    if args.out:
        ready_folder(args.out)  # before the run: finding out after it would lose it
    _event_log_target(args.event_log)
    result = simulate(
        scenario, seed=args.seed, progress=True, max_requests=args.max_requests,
        trace=args.event_log is not None,
    )  # fmt: skip
    if args.event_log:
        _write_event_log(args, result, scenario.run.hours_per_day)
    if args.out:
        try:
            result.write(args.out)
        except OSError as error:
            print(result.summary_json())  # the figures at least are not lost
            raise ScenarioError(
                f"--out {args.out}: cannot write the results ({error.strerror or error}); "
                "the summary is on standard output"
            ) from None
    if args.json:
        print(result.summary_json())
    else:
        print(summary_table(result.summary, scenario.run.days))
        if args.out:
            print(f"\nresults written to {args.out}/")
    return 0
