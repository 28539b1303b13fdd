"""Validation checks as a plain-text table: theory, simulated, interval, pass or fail."""

from __future__ import annotations

from collections.abc import Sequence

from orgsim.validate.checks import Check


def checks_table(checks: Sequence[Check]) -> str:
    """Validation checks: theory, simulated, interval, pass or fail."""
    width = max(len(check.name) for check in checks)
    head = f"{'check':<{width}}  {'theory':>9}  {'simulated':>9}  {'interval':>21}  result"
    rows = [
        f"{c.name:<{width}}  {c.theory:>9.4f}  {c.simulated:>9.4f}  "
        f"[{c.low:>8.4f}, {c.high:>8.4f}]  {'pass' if c.passed else 'FAIL'}"
        for c in checks
    ]
    return "\n".join([head, "-" * len(head), *rows])
