"""``orgsim calibrate`` and ``validate-log``: scenarios from real event logs, checked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orgsim.cli.options import _at_least, _count, _date, _seed
from orgsim.scenario.errors import ScenarioError

CALIBRATE_EPILOG = """\
columns: a log names its columns by XES's standard names (case:concept:name,
concept:name, org:resource, org:group, time:timestamp, lifecycle:transition) or is
mapped, role by role (roles: case, activity, resource, group, timestamp, lifecycle):

  orgsim calibrate tickets.csv --out desk.yaml --column case="Ticket ID" \\
      --column activity=Status --column timestamp="Changed at" --column resource=Agent

or with a mapping file (--columns map.yaml) of the same roles:

  case: Ticket ID
  activity: Status
  timestamp: Changed at
  resource: Agent

example, the helpdesk log, kinds from a case attribute, 70% to train:

  orgsim calibrate helpdesk.xes.gz --out desk.yaml --kind-attribute seriousness_2
"""


def _add_log_options(parser: argparse.ArgumentParser) -> None:
    """How to read a log: column mapping, names, order, bounds, what activities mean."""
    from orgsim.calibrate.bounded import MAX_EVENTS, MAX_LOG_BYTES

    parser.add_argument(
        "--column",
        dest="column",
        action="append",
        default=[],
        metavar="ROLE=NAME",
        help="the log's column NAME plays ROLE (case, activity, resource, group, "
        "timestamp, lifecycle); repeatable",
    )
    parser.add_argument("--columns", type=Path, metavar="FILE", help="a YAML file ROLE: NAME")
    parser.add_argument(
        "--keep-names", action="store_true", help="keep resource names (default: pseudonyms)"
    )
    parser.add_argument(
        "--sort-events",
        action="store_true",
        help="order each case's events by time instead of refusing a case out of order",
    )
    parser.add_argument("--kind-attribute", metavar="NAME", help="case attribute giving kinds")
    parser.add_argument(
        "--escalation-activity",
        dest="escalations",
        action="append",
        metavar="NAME",
        help="an activity that escalates (repeatable; default: names with escalate, "
        "upgrade, second line, 2nd line, level 2)",
    )
    parser.add_argument(
        "--group-by-activity",
        dest="group_similarity",
        type=_correlation,
        nargs="?",
        const=0.7,
        metavar="SIMILARITY",
        help="where the log has no org:group, group resources whose activity profiles "
        "correlate at SIMILARITY or more (default 0.7; Song & van der Aalst 2008, as "
        "Simod): the groups become teams",
    )
    parser.add_argument("--answer-activity", metavar="NAME", help="default: inferred")
    parser.add_argument("--close-activity", metavar="NAME", help="default: inferred")
    parser.add_argument("--max-events", type=_count, default=MAX_EVENTS, metavar="N")
    parser.add_argument("--max-bytes", type=_count, default=MAX_LOG_BYTES, metavar="N")


def _correlation(text: str) -> float:
    """A correlation threshold, in [-1, 1]."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not -1 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a correlation from -1 to 1, got {text!r}")
    return value


def _log_options(args: argparse.Namespace) -> object:
    from orgsim.calibrate.api import LogOptions

    columns: dict[str, str] = {}
    if args.columns is not None:
        columns |= _mapping_file(args.columns)
    for item in args.column:
        role, sep, name = item.partition("=")
        if not sep or not name:
            raise ScenarioError(f"--column {item!r}: expected ROLE=NAME, e.g. case=Ticket")
        columns[role.strip()] = name
    return LogOptions(
        columns=columns or None,
        keep_names=args.keep_names,
        sort_events=args.sort_events,
        kind_attribute=args.kind_attribute,
        escalations=tuple(args.escalations) if args.escalations else None,
        answer=args.answer_activity,
        close=args.close_activity,
        group_similarity=args.group_similarity,
    )


def _mapping_file(path: Path) -> dict[str, str]:
    import yaml

    try:
        if path.stat().st_size > 64_000:
            raise ScenarioError(f"--columns {path}: larger than 64 KB; a mapping is a few lines")
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(f"--columns {path}: cannot read it ({error})") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ScenarioError(f"--columns {path}: expected lines ROLE: NAME, e.g. case: Ticket")
    return data


def _add_calibrate(commands: argparse._SubParsersAction) -> None:
    cal = commands.add_parser(
        "calibrate",
        help="calibrate a scenario on a real event log",
        description="Read an event log (CSV, CSV.gz, XES, XES.gz), keep its last cases for "
        "validation, and write a scenario calibrated on the rest (demand, work, waits, "
        "closing, escalation shares, teams), a sidecar NAME.calibration.json and a report.",
        epilog=CALIBRATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cal.add_argument("log", type=Path, help="the event log")
    cal.add_argument("--out", type=Path, required=True, metavar="FILE", help="scenario to write")
    cal.add_argument("--report", type=Path, metavar="DIR", help="default: OUT's name + _report")
    period = cal.add_mutually_exclusive_group()
    period.add_argument("--train-until", type=_date, metavar="YYYY-MM-DD")
    period.add_argument("--train-share", type=float, default=0.7, metavar="SHARE")
    cal.add_argument(
        "--recent",
        type=float,
        metavar="DAYS",
        help="estimate route shares (escalation, dispatch, transfer, closing) from the cases "
        "starting in the last DAYS calendar days of the training period only",
    )
    _add_log_options(cal)
    cal.set_defaults(command=_calibrate)


def _writable(folder: Path, option: str) -> None:
    """Check, creating nothing, that ``folder`` is or can become a writable folder.

    Inputs are checked before anything is written: the folder is made at the end.
    """
    import os

    place = folder.resolve()
    while not place.exists():
        place = place.parent
    if not place.is_dir() or not os.access(place, os.W_OK | os.X_OK):
        raise ScenarioError(
            f"{option} {folder}: cannot write there ({place} is not a writable folder)"
        )


def _calibrate(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() not in (".yaml", ".yml"):
        raise ScenarioError(f"--out {args.out}: a scenario file ends in .yaml or .yml")
    report = args.report or args.out.with_name(args.out.stem + "_report")
    for target in (args.out.parent, report):
        _writable(target, "--out" if target == args.out.parent else "--report")
    options = _log_options(args)
    from orgsim.calibrate.api import calibrate
    from orgsim.calibrate.report import write_report

    until = None if args.train_until is None else _as_datetime(args.train_until)
    done = calibrate(
        args.log, args.out, options, until, args.train_share, args.recent,
        max_events=args.max_events, max_bytes=args.max_bytes,
    )  # fmt: skip
    write_report(done, report)
    inferred = done.calibration.inferred
    print(
        f"{args.out}: {done.facts['train_cases']:,} training cases, "
        f"{inferred['arrivals_per_day']:.2f} a working day, {inferred['teams']} team(s) of "
        f"{inferred['team_size']}; {done.facts['validation_cases']:,} cases from "
        f"{done.facts['cutoff']} kept for validate-log; report in {report}/"
    )
    for warning in done.calibration.warnings:
        print(f"warning: {warning}")
    return 0


def _as_datetime(day: object) -> object:
    from datetime import datetime, time

    return datetime.combine(day, time())  # type: ignore[arg-type]


def _add_validate_log(commands: argparse._SubParsersAction) -> None:
    val = commands.add_parser(
        "validate-log",
        help="simulate a log's validation period and measure the distance to it",
        description="Simulate the validation period of LOG (the cases from the calibration's "
        "cutoff to the log's end, on its calendar) --replications times and print, with 95% "
        "intervals, Simod's distances (cycle time, case arrivals, circadian, 3-gram) and the "
        "escalation rate, hand-offs per case, throughput and resource utilisation (front "
        "line, escalation) beside the log's; baselines from "
        "the same run: the log's own drift (training against validation period) and an "
        "uncalibrated scenario.",
    )
    val.add_argument("scenario", type=Path, help="a scenario, e.g. one orgsim calibrate wrote")
    val.add_argument("log", type=Path, help="the event log")
    val.add_argument(
        "--replications",
        type=_at_least(2),
        default=5,
        help="runs of the scenario (and of the uncalibrated one), 2 to 1,000 (default 5)",
    )
    val.add_argument("--seed", type=_seed, default=1, help="seed of the first replication")
    val.add_argument(
        "--uncalibrated",
        type=Path,
        default=DEFAULT_UNCALIBRATED,
        metavar="SCENARIO",
        help="the baseline scenario (default: scenarios/hierarchy.yaml)",
    )
    val.add_argument("--warmup-days", type=float, default=20.0, metavar="DAYS")
    val.add_argument("--json", action="store_true", help="print the result as one JSON object")
    val.add_argument("--out", type=Path, metavar="DIR", help="write validation.json and plots")
    val.set_defaults(command=_validate_log)


DEFAULT_UNCALIBRATED = Path(__file__).resolve().parents[2] / "scenarios" / "hierarchy.yaml"


def _validate_log(args: argparse.Namespace) -> int:
    import json

    from orgsim.calibrate.validation import MAX_REPLICATIONS, validate_log
    from orgsim.scenario.loading import load_scenario

    if args.replications > MAX_REPLICATIONS:
        raise ScenarioError(
            f"--replications {args.replications:,}: allowed: 2 to {MAX_REPLICATIONS:,}"
        )
    load_scenario(args.scenario)  # a bad scenario is answered before the log is read
    if args.out:
        _writable(args.out, "--out")
    from tqdm import tqdm

    from orgsim.calibrate.validation_table import validation_table

    bars: list[tqdm] = []  # started with the first finished run: none before an error

    def progress(done: int, total: int) -> None:
        if not bars:  # drawn on a terminal only
            bars.append(tqdm(total=total, desc="runs", unit="run", file=sys.stderr, disable=None))
        bars[0].n = done
        bars[0].refresh()

    try:
        result = validate_log(
            args.scenario, args.log, args.replications, args.seed, args.uncalibrated,
            args.warmup_days, progress=progress,
        )  # fmt: skip
    finally:
        for bar in bars:
            bar.close()
    samples = result.pop("_samples")
    text = json.dumps(result, default=float)
    if args.out:
        from orgsim.calibrate.validation_plots import write_plots, write_report
        from orgsim.results.files import write_whole

        args.out.mkdir(parents=True, exist_ok=True)
        write_whole(args.out / "validation.json", lambda tmp: tmp.write_text(text + "\n"))
        write_plots(result | {"_samples": samples}, args.out)
        write_report(validation_table(result), args.out)
    print(text if args.json else validation_table(result))
    return 0
