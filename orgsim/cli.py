"""The ``orgsim`` command: run a scenario, compare structures, validate the model.

A thin adapter: it parses arguments, calls the library and prints. Bad input (a
broken scenario file, an unknown field, a wrong override) ends with one message on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from orgsim.scenario.errors import ScenarioError

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``orgsim`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.command(args)
    except ScenarioError as error:
        print(f"orgsim: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("orgsim: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="orgsim",
        description="Simulate how an organisation's structure shapes its speed and its "
        "customers' happiness.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    _add_run(commands)
    _add_compare(commands)
    _add_validate(commands)
    _add_ui(commands)
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
    """A seed is a whole number from 0 up (numpy's seed sequences take no negatives)."""
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {seed}")
    return seed


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
    run.set_defaults(command=_run)


def _changes(args: argparse.Namespace) -> list[str]:
    """The --set overrides, with --days as one more (so errors name the file)."""
    return [*args.overrides, *([f"run.days={args.days}"] if args.days is not None else [])]


def _run(args: argparse.Namespace) -> int:
    from orgsim.results.run import simulate
    from orgsim.results.tables import summary_table
    from orgsim.scenario.loading import load_scenario

    scenario = load_scenario(args.scenario, _changes(args))
    result = simulate(scenario, seed=args.seed, progress=True)
    if args.out:
        result.write(args.out)
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


def _ui(args: argparse.Namespace) -> int:
    folder = args.scenarios
    if folder is None:
        here = Path("scenarios")
        folder = here if here.is_dir() else Path(__file__).resolve().parents[1] / "scenarios"
    if not folder.is_dir() or not any(folder.glob("*.y*ml")):
        raise ScenarioError(f"--scenarios {folder}: no folder with scenario files")
    _check_free(args.host, args.port)
    from orgsim.ui.server import serve

    serve(args.host, args.port, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
