"""The ``orgsim`` command: run a scenario, compare structures, validate, sweep, analyze.

A thin adapter: it parses arguments, calls the library and prints. Bad input (a
broken scenario file, an unknown field, a wrong override) ends with one message on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from orgsim import __version__
from orgsim.scenario.errors import CapacityWarning, ScenarioError, SweepWarning
from orgsim.scenario.limits import MAX_REQUESTS, MAX_RUNS

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``orgsim`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", CapacityWarning)
            warnings.simplefilter("always", SweepWarning)
            warnings.showwarning = _show_warning
            return args.command(args)
    except ScenarioError as error:
        print(f"orgsim: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:  # the file system's fault (full, read-only, too large a file)
        print(f"orgsim: error: {_fault(error)}{args.kept}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("orgsim: interrupted", file=sys.stderr)
        return 130


def _fault(error: OSError) -> str:
    """An operating system's error as one line: the file, then what went wrong."""
    what = error.strerror or str(error) or type(error).__name__
    if error.filename:
        return f"{error.filename}: {what}"
    return f"a file could not be read or written ({what})"


def _show_warning(message: Warning | str, category: type[Warning], *args: object) -> None:
    """The model's warnings to the user as one line each; others as Python shows them."""
    if issubclass(category, CapacityWarning | SweepWarning):
        print(f"orgsim: warning: {message}", file=sys.stderr)
    else:
        warnings._showwarning_orig(message, category, *args)  # type: ignore[attr-defined]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orgsim",
        description="Simulate how an organisation's structure shapes its speed and its "
        "customers' happiness.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.set_defaults(kept="")  # what a file-system fault leaves behind, said after it
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    _add_run(commands)
    _add_compare(commands)
    _add_validate(commands)
    _add_sweep(commands)
    _add_analyze(commands)
    _add_store(commands)
    _add_ui(commands)
    _add_calibrate(commands)
    _add_validate_log(commands)
    _add_redesign(commands)
    _add_import_org(commands)
    _add_export_org(commands)
    return parser


def _add_scenario_options(
    parser: argparse.ArgumentParser,
    seed_help: str = "seed of the run (default 1)",
    set_help: str = "override a scenario value",
) -> None:
    parser.add_argument("--seed", type=_seed, default=1, help=seed_help)
    parser.add_argument("--days", type=float, help="simulated working days (default: the file's)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help=f"{set_help}, e.g. --set structure.layers[1].mandate=5000 "
        "(repeatable; VALUE is read as YAML)",
    )


def _seed(text: str) -> int:
    """A seed is a whole number from 0 to 2**63 - 1 (numpy's seed sequences take no negatives)."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {seed}")
    if seed >= 2**63:
        raise argparse.ArgumentTypeError(f"must be below 2**63, got {seed}")
    return seed


def _count(text: str) -> int:
    """A whole number from 1 up."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


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
    run.add_argument(
        "--max-requests",
        type=_count,
        default=MAX_REQUESTS,
        metavar="N",
        help=f"refuse a run expected to make more than N requests, ideas and meetings "
        f"(default {MAX_REQUESTS:,})",
    )
    _add_event_log_options(run)
    run.set_defaults(command=_run)


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
    parser.add_argument("--answer-activity", metavar="NAME", help="default: inferred")
    parser.add_argument("--close-activity", metavar="NAME", help="default: inferred")
    parser.add_argument("--max-events", type=_count, default=MAX_EVENTS, metavar="N")
    parser.add_argument("--max-bytes", type=_count, default=MAX_LOG_BYTES, metavar="N")


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
        args.log, args.out, options, until, args.train_share,
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
    return 0


def _as_datetime(day: object) -> object:
    from datetime import datetime, time

    return datetime.combine(day, time())  # type: ignore[arg-type]


def _add_validate_log(commands: argparse._SubParsersAction) -> None:
    val = commands.add_parser(
        "validate-log",
        help="simulate a log's validation period and measure the distance to it",
        description="Simulate the validation period of LOG (the cases from the calibration's "
        "cutoff to the log's end, on its calendar) --replications times and print, with 95%% "
        "intervals, Simod's distances (cycle time, case arrivals, circadian, 3-gram) and the "
        "escalation rate, hand-offs per case and throughput beside the log's; baselines from "
        "the same run: the log's own drift (training against validation period) and an "
        "uncalibrated scenario.",
    )
    val.add_argument("scenario", type=Path, help="a scenario, e.g. one orgsim calibrate wrote")
    val.add_argument("log", type=Path, help="the event log")
    val.add_argument("--replications", type=_at_least(2), default=5)
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


DEFAULT_UNCALIBRATED = Path(__file__).resolve().parents[1] / "scenarios" / "hierarchy.yaml"


def _validate_log(args: argparse.Namespace) -> int:
    import json

    from orgsim.scenario.loading import load_scenario

    load_scenario(args.scenario)  # a bad scenario is answered before the log is read
    if args.out:
        _writable(args.out, "--out")
    from orgsim.calibrate.validation import validate_log
    from orgsim.calibrate.validation_table import validation_table

    result = validate_log(
        args.scenario, args.log, args.replications, args.seed, args.uncalibrated,
        args.warmup_days,
    )  # fmt: skip
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


def _date(text: str) -> object:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


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


def _changes(args: argparse.Namespace) -> list[str]:
    """The --set overrides, with --days as one more (so errors name the file)."""
    return [*args.overrides, *([f"run.days={args.days}"] if args.days is not None else [])]


def _run(args: argparse.Namespace) -> int:
    from orgsim.scenario.loading import load_scenario

    scenario = load_scenario(args.scenario, _changes(args))
    # Only now the model's imports (Mesa, pandas): a bad file is answered at once.
    from orgsim.results.files import ready_folder
    from orgsim.results.run import simulate
    from orgsim.results.tables import summary_table

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


def _add_compare(commands: argparse._SubParsersAction) -> None:
    from orgsim.compare.defaults import DEFAULT_OUT, DEFAULT_REPLICATIONS

    cmp = commands.add_parser(
        "compare",
        help="compare scenarios over replications and write a report",
        description="Run each scenario --replications times with common random numbers "
        "(replication r of every scenario uses seed SEED+r, so all face the same "
        "customers), print each figure's mean with its 95% confidence interval and the "
        "paired difference to the first scenario, and write a report to --out: "
        "report.html, report.md, summary.csv, runs.parquet and figures/. Each run is kept "
        "in runs.jsonl as it ends: the same command again resumes an interrupted "
        "comparison. Exit 1 if a run failed (the others are complete).",
    )
    cmp.add_argument("scenarios", nargs="+", help="scenario files; the first is the baseline")
    _add_scenario_options(
        cmp,
        seed_help="base seed of all replications: replication r of every scenario uses "
        "SEED+r (default 1)",
        set_help="override a value in every compared scenario",
    )
    cmp.add_argument(
        "--set-for",
        dest="overrides_for",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "PATH=VALUE"),
        help="override a value in the scenario named NAME only, after --set "
        "(repeatable), e.g. --set-for hierarchy culture.trust.blame=false",
    )
    cmp.add_argument(
        "--variant",
        dest="variants",
        type=_variant,
        action="append",
        default=[],
        metavar="NAME:PATH=VALUE",
        help="compare a copy of the first scenario named NAME with PATH set to VALUE, "
        "without writing a file; repeat with the same NAME to change more, e.g. "
        "--variant flatter:structure.layers[0].mandate=25000",
    )
    cmp.add_argument(
        "--explain",
        action="store_true",
        help="also attribute each scenario's difference to the baseline to the settings "
        "they differ in (grouped into named factors): a factorial design over the factors, "
        "Shapley values with 95%% intervals, written to attribution.csv and the report",
    )
    cmp.add_argument(
        "--factor",
        dest="factors",
        action="append",
        default=[],
        metavar="NAME=PATH[,PATH...]",
        help="with --explain, group these settings (paths or their prefixes) as one factor "
        "named NAME (repeatable), e.g. --factor people=culture.trust,culture.coaching",
    )
    cmp.add_argument(
        "--replications",
        type=_at_least(2),
        default=DEFAULT_REPLICATIONS,
        help=f"runs per scenario, at least 2 (default {DEFAULT_REPLICATIONS})",
    )
    cmp.add_argument(
        "--workers",
        type=_at_least(1),
        help="worker processes at most (default: this machine's cores); a pool starts "
        "only when the runs pay for its start-up",
    )
    cmp.add_argument(
        "--out",
        type=Path,
        default=Path(DEFAULT_OUT),
        metavar="DIR",
        help=f"folder of the report and the runs (default {DEFAULT_OUT})",
    )
    cmp.add_argument(
        "--redesign",
        action="append",
        default=[],
        metavar="CHANGES",
        help="also compare a redesign of the first scenario (repeatable), e.g. "
        "remove-layer=department_manager or mandate=employee=25000+split-teams=5; "
        "options as orgsim redesign's",
    )
    cmp.add_argument(
        "--resume",
        action="store_true",
        help="continue the comparison held in --out (running the same command into the "
        "same folder does so too); an error if it holds none",
    )
    cmp.add_argument(
        "--force",
        action="store_true",
        help="replace a different comparison (or other files) held in --out",
    )
    _add_max_runs(cmp)
    cmp.set_defaults(
        command=_compare,
        kept="; every finished run is kept in --out: the same command resumes the rest",
    )


def _add_max_runs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-runs",
        type=_count,
        default=MAX_RUNS,
        metavar="N",
        help=f"refuse to make more than N runs in all (default {MAX_RUNS:,})",
    )


def _variant(text: str) -> tuple[str, str]:
    """``NAME:PATH=VALUE`` as ``(NAME, "PATH=VALUE")``."""
    name, sep, change = text.partition(":")
    if not sep or not name.strip() or "=" in name or "=" not in change:
        raise argparse.ArgumentTypeError(
            "expected NAME:PATH=VALUE, e.g. flatter:structure.layers[0].mandate=25000; "
            f"got {text!r}"
        )
    return name.strip(), change


def _grouped(pairs: Sequence[Sequence[str]]) -> dict[str, list[str]]:
    """``[(name, change), ...]`` as each name's changes, in the order given."""
    grouped: dict[str, list[str]] = {}
    for name, change in pairs:
        grouped.setdefault(name, []).append(change)
    return grouped


def _at_least(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``low``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
        return value

    return parse


def _redesigns(args: argparse.Namespace) -> list[object]:
    """The first scenario redesigned as each --redesign says, named by the changes."""
    if not args.redesign:
        return []
    from orgsim.scenario import redesign as rd
    from orgsim.scenario.loading import load_scenario

    base = load_scenario(args.scenarios[0])
    return [rd.redesign(base, rd.from_spec(spec)) for spec in args.redesign]


def _compare_command(args: argparse.Namespace) -> list[str]:
    """The command that repeats this comparison, every option spelled out (for the report)."""
    words = ["orgsim", "compare", *args.scenarios, "--seed", str(args.seed)]
    words += ["--replications", str(args.replications)]
    words += ["--days", f"{args.days:g}"] if args.days is not None else []
    words += [part for item in args.overrides for part in ("--set", item)]
    words += [part for item in args.redesign for part in ("--redesign", item)]
    words += [part for name, item in args.overrides_for for part in ("--set-for", name, item)]
    words += [part for name, item in args.variants for part in ("--variant", f"{name}:{item}")]
    words += ["--explain"] if args.explain else []
    words += [part for item in args.factors for part in ("--factor", item)]
    return [*words, "--out", str(args.out)]


def _compare(args: argparse.Namespace) -> int:
    import shlex
    import textwrap

    from tqdm import tqdm

    from orgsim.compare import api, bottom_line, table
    from orgsim.compare.factors import parse_factor

    own = dict(parse_factor(text) for text in args.factors)
    designs = len(args.scenarios) + len(args.redesign) + len(_grouped(args.variants))
    total = [designs * args.replications]
    command = shlex.join(_compare_command(args))
    bars: list[tqdm] = []  # started with the first finished run: no bar before an error

    def progress(_: dict, done: int) -> None:
        if not bars:  # None: on a terminal only
            bars.append(
                tqdm(total=total[0], desc="runs", unit="run", file=sys.stderr, disable=None)
            )
        bars[0].n = done
        bars[0].refresh()

    def plan(text: str, runs: int) -> None:
        for bar in bars:
            bar.close()
        bars.clear()
        total[0] = runs
        print(f"orgsim: {text}", file=sys.stderr, flush=True)

    try:
        comparison = api.compare(
            [*args.scenarios, *_redesigns(args)],
            replications=args.replications,
            seed=args.seed,
            days=args.days,
            workers=args.workers,
            overrides=args.overrides,
            overrides_for=_grouped(args.overrides_for),
            variants=_grouped(args.variants),
            out=args.out,
            force=args.force,
            resume=args.resume,
            on_run=progress,
            command=command,
            explain=args.explain,
            factors=own,
            on_plan=plan,
            max_runs=args.max_runs,
        )
    except KeyboardInterrupt:
        print(f"orgsim: the finished runs are kept in {args.out}; the same command "
              "resumes the comparison", file=sys.stderr)  # fmt: skip
        raise
    finally:
        for bar in bars:
            bar.close()
    written = api.write_report(comparison, args.out)
    found = comparison.findings()
    if len(comparison.names) > 1:
        print(textwrap.fill(bottom_line.paragraph(comparison), table.WIDTH) + "\n")
    print(table.comparison_table(comparison))
    for name, why in comparison.unstable.items():
        print(f"\nwarning: {name}: {why}; it is not ranked in the verdict")
    print("\nverdict, against " + comparison.names[0] + ":")
    print(table.verdict_text(found))
    for explained in comparison.attributions:
        print("\n" + table.attribution_text(explained))
    failures = table.failures_text(comparison)
    if failures:
        print("\n" + failures)
    if comparison.resumed:
        print(f"\n{comparison.resumed} run(s) were already done in {args.out} and not run again")
    print(f"\nreport in {written['html']} (also report.md, summary.csv, runs.parquet, figures/)")
    return 1 if failures else 0


def _add_validate(commands: argparse._SubParsersAction) -> None:
    val = commands.add_parser(
        "validate",
        help="check the model against queueing and screening theory",
        description="Run degenerate scenarios whose results theory knows (Jackson tandem "
        "networks, M/M/c, Little's law, Sah-Stiglitz screening) with fixed seeds, and "
        "compare. Exit 1 if any check fails.",
    )
    val.add_argument("--quick", action="store_true", help="fewer, shorter replications")
    val.set_defaults(command=_validate)


def _validate(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from orgsim.validate import checks as validation
    from orgsim.validate.table import checks_table

    checks: list[validation.Check] = []
    thunks = list(validation.all_checks(quick=args.quick))
    for thunk in tqdm(thunks, desc="checks", unit="check", file=sys.stderr):
        checks += thunk()
    print(checks_table(checks))
    failed = sum(not check.passed for check in checks)
    print(f"\n{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


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
    sweep.set_defaults(
        command=_sweep, kept="; every stored run is kept in --out: --resume runs the rest"
    )


def _positive(text: str) -> int:
    number = _seed(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


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
        sys.stdout.write(table.to_csv(index=False))
    else:
        print(table.to_string(index=False))
    return 0


def _store_compact(args: argparse.Namespace) -> int:
    from orgsim.sweep.store import Store

    before, after = Store(args.store).compact()
    print(f"{args.store}: {before} part files -> {after}")
    return 0


def _add_ui(commands: argparse._SubParsersAction) -> None:
    ui = commands.add_parser(
        "ui",
        help="serve the browser UI: two organisations side by side, live",
        description="Serve the browser UI for trainers: two scenarios side by side with "
        "the same customers, their org charts and live charts, and controls for mandates, "
        "layers, trust and blame, coaching and demand. Works offline.",
    )
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    ui.add_argument("--port", type=_port, default=8765, help="port to listen on (8765)")
    ui.add_argument(
        "--scenarios",
        type=Path,
        metavar="DIR",
        help="folder of scenario files to choose from (default: ./scenarios if there is "
        "one, else the project's)",
    )
    ui.set_defaults(command=_ui)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 1 to 65535, got {port}")
    return port


def _check_free(host: str, port: int) -> None:
    """A port taken (another orgsim ui?) or a host not of this machine: one clear line."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ScenarioError(
                f"--host {host} --port {port}: cannot listen there ({error.strerror}); "
                "choose another with --port"
            ) from None


def _loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.x, ::1, localhost)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def _ui(args: argparse.Namespace) -> int:
    folder = args.scenarios
    if folder is None:
        here = Path("scenarios")
        folder = here if here.is_dir() else Path(__file__).resolve().parents[1] / "scenarios"
    if not folder.is_dir() or not any(folder.glob("*.y*ml")):
        raise ScenarioError(f"--scenarios {folder}: no folder with scenario files")
    _check_free(args.host, args.port)
    if not _loopback(args.host):
        print(
            f"orgsim: warning: --host {args.host} serves the UI beyond this machine: anyone "
            "who can reach this port can run scenarios and load files here, with your "
            "permissions; use it on a trusted network only",
            file=sys.stderr,
        )
    from orgsim.ui.server import serve

    serve(args.host, args.port, folder)
    return 0


def _add_redesign(commands: argparse._SubParsersAction) -> None:
    red = commands.add_parser(
        "redesign",
        help="write a what-if redesign of an organisation as a new scenario file",
        description="Make named changes to a scenario's organisation (a shorthand or a tree "
        "of units) and write the result, an explicit tree, to --out. The same people are "
        "kept unless a change says otherwise. Changes are made in this order: units and "
        "layers taken out, approvers as coaches, mandates, teams split, teams merged, a "
        "deal committee on top. Prints what changed.",
    )
    red.add_argument("scenario", help="the scenario to redesign, e.g. scenarios/hierarchy.yaml")
    red.add_argument("--out", type=Path, required=True, metavar="FILE", help="the new scenario")
    red.add_argument("--name", help="the new scenario's name (default: the file's stem)")
    red.add_argument("--force", action="store_true", help="replace --out if it exists")
    for flag, metavar, said in _REPEATABLE_CHANGES:
        red.add_argument(flag, action="append", default=[], metavar=metavar, help=said)
    red.add_argument("--split-teams", type=_count, metavar="N", help="cells of at most N people")
    red.add_argument("--merge-teams", type=_count, metavar="N", help="merge teams under N people")
    red.add_argument(
        "--deal-committee",
        type=float,
        metavar="VALUE",
        help="a deal committee on top for values above VALUE",
    )
    red.set_defaults(command=_redesign)


_REPEATABLE_CHANGES = (
    ("--remove-unit", "ID", "take out one unit; its reports move to its parent"),
    ("--remove-layer", "ROLE", "take out every unit of a role; their reports move up"),
    ("--coaches", "ROLE", "the approvers of ROLE (or all) as coaches"),
    ("--mandate", "ROLE=VALUE", "set (employee=25000, director=unlimited) or scale (all=x1.5)"),
)


def _redesign(args: argparse.Namespace) -> int:
    from orgsim.scenario import redesign as rd
    from orgsim.scenario.loading import load_scenario
    from orgsim.scenario.shape import Shape, compared
    from orgsim.scenario.writing import check_target, scenario_yaml, write_text

    check_target(args.out, args.force)
    base = load_scenario(args.scenario)
    changes = [rd.remove_unit(unit) for unit in args.remove_unit]
    changes += [rd.remove_layer(role) for role in args.remove_layer]
    changes += [rd.to_coaches(None if role == "all" else role) for role in args.coaches]
    changes += [rd.mandate_change(text) for text in args.mandate]
    changes += [rd.split_teams(args.split_teams)] if args.split_teams else []
    changes += [rd.merge_teams(args.merge_teams)] if args.merge_teams else []
    if args.deal_committee is not None:
        changes.append(rd.deal_committee(args.deal_committee))
    if not changes:
        raise ScenarioError("redesign: no change given (see orgsim redesign --help)")
    new = rd.redesign(base, changes, name=args.name or args.out.stem)
    header = (
        f"{new.description}\nWritten by: orgsim redesign {args.scenario}; run it with orgsim run."
    )
    write_text(args.out, scenario_yaml(new, header))
    print(f"{new.name}: {new.description}")
    for line in compared(Shape.of(base.tree), Shape.of(new.tree)):
        print(f"  {line}")
    print(f"written to {args.out}")
    return 0


def _add_import_org(commands: argparse._SubParsersAction) -> None:
    imp = commands.add_parser(
        "import-org",
        help="turn an org chart (CSV or .xlsx, one row per person) into a scenario",
        description="Read an HR export (an id and a manager id per person; optionally name, "
        "title, unit or department, role, kind, mandate, customers) and write a scenario "
        "with its organisation as a tree: people with reports are approvers (or coaches), "
        "people without reports under one manager form a team. What the chart does not "
        "say comes from --template. Every inferred value is marked in a comment; ids are "
        "replaced by stable pseudonyms and names left out unless --keep-names. Prints a "
        "summary with the health flags of the chart.",
    )
    imp.add_argument("chart", type=Path, help="the chart: .csv (any delimiter) or .xlsx")
    imp.add_argument("--out", type=Path, required=True, metavar="FILE", help="the scenario")
    imp.add_argument("--force", action="store_true", help="replace --out if it exists")
    imp.add_argument(
        "--template",
        type=Path,
        metavar="FILE",
        help="scenario giving demand, culture and each unit's settings (default: the "
        "project's scenarios/hierarchy.yaml)",
    )
    imp.add_argument("--name", help="the scenario's name (default: the file's stem)")
    imp.add_argument(
        "--managers-as", choices=("approvers", "coaches"), default="approvers",
        help="what people with reports are (approvers); as coaches, the top still approves",
    )  # fmt: skip
    imp.add_argument("--keep-names", action="store_true", help="keep ids and names (personal data)")
    imp.add_argument(
        "--column", action="append", default=[], metavar="FIELD=HEADER",
        help="the header of a field, e.g. --column manager_id=Boss (repeatable)",
    )  # fmt: skip
    imp.add_argument("--mapping", type=Path, metavar="FILE", help="a YAML file of FIELD: HEADER")
    imp.add_argument(
        "--max-depth", type=_count, default=6, metavar="N", help="flag chains deeper than N (6)"
    )
    imp.set_defaults(command=_import_org)


def _import_org(args: argparse.Namespace) -> int:
    from orgsim.scenario.orgchart_io import import_org

    _, summary = import_org(
        args.chart,
        template=args.template,
        columns=_chart_columns(args),
        keep_names=args.keep_names,
        managers_as=args.managers_as,
        name=args.name or args.out.stem,
        max_depth=args.max_depth,
        out=args.out,
        force=args.force,
    )
    print(summary)
    print(f"written to {args.out}")
    return 0


def _chart_columns(args: argparse.Namespace) -> dict[str, str]:
    from orgsim.scenario.orgchart_io import column_mapping

    return column_mapping(args.column, args.mapping)


def _add_export_org(commands: argparse._SubParsersAction) -> None:
    exp = commands.add_parser(
        "export-org",
        help="write any scenario's organisation as an org chart (CSV)",
        description="Write one row per person (id, manager_id, role, kind, unit, mandate, "
        "customers, requests_per_customer_per_day) for any scenario, the teams + layers "
        "shorthand included. orgsim import-org reads it back.",
    )
    exp.add_argument("scenario", help="the scenario, e.g. scenarios/hierarchy.yaml")
    exp.add_argument("--out", type=Path, required=True, metavar="FILE", help="the chart (CSV)")
    exp.add_argument("--force", action="store_true", help="replace --out if it exists")
    exp.set_defaults(command=_export_org)


def _export_org(args: argparse.Namespace) -> int:
    from orgsim.scenario.chart_export import chart_csv
    from orgsim.scenario.loading import load_scenario
    from orgsim.scenario.writing import check_target, write_text

    check_target(args.out, args.force)
    scenario = load_scenario(args.scenario)
    write_text(args.out, chart_csv(scenario))
    print(f"{scenario.tree.headcount:,} people of {scenario.name} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
