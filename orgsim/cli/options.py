"""Shared argument types and option helpers of the ``orgsim`` command.

Seeds, counts, ports and dates as argparse types; the scenario options (--seed,
--days, --set) and the limits (--max-runs, --max-requests); file-system faults and
the model's warnings shown as one line each.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from orgsim.scenario.errors import CapacityWarning, SweepWarning
from orgsim.scenario.limits import MAX_REQUESTS, MAX_RUNS


def _fault(error: OSError) -> str:
    """An operating system's error as one line: the file, then what went wrong."""
    what = error.strerror or str(error) or type(error).__name__
    if error.filename:
        return f"{error.filename}: {what}"
    return f"a file could not be read or written ({what})"


def _tell(line: str) -> None:
    """``line`` on standard error if it is a terminal (as the progress bar): not in pipes."""
    if sys.stderr.isatty():
        print(line, file=sys.stderr, flush=True)


def _show_warning(message: Warning | str, category: type[Warning], *args: object) -> None:
    """The model's warnings to the user as one line each; others as Python shows them."""
    if issubclass(category, CapacityWarning | SweepWarning):
        print(f"orgsim: warning: {message}", file=sys.stderr)
    else:
        warnings._showwarning_orig(message, category, *args)  # type: ignore[attr-defined]


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


def _add_max_requests(parser: argparse.ArgumentParser, refuse: str) -> None:
    parser.add_argument(
        "--max-requests",
        type=_count,
        default=MAX_REQUESTS,
        metavar="N",
        help=f"{refuse} more than N requests, ideas and meetings (default {MAX_REQUESTS:,})",
    )


def _add_max_runs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-runs",
        type=_count,
        default=MAX_RUNS,
        metavar="N",
        help=f"refuse to make more than N runs in all (default {MAX_RUNS:,})",
    )


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


def _positive(text: str) -> int:
    number = _seed(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 1 to 65535, got {port}")
    return port


def _date(text: str) -> object:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _changes(args: argparse.Namespace) -> list[str]:
    """The --set overrides, with --days as one more (so errors name the file)."""
    return [*args.overrides, *([f"run.days={args.days}"] if args.days is not None else [])]


def add_event_logs_options(parser: argparse.ArgumentParser, what: str) -> None:
    """``--event-logs DIR`` and ``--event-log-format``: keep every run as an event log."""
    parser.add_argument(
        "--event-logs",
        type=Path,
        metavar="DIR",
        help=f"write {what}'s event log to DIR as each run ends, named NAME_seedSEED "
        "(XES's standard names, calendar timestamps from 2024-01-01, as run --event-log); "
        "refused before any run if the logs would hold over 5 million events each or 50 "
        "million in all; runs found done in --out are not run again, nor logged",
    )
    add_event_log_format(parser)


def add_event_log_format(parser: argparse.ArgumentParser) -> None:
    """``--event-log-format``: the runs' logs as xes.gz (default), csv.gz, xes or csv."""
    parser.add_argument(
        "--event-log-format",
        choices=["xes.gz", "csv.gz", "xes", "csv"],
        default="xes.gz",
        help="the logs' format (default xes.gz)",
    )
