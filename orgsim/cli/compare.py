"""``orgsim compare``: scenarios over replications, a report written."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from orgsim.cli.options import (
    _add_max_runs,
    _add_scenario_options,
    _at_least,
    add_event_logs_options,
)


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
    add_event_logs_options(cmp, "each run")
    cmp.set_defaults(
        command=_compare,
        kept="; every finished run is kept in --out: the same command resumes the rest",
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
    if args.event_logs is not None:
        words += ["--event-logs", str(args.event_logs), "--event-log-format", args.event_log_format]
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
            event_logs=args.event_logs,
            event_log_format=args.event_log_format,
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
