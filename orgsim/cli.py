"""The ``orgsim`` command: run a scenario, compare structures, validate the model.

A thin adapter: it parses arguments, calls the library and prints. Bad input (a
broken scenario file, an unknown field, a wrong override) ends with one message on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from orgsim import __version__
from orgsim.scenario.errors import CapacityWarning, ScenarioError
from orgsim.scenario.limits import MAX_REQUESTS

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``orgsim`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", CapacityWarning)
            warnings.showwarning = _show_warning
            return args.command(args)
    except ScenarioError as error:
        print(f"orgsim: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("orgsim: interrupted", file=sys.stderr)
        return 130


def _show_warning(message: Warning | str, category: type[Warning], *args: object) -> None:
    """The model's warnings to the user as one line each; others as Python shows them."""
    if issubclass(category, CapacityWarning):
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
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    _add_run(commands)
    _add_compare(commands)
    _add_validate(commands)
    return parser


def _add_scenario_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=_seed, default=1, help="seed of the run (default 1)")
    parser.add_argument("--days", type=float, help="simulated working days (default: the file's)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a scenario value, e.g. --set structure.layers[1].mandate=5000 "
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
    run.set_defaults(command=_run)


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
    result = simulate(scenario, seed=args.seed, progress=True, max_requests=args.max_requests)
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
    cmp = commands.add_parser(
        "compare",
        help="compare scenarios over replications, with confidence intervals",
        description="Run each scenario --replications times with common random numbers "
        "(replication r of every scenario uses seed SEED+r, so all face the same "
        "customers), then print each figure's mean with its 95%% confidence interval "
        "and the paired difference to the first scenario.",
    )
    cmp.add_argument("scenarios", nargs="+", help="scenario files; the first is the baseline")
    _add_scenario_options(cmp)
    cmp.add_argument("--replications", type=int, default=10, help="runs per scenario (10)")
    cmp.add_argument("--workers", type=int, default=1, help="worker processes (1)")
    cmp.add_argument(
        "--out",
        type=Path,
        default=Path("results/comparison"),
        metavar="DIR",
        help="where runs.jsonl, comparison.csv and comparison.png go (results/comparison)",
    )
    cmp.set_defaults(command=_compare)


def _compare(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from orgsim.compare import plots
    from orgsim.compare import runner as comparing
    from orgsim.compare.table import comparison_table

    if args.replications < 2:
        raise ScenarioError("--replications: at least 2 are needed for an interval")
    scenarios = comparing.load_all(args.scenarios, _changes(args))
    total = len(scenarios) * args.replications
    with tqdm(total=total, desc="runs", unit="run", file=sys.stderr) as bar:
        save = comparing.appender(args.out / "runs.jsonl")

        def progress(summary: dict) -> None:
            save(summary)
            bar.update()

        runs = comparing.run_replications(
            scenarios, args.replications, args.seed, workers=args.workers, on_result=progress
        )
    table = comparing.compare(runs)
    table.to_csv(args.out / "comparison.csv", index=False)
    figure = plots.comparison_figure(table, args.out / "comparison.png")
    print(comparison_table(table, args.replications))
    print(
        f"\nruns in {args.out / 'runs.jsonl'}, table in {args.out / 'comparison.csv'}, "
        f"figure in {figure}"
    )
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
