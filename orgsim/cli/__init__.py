"""The ``orgsim`` command: run a scenario, compare structures, validate, sweep, analyze.

A thin adapter: it parses arguments, calls the library and prints. Bad input (a
broken scenario file, an unknown field, a wrong override) ends with one message on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from orgsim import __version__
from orgsim.cli.compare import _add_compare
from orgsim.cli.logs import _add_calibrate, _add_validate_log
from orgsim.cli.options import _fault, _show_warning
from orgsim.cli.org import _add_export_org, _add_import_org, _add_redesign
from orgsim.cli.run import _add_run
from orgsim.cli.sweep import _add_analyze, _add_store, _add_sweep
from orgsim.cli.ui import _add_ui
from orgsim.cli.ui import _loopback as _loopback  # tests reach it as orgsim.cli._loopback
from orgsim.cli.validate import _add_validate
from orgsim.scenario.errors import CapacityWarning, ScenarioError, SweepWarning

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
