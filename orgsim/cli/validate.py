"""``orgsim validate``: the model checked against queueing and screening theory."""

from __future__ import annotations

import argparse
import sys


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
